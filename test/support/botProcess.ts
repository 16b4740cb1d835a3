// A bot in a child process (test/support/botProcessMain.ts), for tests that need more than one
// instance on one store, or a bot they can kill -9 and start again.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

export interface BotProcess {
  url: string;
  /** The store's URI: MONGODB_URI as given, or the embedded store this process runs on its data folder. */
  storeUri: string;
  child: ChildProcess;
  /** What local mode printed (one-time codes), a line each. */
  printed(): string[];
  /** Everything the process logged so far (for failure messages). */
  stderr(): string;
  /** SIGKILL, then wait until the process is gone. */
  kill9(): Promise<void>;
  /** Waits for the process to end by itself (e.g. a fault hook killing it). */
  exited(): Promise<void>;
  /** SIGTERM (finish turns in flight, close), then wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the bot with `env` (MONGODB_URI or EMBEDDED_DB_PATH, RELIABILITY_FAULT,
 * FOLLOW_UPS_GRACE_MS, OUTBOX_*) and waits until it listens.
 */
export function startBotProcess(env: Record<string, string>, { startTimeoutMs = 40_000 } = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'test/support/botProcessMain.ts'], {
    cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const printed: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return new Promise<BotProcess>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bot process did not start within ${startTimeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
    }, startTimeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      let newline: number;
      while ((newline = stdout.indexOf('\n')) >= 0) {
        const line = stdout.slice(0, newline);
        stdout = stdout.slice(newline + 1);
        if (line.startsWith('PRINT ')) printed.push(line.slice(6));
        if (!line.startsWith('READY ') || ready) continue;
        ready = true;
        clearTimeout(timer);
        const info = JSON.parse(line.slice(6)) as { url: string; storeUri: string };
        resolve({
          url: info.url, storeUri: info.storeUri, child,
          printed: () => [...printed],
          stderr: () => stderr,
          async kill9() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
          async exited() { await exited; },
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the bot process exited (code ${code}) before it listened; stderr: ${stderr.slice(-2000)}`));
    });
  });
}
