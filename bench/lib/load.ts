// Load with autocannon: a fixed number of connections POSTing Teams activities for a duration
// (or a fixed amount), with the latency of every response kept (autocannon's own histogram
// rounds to whole ms, too coarse for a fast echo).
import autocannon from 'autocannon';
import { ID_PLACEHOLDER } from './teams';
import { round, Samples, summarize } from './stats';

export interface LoadOptions {
  /** Base URL of the server; requests go to `${url}${path}`. */
  url: string;
  path?: string;
  connections: number;
  durationSeconds?: number;
  /** Stop after this many requests instead of a duration. */
  amount?: number;

  /** Request bodies, used in turn (request n gets bodies[n % length]). */
  bodies: readonly string[];
  /** Instead of `bodies`: the next body, from a source shared across runs (each request once). */
  take?: () => string;
  /** Per-request timeout, seconds (autocannon counts a timeout as an error). */
  timeoutSeconds?: number;
}

/** One load run's figures; latencies in ms, throughput in completed requests per second. */
export interface LoadFigures {
  connections: number;
  seconds: number;
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Connection errors and timeouts plus non-2xx answers. */
  errors: number;
  non2xx: number;
  timeouts: number;
}

let idSequence = 0;

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  if (options.bodies.length === 0 && !options.take) throw new Error('runLoad needs at least one body');
  const latencies = new Samples();
  let next = 0;
  const { bodies } = options;
  const started = process.hrtime.bigint();
  let firstAt = 0n;
  let lastAt = 0n;
  let non2xx = 0;
  const settings: autocannon.Options = {
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
    timeout: options.timeoutSeconds ?? 30,
    requests: [{
      method: 'POST',
      path: options.path ?? '/api/messages',
      headers: { 'content-type': 'application/json' },
      // A fresh activity id per request (autocannon's own idReplacement sends nothing when
      // combined with setupRequest in autocannon 8).
      setupRequest: (request) => ({ ...request, body: (options.take ? options.take() : bodies[next++ % bodies.length]).replace(ID_PLACEHOLDER, `a${++idSequence}`) }),
    }],
  };
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(settings, (err: unknown, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)));
  });
  instance!.on('response', (_client, statusCode, _bytes, responseTime) => {
    const now = process.hrtime.bigint();
    if (firstAt === 0n) firstAt = now;
    lastAt = now;
    latencies.push(responseTime);
    if (statusCode < 200 || statusCode >= 300) non2xx++;
  });
  const result = await done;
  // Throughput over the time responses were arriving: connection set-up is not the server's.
  const seconds = Number((lastAt > firstAt ? lastAt : process.hrtime.bigint()) - (firstAt || started)) / 1e9;
  const summary = summarize(latencies.values());
  return {
    connections: options.connections,
    seconds: round(seconds, 4),
    requests: latencies.length,
    throughput: round(latencies.length / Math.max(seconds, 1e-9), 4),
    p50: round(summary.p50), p90: round(summary.p90), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean),
    errors: result.errors + non2xx,
    non2xx,
    timeouts: result.timeouts,
  };
}
