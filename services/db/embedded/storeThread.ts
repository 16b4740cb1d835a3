// The embedded store on a worker thread of the bot's process. Store work (wire parsing, queries,
// BSON, the journal) then runs beside the turns instead of between them: a Node process runs
// JavaScript on one core, and a turn that waits for the store no longer also pays for it there.
// Same store, same journal and lock file, same socket and driver; it lives and dies with the process.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedStore, EmbeddedStoreOptions } from './index';

/** What the store thread tells the bot's thread. */
export type FromStoreThread =
  | { type: 'ready'; uri: string; port: number }
  | { type: 'log'; line: string }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

export type ToStoreThread = { type: 'stop' };

/** This module's own extension: thread.ts under tsx (tests, bench), thread.js once compiled. */
const THREAD_FILE = path.join(__dirname, `thread${path.extname(__filename)}`);

export function startEmbeddedStoreOnThread(options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const { log, ...data } = options;
  // Uncompiled (tests, bench), the thread loads its TypeScript through tsx's require hook itself:
  // the parent's loader may be a require hook (mocha -r tsx/cjs) or an ESM one (--import tsx),
  // and neither reaches a worker's entry file.
  const worker = THREAD_FILE.endsWith('.ts')
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(THREAD_FILE)});`, { eval: true, workerData: data })
    : new Worker(THREAD_FILE, { workerData: data });
  let stopped: Promise<void> | undefined;
  let onStopped: ((err?: Error) => void) | undefined;

  return new Promise<EmbeddedStore>((resolve, reject) => {
    let started = false;
    const fail = (err: Error) => {
      if (!started) { reject(err); void worker.terminate(); return; }
      if (onStopped) { onStopped(err); return; }
      // After start-up nothing should fail: say so; the bot's store checks report it as unavailable.
      log?.(`embedded store thread: ${err.message}`);
    };
    worker.on('message', (message: FromStoreThread) => {
      switch (message.type) {
        case 'log': log?.(message.line); return;
        case 'failed': fail(new Error(message.message)); return;
        case 'stopped': onStopped?.(); return;
        case 'ready':
          started = true;
          resolve({
            uri: message.uri,
            port: message.port,
            stop() {
              stopped ??= new Promise<void>((done, failed) => {
                onStopped = (err) => (err ? failed(err) : done());
                worker.postMessage({ type: 'stop' } satisfies ToStoreThread);
              }).finally(() => worker.terminate().then(() => undefined));
              return stopped;
            },
          });
      }
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => {
      if (!started) reject(new Error(`the embedded store thread exited (code ${code}) before it started`));
      else if (!stopped) log?.(`embedded store thread exited unexpectedly (code ${code})`);
      else onStopped?.();
    });
  });
}
