// Our own load driver on fetch (undici, built into Node): virtual users that each run a script of
// turns, for flows autocannon cannot express (multi-turn dialogs, one turn per distinct user,
// checkpoints between phases). Every turn's latency is kept.
import { ID_PLACEHOLDER } from './teams';
import { round, Samples, summarize } from './stats';

export interface TurnResult {
  status: number;
  body: string;
  ms: number;
}

export interface Session {
  /** Virtual user number, 0-based. */
  readonly vu: number;
  /** POSTs an activity body to the bot's /api/messages; a fresh id replaces the placeholder. */
  post(body: string): Promise<TurnResult>;
}

export interface DriveFigures {
  users: number;
  seconds: number;
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Network failures and non-2xx answers. */
  errors: number;
  firstError?: string;
}

let idSequence = 0;

/** Runs `users` virtual users at once, each running `script` once; figures over every turn. */
export async function runVirtualUsers(botUrl: string, users: number, script: (session: Session) => Promise<void>): Promise<DriveFigures> {
  const latencies = new Samples();
  let errors = 0;
  let firstError: string | undefined;
  const endpoint = `${botUrl}/api/messages`;
  const started = process.hrtime.bigint();
  const session = (vu: number): Session => ({
    vu,
    async post(body) {
      const t = process.hrtime.bigint();
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body.replace(ID_PLACEHOLDER, `d${++idSequence}`),
        });
        const text = await response.text();
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        latencies.push(ms);
        if (!response.ok) { errors++; firstError ??= `HTTP ${response.status}: ${text.slice(0, 200)}`; }
        return { status: response.status, body: text, ms };
      } catch (err) {
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        latencies.push(ms);
        errors++;
        firstError ??= String(err);
        return { status: 0, body: '', ms };
      }
    },
  });
  await Promise.all(Array.from({ length: users }, (_, vu) => script(session(vu))));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = summarize(latencies.values());
  return {
    users,
    seconds: round(seconds, 4),
    requests: latencies.length,
    throughput: round(latencies.length / Math.max(seconds, 1e-9), 4),
    p50: round(summary.p50), p90: round(summary.p90), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean),
    errors,
    ...(firstError ? { firstError } : {}),
  };
}

/** Sends every body once, `concurrency` at a time, in order: one turn per item. */
export function driveEach(botUrl: string, bodies: readonly string[], concurrency: number): Promise<DriveFigures> {
  let next = 0;
  return runVirtualUsers(botUrl, Math.min(concurrency, bodies.length), async (session) => {
    while (next < bodies.length) await session.post(bodies[next++]);
  });
}

/**
 * Open loop: one request every 1/rate seconds for `seconds`, each sent on time whether or not
 * earlier ones were answered (autocannon's rate option sends each second's requests in a burst,
 * which measures its own queue). Latency then is what one turn costs at that load.
 */
export async function runPaced(botUrl: string, bodies: readonly string[], rate: number, seconds: number): Promise<DriveFigures> {
  const total = Math.max(1, Math.round(rate * seconds));
  const pending: Promise<TurnResult>[] = [];
  let session: Session | undefined;
  const started = process.hrtime.bigint();
  const figures = await runVirtualUsers(botUrl, 1, async (s) => {
    session = s;
    for (let i = 0; i < total; i++) {
      const due = Number(started) / 1e6 + (i * 1000) / rate;
      const wait = due - Number(process.hrtime.bigint()) / 1e6;
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(session.post(bodies[i % bodies.length]));
    }
    await Promise.all(pending);
  });
  return { ...figures, users: 0 };
}
