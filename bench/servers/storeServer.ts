// The embedded store in a process of its own (what `npm run db` runs), for the --store-process
// variant: the bot then reaches it through MONGODB_URI as it would a MongoDB server, and the
// store's work leaves the bot's event loop. A temporary data folder with the journal, or memory
// only with BENCH_STORE=memory.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedStore } from '../../services/db/embedded';
import { announceReady, onShutdown } from '../lib/processes';

export interface StoreInfo { uri: string; pid: number; store: string }

async function main(): Promise<void> {
  const memory = process.env.BENCH_STORE === 'memory';
  const dbPath = memory ? undefined : mkdtempSync(path.join(os.tmpdir(), 'mpn-bench-store-'));
  const store = await startEmbeddedStore({ port: 0, dbPath, log: (line) => process.stderr.write(`${line}\n`) });
  const info: StoreInfo = { uri: store.uri, pid: process.pid, store: memory ? 'memory only' : 'journal in a temporary folder' };
  announceReady(info);
  onShutdown(async () => {
    await store.stop();
    if (dbPath) rmSync(dbPath, { recursive: true, force: true });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench store failed to start: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
