// Side-by-side load against the echo baseline: the same connection count, the same connector,
// in alternating rounds (echo then bot, bot then echo, …) so a machine that gets busier or
// quieter during the run moves both. Each round gives a ratio; the medians are reported.
import type { BenchContext } from './context';
import { withCpu } from './cpu';
import { runLoad, type LoadFigures } from './load';
import { median, round } from './stats';

export interface PairedSpec {
  connections: number;
  /** The bot under test and the bodies it gets; the echo gets `echoBodies` (same shape, same users). */
  subjectUrl: string;
  /** The bot process, for its CPU time, and its control port, for profiles. */
  subjectPid: number;
  subjectControlUrl: string;
  /** The store's process, when it runs apart from the bot (--store-process). */
  storePid?: number;
  subjectBodies: readonly string[];
  /** Instead of cycling `subjectBodies`: each bot request takes the next body (e.g. one click per pending request). */
  subjectTake?: () => string;
  echoBodies: readonly string[];
  /** After each bot run (warm-up included): let the bot finish its follow-up work before the next run. */
  afterSubject?: () => Promise<void>;
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
}

/** CPU ms per request in each process (Linux /proc), while the load ran. */
export interface CpuPerRequest { server?: number; connector?: number; driver?: number; store?: number }

export interface PairedRound {
  echo: LoadFigures;
  subject: LoadFigures;
  echoCpu: CpuPerRequest;
  subjectCpu: CpuPerRequest;
  throughputRatio: number;
  p50Ratio: number;
  p99Ratio: number;
  /** The bot's work left after its run (afterSubject: e.g. notifications still to deliver). */
  settle?: SettleFigures;
}

/**
 * What the bot still did after its measured run, until afterSubject returned: counted with the
 * run, the sustained rate (requests over run + settle time) and the CPU each request caused in all.
 */
export interface SettleFigures {
  seconds: number;
  /** Bot CPU ms per request of the run, spent while settling. */
  serverCpuMsPerRequest?: number;
  sustainedThroughput: number;
  sustainedRatio: number;
}

export interface PairedResult {
  /** Median over rounds of each figure. */
  echo: LoadFigures;
  subject: LoadFigures;
  throughputRatio: number;
  p50Ratio: number;
  p99Ratio: number;
  /** Median over rounds of the bot's CPU ms per turn over the echo's. */
  cpuRatio?: number;
  /** Medians of the rounds' settle figures, when the spec has afterSubject. */
  settle?: SettleFigures;
  echoCpu: CpuPerRequest;
  subjectCpu: CpuPerRequest;
  rounds: PairedRound[];
}

