// Child processes for the servers under test. Each child is a TypeScript entry run through tsx
// (or, with --compiled, the same entry compiled by tsc and run by plain node);
// it prints one line `BENCH_READY {json}` on stdout when it listens, and exits cleanly on SIGTERM
// (so `--cpu-prof` profiles get written). Everything else a child prints goes to a log file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OUT_DIR = path.join(ROOT, 'bench', 'out');

const READY = 'BENCH_READY ';
const running = new Set<ChildProcess>();
/** Set by --compiled: servers run as plain JavaScript from this tsc output, as `npm start` runs the bot. */
let compiledDir: string | undefined;

/** Compiles the project (tsconfig.json, bench included) into bench/out/build for --compiled runs. */
export function compileProject(): string {
  const outDir = path.join(OUT_DIR, 'build');
  // Type errors elsewhere in the work tree do not stop tsc from emitting; only its output is used.
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json'),
    '--outDir', outDir, '--noEmit', 'false', '--sourceMap', 'false', '--incremental', 'false'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(path.join(outDir, 'bench', 'servers', 'botServer.js'))) throw new Error(`tsc produced no ${path.join(outDir, 'bench', 'servers', 'botServer.js')}`);
  compiledDir = outDir;
  return outDir;
}

export interface ServerProcess<Info> {
  name: string;
  pid: number;
  /** What the child reported when it became ready (its URLs and so on). */
  info: Info;
  /** Where the child's stdout/stderr go. */
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  /** A label for logs and errors. */
  name: string;
  /** Path of the entry, relative to the project root. */
  script: string;
  args?: string[];
  /** Added to the bench's own environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Extra node flags (--expose-gc, --cpu-prof …). */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
}

export async function startServer<Info>(options: StartOptions): Promise<ServerProcess<Info>> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  mkdirSync(path.join(OUT_DIR, 'logs'), { recursive: true });
  const logFile = path.join(OUT_DIR, 'logs', `${options.name}.log`);
  const log = createWriteStream(logFile);
  const entry = compiledDir ? [path.join(compiledDir, options.script.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', path.join(ROOT, options.script)];
  const child = spawn(process.execPath, [
    '--disable-warning=DEP0111', ...(options.nodeFlags ?? []), ...extraNodeFlags(options.name), ...entry, ...(options.args ?? []),
  ], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { running.delete(child); resolve(code); }));
  child.stderr.pipe(log, { end: false });

  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${options.readyTimeoutMs ?? 60_000} ms (see ${logFile})`)), options.readyTimeoutMs ?? 60_000);
    const lines = readline.createInterface({ input: child.stdout });
    let ready = false;
    lines.on('line', (line) => {
      if (!ready && line.startsWith(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY.length)) as Info);
      } else {
        log.write(`${line}\n`);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${options.name} exited with code ${code} before it was ready (see ${logFile})`));
    });
  });

  let stopping: Promise<number | null> | undefined;
  return {
    name: options.name,
    pid: child.pid ?? -1,
    info,
    logFile,
    stop: (graceMs = 20_000) => (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const code = await exited;
        clearTimeout(timer);
        log.end();
        return code;
      }
      log.end();
      return child.exitCode;
    })()),
  };
}

/**
 * Node flags from BENCH_NODE_FLAGS for children whose name starts with BENCH_NODE_FLAGS_FOR (all
 * when unset): e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` profiles every thread of a process for its
 * whole life, the store's thread too, which the control server's profiles do not reach.
 */
function extraNodeFlags(name: string): string[] {
  const flags = process.env.BENCH_NODE_FLAGS?.trim();
  const only = process.env.BENCH_NODE_FLAGS_FOR;
  if (!flags || (only && !name.startsWith(only))) return [];
  return flags.split(/\s+/);
}

/** The ready line a child prints once it listens. */
export function announceReady(info: unknown): void {
  process.stdout.write(`${READY}${JSON.stringify(info)}\n`);
}

/** Kills every child this process started (on an early exit of the bench). */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** In a child: stop cleanly once on SIGTERM/SIGINT, then exit (which writes --cpu-prof output). */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(() => process.exit(0), (err: unknown) => { process.stderr.write(`shutdown failed: ${String(err)}\n`); process.exit(1); });
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
