// The notifier under throttling: 1,000 notifications through the bot's own outbox to 50
// conversations (20 each, more than a conversation's burst, so its rate limit binds), while the connector answers 429 (Retry-After: 1) to 10 % of the
// messages posted to it, chosen by a seeded random draw. Checked from the connector's side:
// every notification arrives exactly once, and no conversation ever got requests faster than
// its token bucket allows (OUTBOX_PER_CONVERSATION_PER_SECOND, set for the run, with the
// notifier's burst), nor before a Retry-After it was given had passed.
import { driveEach } from '../lib/driver';
import { sleep, waitFor } from '../lib/http';
import { round, summarize } from '../lib/stats';
import { fmt } from '../lib/table';
import type { Attempt } from '../servers/connectorServer';
import type { Scenario } from './types';

const CONVERSATIONS = 50;
const PER_CONVERSATION = 20;
const TOTAL = CONVERSATIONS * PER_CONVERSATION;
const FAULT_RATE = 0.1;
const RETRY_AFTER_S = 1;
/**
 * Configured for the run: 1/s per conversation (default 0.5; 8/s and 400/s in all with --quick, to finish sooner),
 * 100/s for the instance (default 30). 50 conversations at 1/s cap delivery at 50/s, so the
 * per-conversation buckets are what paces the run.
 */
const ENV = {
  full: { OUTBOX_PER_CONVERSATION_PER_SECOND: '1', OUTBOX_GLOBAL_PER_SECOND: '100' },
  quick: { OUTBOX_PER_CONVERSATION_PER_SECOND: '8', OUTBOX_GLOBAL_PER_SECOND: '400' },
};
/** Arrival times are taken at the connector, the tokens at the bot: allow this much jitter. */
const JITTER_MS = 50;
const TEXT = 'bench note ';

