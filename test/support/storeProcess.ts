// The embedded store as a child process (services/db/embedded/cli.ts), for durability tests that
// kill it with SIGKILL and start it again on the same data folder.
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

export interface StoreProcess {
  uri: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGKILL, then wait until the process is gone. */
  kill9(): Promise<void>;
}

/**
 * Starts `node --import tsx services/db/embedded/cli.ts --port PORT --dbpath DIR` and waits for
 * its URI. `port` 0 (the default) picks a free one; give the old one to restart a store in place.
 */
export function startStoreProcess(dbPath: string, { startTimeoutMs = 15000, port = 0 } = {}): Promise<StoreProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'services/db/embedded/cli.ts', '--port', String(port), '--dbpath', dbPath],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return new Promise<StoreProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`store process printed no mongodb:// URI within ${startTimeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, startTimeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /mongodb:\/\/127\.0\.0\.1:(\d+)\/?/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({
          uri: `mongodb://127.0.0.1:${match[1]}/`,
          child,
          stderr: () => stderr,
          async kill9() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`store process exited (code ${code}, signal ${signal}) before printing its URI; stderr: ${stderr}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
