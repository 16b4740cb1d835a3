// A stand-alone bench script (bench/store.ts, bench/competencies.ts, …) run as a scenario's
// child process: its printed lines go to the run's log, its JSON (under bench/out) is read back.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from './context';
import { OUT_DIR, ROOT } from './processes';

export async function runBenchScript<T>(ctx: BenchContext, label: string, script: string, args: string[], outFile: string): Promise<T> {
  ctx.log(`${label}: bench/${script} ${args.join(' ')}`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => { for (const line of chunk.toString().split('\n')) if (line.trim()) ctx.log(`${label}: ${line}`); });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`bench/${script} exited with code ${code}`);
  return JSON.parse(readFileSync(path.join(OUT_DIR, outFile), 'utf8')) as T;
}