export const notifierScenario: Scenario = {
  name: 'notifier',
  title: 'notifier: 1,000 notifications, connector answering 429 to 10 %',
  target: 'all delivered once; no conversation above its configured rate',
  estimateSeconds: { quick: 25, full: 40 },
  async run(ctx) {
    const traffic = await ctx.traffic();
    const connector = await ctx.connector();
    await connector.reset();
    const env = ENV[ctx.options.quick ? 'quick' : 'full'];
    const bot = await ctx.startBot('notifier', { env });
    try {
      const { perConversationPerSecond: rate, perConversationBurst: burst, globalPerSecond, globalBurst } = bot.info.notifier;
      // Each user talks to the bot once, so the bot has stored where to reach them.
      const users = traffic.users(CONVERSATIONS, 3);
      const hello = await driveEach(bot.url, users.map((u) => traffic.message(u, 'status')), 16);
      if (hello.errors) throw new Error(`the users' first turns failed: ${hello.firstError}`);

      await connector.reset(true);
      await connector.faults(FAULT_RATE, 429, RETRY_AFTER_S, 7);
      const started = Date.now();
      const enqueued = await bot.enqueue({ tenantId: traffic.tenantId, aadObjectIds: users.map((u) => u.account.aadObjectId), perUser: PER_CONVERSATION, keyPrefix: 'n', textPrefix: TEXT, concurrency: 32 });
      if (enqueued.enqueued !== TOTAL) throw new Error(`enqueued ${enqueued.enqueued} of ${TOTAL} (${enqueued.missingReferences} users had no stored reference)`);
      ctx.log(`notifier: ${TOTAL} notifications enqueued in ${enqueued.ms} ms; waiting for delivery (${rate}/s per conversation, burst ${burst}; ${globalPerSecond}/s overall)`);
      const outbox = await waitFor(async () => {
        const counts = (await bot.counts()).outbox;
        return (counts.done ?? 0) + (counts.dead ?? 0) >= TOTAL ? counts : undefined;
      }, { timeoutMs: 180_000, intervalMs: 250, what: `${TOTAL} notifications to be done` });
      await sleep(1_000); // anything still in flight (a duplicate) lands before counting
      const finished = Date.now();
      const [attempts, transcripts] = await Promise.all([connector.attempts(), connector.transcripts(TEXT)]);

      // Exactly once, as the conversations show it.
      const seen = new Map<string, number>();
      for (const texts of Object.values(transcripts)) for (const t of texts) seen.set(t, (seen.get(t) ?? 0) + 1);
      const keys = Object.keys(enqueued.enqueuedAt);
      const missing = keys.filter((k) => !seen.has(`${TEXT}${k}`)).length;
      const duplicated = [...seen.values()].filter((n) => n > 1).length;
      const delivered = keys.length - missing;

      // Rates, from the connector's arrival times of every try (accepted or refused).
      const byConversation = new Map<string, Attempt[]>();
      for (const a of attempts) {
        if (!a.text?.startsWith(TEXT)) continue;
        const list = byConversation.get(a.conversationId) ?? [];
        list.push(a);
        byConversation.set(a.conversationId, list);
      }
      let peak = 0;
      let overBucket = 0;
      let retryAfterBroken = 0;
      let throttled = 0;
      let maxIn1s = 0;
      let inFlightWhenThrottled = 0;
      const breaches: { conversationId: string; throttledAt: number; answeredAt: number; nextAt: number }[] = [];
      for (const list of byConversation.values()) {
        list.sort((a, b) => a.at - b.at);
        const excess = peakCount(list.map((a) => a.at), rate);
        peak = Math.max(peak, excess);
        if (excess > burst + rate * (JITTER_MS / 1000)) overBucket++;
        maxIn1s = Math.max(maxIn1s, maxInWindow(list.map((a) => a.at), 1000));
        list.forEach((a, i) => {
          if (a.status !== 429) return;
          throttled++;
          // Tries that reach the conversation before its Retry-After is over: a breach if the bot
          // could have known (sent after the 429's answer went out), else one already in flight.
          for (const b of list.slice(i + 1)) {
            if (b.at >= a.at + RETRY_AFTER_S * 1000 - JITTER_MS) break;
            if (b.at > a.answeredAt + JITTER_MS) {
              retryAfterBroken++;
              if (breaches.length < 5) breaches.push({ conversationId: a.conversationId, throttledAt: a.at, answeredAt: a.answeredAt, nextAt: b.at });
            } else {
              inFlightWhenThrottled++;
            }
          }
        });
      }
      const notes = attempts.filter((a) => a.text?.startsWith(TEXT));
      const globalMaxIn1s = maxInWindow(notes.map((a) => a.at).sort((a, b) => a - b), 1000);

      // Enqueue → accepted by the connector, per notification.
      const deliveredAt = new Map<string, number>();
      for (const a of notes) if (a.status === 200 && a.text) deliveredAt.set(a.text.slice(TEXT.length), a.at);
      const delays = keys.filter((k) => deliveredAt.has(k)).map((k) => deliveredAt.get(k)! - enqueued.enqueuedAt[k]);
      const latency = summarize(delays);
      const lastDelivery = Math.max(...deliveredAt.values());
      const seconds = (lastDelivery - started) / 1000;

      const onceOk = delivered === TOTAL && duplicated === 0 && (outbox.done ?? 0) === TOTAL && !outbox.dead;
      const rateOk = overBucket === 0 && retryAfterBroken === 0;
      const met = onceOk && rateOk;
      return {
        verdict: met ? 'met' : 'missed',
        rows: [{
          scenario: this.title,
          throughput: fmt.rate(TOTAL / seconds, 'notes/s'),
          p50: fmt.ms(latency.p50), p99: fmt.ms(latency.p99),
          errors: fmt.count(missing + duplicated + (outbox.dead ?? 0)),
          vsEcho: 'n/a (no echo equivalent)',
          measured: `${fmt.count(delivered)}/${fmt.count(TOTAL)} delivered, ${duplicated} twice; ${throttled} × 429 (${(100 * throttled / notes.length).toFixed(1)} % of ${notes.length} tries), ${retryAfterBroken ? `${retryAfterBroken} tries before Retry-After was over` : 'each waited out'}${inFlightWhenThrottled ? ` (${inFlightWhenThrottled} already in flight)` : ''}; busiest conversation ${round(peak)} vs bucket ${burst} at ${rate}/s (max ${maxIn1s} in 1 s); ${overBucket} conversations over`,
          target: `all once; per conversation ≤ ${rate}/s, burst ${burst}`,
          verdict: met ? 'met' : 'missed',
        }],
        figures: {
          conversations: CONVERSATIONS, notifications: TOTAL, faultRate: FAULT_RATE, retryAfterSeconds: RETRY_AFTER_S, env,
          notifier: bot.info.notifier, outbox, delivered, missing, duplicated, tries: notes.length, throttled,
          perConversation: { rate, burst, peakCountMinusRefill: round(peak), conversationsOverBucket: overBucket, maxIn1s, retryAfterBroken, breaches, inFlightWhenThrottled },
          global: { configuredPerSecond: globalPerSecond, burst: globalBurst, maxIn1s: globalMaxIn1s },
          seconds: round(seconds), wallSeconds: round((finished - started) / 1000),
          latencyMs: { p50: round(latency.p50), p90: round(latency.p90), p99: round(latency.p99), max: round(latency.max) },
        },
        notes: ['p50/p99 for the notifier are enqueue → accepted by the connector; they include the rate limits and Retry-After waits by design.'],
      };
    } finally {
      await ctx.stopBot(bot);
    }
  },
};

/**
 * The largest (requests in a window) − rate × (window length) over all windows of these sorted
 * times. A token bucket of size B refilled at `rate` per second allows at most B.
 */
function peakCount(times: number[], ratePerSecond: number): number {
  let peak = 0;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      peak = Math.max(peak, j - i + 1 - ratePerSecond * ((times[j] - times[i]) / 1000));
    }
  }
  return peak;
}

/** Most of these sorted times within any window of `ms`. */
function maxInWindow(times: number[], ms: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= ms) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