export async function pairedWithEcho(ctx: BenchContext, label: string, spec: PairedSpec): Promise<PairedResult> {
  const echoProcess = await ctx.echo();
  const echoUrl = echoProcess.info.url;
  const connector = await ctx.connector();
  const load = (url: string, bodies: readonly string[], seconds: number) =>
    runLoad({ url, connections: spec.connections, durationSeconds: seconds, bodies, take: url === spec.subjectUrl ? spec.subjectTake : undefined });
  const measured = async (url: string, pid: number, controlUrl: string, profileName: string, bodies: readonly string[]) => {
    const pids: Record<string, number> = { server: pid, connector: connector.process.pid, driver: process.pid };
    if (spec.storePid && pid === spec.subjectPid) pids.store = spec.storePid;
    const { result, cpu } = await withCpu(pids,
      () => ctx.profiled(controlUrl, profileName, () => load(url, bodies, spec.durationSeconds)));
    const per = (s: number | undefined) => (s === undefined || !result.requests ? undefined : round((s * 1000) / result.requests));
    const perRequest: CpuPerRequest = { server: per(cpu.server), connector: per(cpu.connector), driver: per(cpu.driver) };
    if (pids.store) perRequest.store = per(cpu.store);
    return { figures: result, cpu: perRequest };
  };

  ctx.log(`${label}: warm-up ${spec.warmupSeconds} s each, echo and bot, ${spec.connections} connections`);
  await load(echoUrl, spec.echoBodies, spec.warmupSeconds);
  await load(spec.subjectUrl, spec.subjectBodies, spec.warmupSeconds);
  await spec.afterSubject?.();

  const rounds: PairedRound[] = [];
  for (let r = 0; r < spec.rounds; r++) {
    await connector.reset(); // keep the connector's transcripts small and alike for both
    const order = r % 2 === 0 ? ['echo', 'subject'] as const : ['subject', 'echo'] as const;
    const runs: Partial<Record<'echo' | 'subject', { figures: LoadFigures; cpu: CpuPerRequest }>> = {};
    let settled: { seconds: number; cpuSeconds?: number } | undefined;
    for (const which of order) {
      runs[which] = which === 'echo'
        ? await measured(echoUrl, echoProcess.pid, echoProcess.info.controlUrl, `${label}-echo-round${r + 1}`, spec.echoBodies)
        : await measured(spec.subjectUrl, spec.subjectPid, spec.subjectControlUrl, `${label}-bot-round${r + 1}`, spec.subjectBodies);
      if (which === 'subject' && spec.afterSubject) {
        const started = process.hrtime.bigint();
        const { cpu } = await withCpu({ server: spec.subjectPid }, () => ctx.profiled(spec.subjectControlUrl, `${label}-bot-settle-round${r + 1}`, spec.afterSubject!));
        settled = { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: cpu.server };
      }
    }
    const echo = runs.echo!.figures;
    const subject = runs.subject!.figures;
    const settle = settled && settleFigures(subject, echo, settled);
    const round_: PairedRound = {
      echo, subject, echoCpu: runs.echo!.cpu, subjectCpu: runs.subject!.cpu,
      throughputRatio: round(subject.throughput / echo.throughput),
      p50Ratio: round(subject.p50 / echo.p50),
      p99Ratio: round(subject.p99 / echo.p99),
      ...(settle ? { settle } : {}),
    };
    rounds.push(round_);
    if (settle) ctx.log(`${label}: round ${r + 1}: the bot settled its follow-up work in ${settle.seconds} s (${settle.serverCpuMsPerRequest ?? '?'} ms CPU per request more); sustained ${settle.sustainedThroughput}/s, ${settle.sustainedRatio}× echo`);
    ctx.log(`${label}: round ${r + 1}/${spec.rounds}: echo ${echo.throughput}/s p99 ${echo.p99} ms; bot ${subject.throughput}/s p99 ${subject.p99} ms; ratio ${round_.throughputRatio}× throughput, ${round_.p99Ratio}× p99; CPU ms/turn bot ${fmtCpu(round_.subjectCpu)}, echo ${fmtCpu(round_.echoCpu)}`);
  }
  return {
    echo: medianFigures(rounds.map((r) => r.echo)),
    subject: medianFigures(rounds.map((r) => r.subject)),
    throughputRatio: median(rounds.map((r) => r.throughputRatio)),
    p50Ratio: median(rounds.map((r) => r.p50Ratio)),
    p99Ratio: median(rounds.map((r) => r.p99Ratio)),
    cpuRatio: rounds.every((r) => r.subjectCpu.server && r.echoCpu.server)
      ? median(rounds.map((r) => round(r.subjectCpu.server! / r.echoCpu.server!))) : undefined,
    ...(rounds.every((r) => r.settle) ? { settle: medianSettle(rounds.map((r) => r.settle!)) } : {}),
    echoCpu: medianCpu(rounds.map((r) => r.echoCpu)),
    subjectCpu: medianCpu(rounds.map((r) => r.subjectCpu)),
    rounds,
  };
}

function settleFigures(subject: LoadFigures, echo: LoadFigures, settled: { seconds: number; cpuSeconds?: number }): SettleFigures {
  const sustainedThroughput = round(subject.requests / (subject.seconds + settled.seconds));
  return {
    seconds: round(settled.seconds),
    serverCpuMsPerRequest: settled.cpuSeconds === undefined || !subject.requests ? undefined : round((settled.cpuSeconds * 1000) / subject.requests),
    sustainedThroughput,
    sustainedRatio: round(sustainedThroughput / echo.throughput),
  };
}

function medianSettle(list: SettleFigures[]): SettleFigures {
  const cpu = list.map((s) => s.serverCpuMsPerRequest).filter((v): v is number => v !== undefined);
  return {
    seconds: median(list.map((s) => s.seconds)),
    serverCpuMsPerRequest: cpu.length ? median(cpu) : undefined,
    sustainedThroughput: median(list.map((s) => s.sustainedThroughput)),
    sustainedRatio: median(list.map((s) => s.sustainedRatio)),
  };
}

function medianCpu(list: CpuPerRequest[]): CpuPerRequest {
  const pick = (key: keyof CpuPerRequest) => {
    const values = list.map((c) => c[key]).filter((v): v is number => v !== undefined);
    return values.length ? median(values) : undefined;
  };
  const out: CpuPerRequest = { server: pick('server'), connector: pick('connector'), driver: pick('driver') };
  if (list.some((c) => c.store !== undefined)) out.store = pick('store');
  return out;
}

function fmtCpu(cpu: CpuPerRequest): string {
  return `${cpu.server ?? '?'} (${cpu.store !== undefined ? `store process ${cpu.store}, ` : ''}connector ${cpu.connector ?? '?'}, driver ${cpu.driver ?? '?'})`;
}

function medianFigures(list: LoadFigures[]): LoadFigures {
  const pick = (key: keyof LoadFigures) => median(list.map((f) => f[key]));
  return {
    connections: list[0].connections,
    seconds: round(list.reduce((s, f) => s + f.seconds, 0), 4),
    requests: list.reduce((s, f) => s + f.requests, 0),
    throughput: pick('throughput'), p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), max: pick('max'), mean: pick('mean'),
    errors: list.reduce((s, f) => s + f.errors, 0),
    non2xx: list.reduce((s, f) => s + f.non2xx, 0),
    timeouts: list.reduce((s, f) => s + f.timeouts, 0),
  };
}
