// CPU time used by a process (user + system), from /proc on Linux: how much work a request cost
// each process, which a shared machine's noise moves far less than wall-clock throughput.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds used so far by `pid`, or undefined where /proc is not available. */
export function cpuSeconds(pid: number): number | undefined {
  if (pid === process.pid) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Measures the CPU seconds each named process uses while `work` runs. */
export async function withCpu<T>(pids: Record<string, number>, work: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number | undefined> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const result = await work();
  const cpu: Record<string, number | undefined> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const after = cpuSeconds(pid);
    const start = before[name];
    cpu[name] = after === undefined || start === undefined ? undefined : Math.round((after - start) * 1000) / 1000;
  }
  return { result, cpu };
}
