// What machine and code a result was measured on: written into results.json next to the figures.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ROOT } from './processes';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGB: number;
  platform: string;
  node: string;
  commit: string | null;
  /** Uncommitted changes in the work tree when the run started (figures may not match `commit` alone). */
  dirty: boolean | null;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const status = git(['status', '--porcelain']);
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    commit: git(['rev-parse', 'HEAD']),
    dirty: status === null ? null : status.length > 0,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}
