// One-click approval: 64 connections of approvers (the PPC and a global admin, alternately)
// sending the `adaptiveCard/action` invoke Teams sends for the card's Approve button (verb
// association.approve, { requestId }), each on a request still pending: every click decides
// (guarded update, membership, audit), replaces both approvers' posted copies and tells the
// requester through the outbox. Requests are seeded through the product's services
// (submitAssociation, then the approval cards and reminders the dialog's last step sends), by
// requesters who have talked to the bot, so the bot can reach them. Judged against the echo
// baseline (a message turn: the same one as for `status`), in alternating rounds; afterwards
// the store must show one decision per click.
import { pairedWithEcho } from '../lib/paired';
import { cardClick, requestersOf, seedPending, setUpOrganisation } from '../lib/organisation';
import { fmt } from '../lib/table';
import type { Scenario } from './types';

const CONNECTIONS = 64;
/**
 * Pending requests seeded: more than the clicks the rounds send (warm-up and 3 rounds × 3 s of
 * 64 connections, about 2,600 at the 220 clicks/s of the last full run; 3,000 ran out at 4 s).
 */
const REQUESTS = { full: 3_600, quick: 500 };
/**
 * The seeded backlog (two cards per request to the same two approvers) would take hours under
 * Teams' per-conversation limit; the run lifts the notifier's limits so it is delivered before
 * the clicks, and each click's follow-ups (two card updates and the requester's message) go out
 * as the notifier can: what a run leaves is delivered, timed and counted before the next
 * (pairedWithEcho's settle figures), so the work a click causes is all accounted for.
 */
export const FAST_OUTBOX = { OUTBOX_PER_CONVERSATION_PER_SECOND: '1000', OUTBOX_GLOBAL_PER_SECOND: '1000', OUTBOX_POLL_MS: '200' };

export const approveInvokeScenario: Scenario = {
  name: 'approve',
  title: 'approve click (`adaptiveCard/action` invoke) on distinct pending requests, 64 connections',
  target: 'throughput ≥ 0.4× echo; 0 errors',
  estimateSeconds: { quick: 40, full: 230 },
  async run(ctx) {
    const quick = ctx.options.quick;
    const total = REQUESTS[quick ? 'quick' : 'full'];
    const traffic = await ctx.traffic();
    const connector = await ctx.connector();
    await connector.reset();
    const bot = await ctx.startBot('approve', { env: FAST_OUTBOX });
    try {
      const org = await setUpOrganisation(bot, connector, traffic, 10);
      const requesters = await requestersOf(bot, connector, traffic, total, 11);
      const t = Date.now();
      const ids = await seedPending(bot, org, requesters);
      await bot.outboxSettled();
      ctx.log(`approve: ${total} pending requests seeded and their ${2 * total} approval cards delivered in ${((Date.now() - t) / 1000).toFixed(1)} s`);

      const clicks = ids.map((requestId, i) => cardClick(traffic, org.approvers[i % 2], 'association.approve', { requestId }));
      let sent = 0;
      const take = () => clicks[sent++ % clicks.length];
      const echoBodies = requesters.slice(0, 1_000).map((u) => traffic.message(u, 'status'));
      const result = await pairedWithEcho(ctx, 'approve', {
        connections: CONNECTIONS,
        subjectUrl: bot.url, subjectPid: bot.process.pid, subjectControlUrl: bot.info.controlUrl, storePid: bot.store?.pid,
        subjectBodies: clicks, subjectTake: take, echoBodies,
        afterSubject: async () => { await bot.outboxSettled(); },
        // Short runs: every click needs a request seeded beforehand (about 25 ms each).
        rounds: ctx.options.rounds ?? (quick ? 1 : 3),
        durationSeconds: ctx.options.durationSeconds ?? (quick ? 2 : 3),
        warmupSeconds: quick ? 1 : 2,
      });

      const counts = await bot.associations(org.partnerId);
      const approved = counts.requests.approved ?? 0;
      const exhausted = sent > clicks.length;
      // Every click was on a pending request: each must have decided it, once.
      const undecided = Math.max(0, Math.min(sent, clicks.length) - approved);
      const auditApproved = counts.audit['association.approved'] ?? 0;
      const dead = (await bot.counts()).outbox.dead ?? 0;
      const errors = result.subject.errors + undecided + Math.abs(auditApproved - approved) + dead;
      const throughputMet = result.throughputRatio >= 0.4;
      const met = throughputMet && errors === 0 && !exhausted;
      const { echo, subject, settle } = result;
      const withDelivery = settle && result.subjectCpu.server !== undefined && settle.serverCpuMsPerRequest !== undefined
        ? result.subjectCpu.server + settle.serverCpuMsPerRequest : undefined;
      return {
        verdict: met ? 'met' : 'missed',
        rows: [{
          scenario: this.title,
          throughput: fmt.rate(subject.throughput), p50: fmt.ms(subject.p50), p99: fmt.ms(subject.p99), errors: fmt.count(errors),
          vsEcho: `${fmt.ratio(result.throughputRatio)} throughput, ${fmt.ratio(result.p99Ratio)} p99 (echo ${fmt.rate(echo.throughput)})`,
          measured: `${fmt.count(sent)} clicks → ${fmt.count(approved)} approved, ${fmt.count(auditApproved)} audited, ${dead} notifications dead${exhausted ? ` (ran out of the ${clicks.length} seeded requests: raise REQUESTS)` : ''}; CPU per turn: bot ${fmt.ms(result.subjectCpu.server ?? Number.NaN)}, echo ${fmt.ms(result.echoCpu.server ?? Number.NaN)} (${fmt.ratio(result.cpuRatio ?? Number.NaN)})${settle ? `; the notifications left undelivered at the end took ${settle.seconds.toFixed(1)} s more: sustained ${fmt.rate(settle.sustainedThroughput)} (${fmt.ratio(settle.sustainedRatio)} echo), CPU per click with its deliveries ${fmt.ms(withDelivery ?? Number.NaN)}` : ''}; median of ${result.rounds.length} round${result.rounds.length > 1 ? 's' : ''} × ${result.rounds[0].subject.seconds.toFixed(0)} s`,
          target: this.target, verdict: met ? 'met' : 'missed',
        }],
        figures: { connections: CONNECTIONS, seeded: total, clicks: sent, exhausted, counts, deadNotifications: dead, notifierEnv: FAST_OUTBOX, ...result },
        notes: ['Echo baseline: a message turn (the echo bot has no card actions). The throughput judged is the clicks\': each answered with its final card once the decision, membership, audit entry and its three follow-up notifications (both approvers\' cards replaced, the requester told) are stored. The notifier (limits lifted for the run) delivers those in the same process while clicks keep coming, and falls behind: what is left at the end of a run is delivered before the next, timed and counted apart ("sustained" = clicks over run + delivery time).'],
      };
    } finally {
      await ctx.stopBot(bot);
    }
  },
};
