// The association dialog end to end: 32 virtual users, each taking one new employee at a time
// through every turn (`associate`, the Partner ID, the profile form submitted with the address
// Teams knows for them — a pre-approved domain, so the member lookup proves it — and "Yes" at
// the confirmation), then the next employee. The echo baseline gets the same turns from the
// same driver at the same concurrency, in alternating rounds; the target is about the latency
// of a turn, and completed associations per second are reported. Every association is checked
// in the store afterwards (accepted requests and memberships).
import { withCpu } from '../lib/cpu';
import { runVirtualUsers, type DriveFigures } from '../lib/driver';
import { setUpOrganisation } from '../lib/organisation';
import { median, round } from '../lib/stats';
import { fmt } from '../lib/table';
import type { BenchUser, TeamsTraffic } from '../lib/teams';
import type { Scenario } from './types';

const USERS = 32;
const TURNS = 4;
/** Associations per bot round, and rounds (echo and bot alternate). */
const PLAN = { full: { perRound: 400, rounds: 3 }, quick: { perRound: 40, rounds: 1 } };

export const associationDialogScenario: Scenario = {
  name: 'associate',
  title: 'association dialog end to end (all turns, pre-approved domain), 32 virtual users',
  target: 'completed associations/s reported; p99 per turn ≤ 4× echo p99',
  estimateSeconds: { quick: 30, full: 70 },
  async run(ctx) {
    const plan = PLAN[ctx.options.quick ? 'quick' : 'full'];
    const rounds = ctx.options.rounds ?? plan.rounds;
    const traffic = await ctx.traffic();
    const connector = await ctx.connector();
    await connector.reset();
    const bot = await ctx.startBot('associate');
    const echo = await ctx.echo();
    try {
      const org = await setUpOrganisation(bot, connector, traffic, 40);
      // Fresh employees for every bot round (an employee associates once); warm-up first.
      const warmup = traffic.users(USERS * 2, 41);
      const employees = Array.from({ length: rounds }, (_, r) => traffic.users(plan.perRound, 42 + r));
      await connector.accounts([...warmup, ...employees.flat()].map((u) => u.account));
      const turnsOf = (u: BenchUser) => dialogTurns(traffic, u, org.partnerId);
      const drive = (url: string, users: BenchUser[]) => {
        let next = 0;
        return runVirtualUsers(url, USERS, async (session) => {
          while (next < users.length) {
            for (const body of turnsOf(users[next++])) {
              const turn = await session.post(body);
              if (turn.status !== 200) return; // counted as an error; this user stops
            }
          }
        });
      };
      const measured = async (which: 'echo' | 'bot', url: string, pid: number, controlUrl: string, users: BenchUser[], label: string) => {
        const { result, cpu } = await withCpu({ server: pid }, () => ctx.profiled(controlUrl, label, () => drive(url, users)));
        return { figures: result, cpuPerTurn: cpu.server === undefined ? undefined : round((cpu.server * 1000) / result.requests), which };
      };

      ctx.log(`associate: warm-up, ${warmup.length} associations`);
      await drive(echo.info.url, warmup);
      const warm = await drive(bot.url, warmup);
      if (warm.errors) throw new Error(`warm-up turns failed: ${warm.firstError}`);

      const results: { echo: DriveFigures; bot: DriveFigures; echoCpu?: number; botCpu?: number; p99Ratio: number; associationsPerSecond: number }[] = [];
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ['echo', 'bot'] as const : ['bot', 'echo'] as const;
        const runs: Partial<Record<'echo' | 'bot', Awaited<ReturnType<typeof measured>>>> = {};
        for (const which of order) {
          runs[which] = which === 'echo'
            ? await measured('echo', echo.info.url, echo.pid, echo.info.controlUrl, employees[r], `associate-echo-round${r + 1}`)
            : await measured('bot', bot.url, bot.process.pid, bot.info.controlUrl, employees[r], `associate-bot-round${r + 1}`);
        }
        const e = runs.echo!;
        const b = runs.bot!;
        const entry = {
          echo: e.figures, bot: b.figures, echoCpu: e.cpuPerTurn, botCpu: b.cpuPerTurn,
          p99Ratio: round(b.figures.p99 / e.figures.p99),
          associationsPerSecond: round(employees[r].length / b.figures.seconds),
        };
        results.push(entry);
        ctx.log(`associate: round ${r + 1}/${rounds}: ${entry.associationsPerSecond} associations/s; per turn bot p50 ${b.figures.p50} p99 ${b.figures.p99} ms, echo p50 ${e.figures.p50} p99 ${e.figures.p99} ms (${entry.p99Ratio}× p99); CPU ms/turn bot ${b.cpuPerTurn}, echo ${e.cpuPerTurn}`);
      }

      // Every association, checked where it matters: the store.
      const expected = warmup.length + employees.flat().length;
      const counts = await bot.associations(org.partnerId);
      const accepted = counts.requests.accepted ?? 0;
      const members = counts.associatedMembers - org.approvers.length;
      const httpErrors = results.reduce((s, x) => s + x.bot.errors, 0) + warm.errors;
      const missing = expected - Math.min(accepted, members);
      const errors = httpErrors + Math.max(0, missing);

      const p99Ratio = median(results.map((x) => x.p99Ratio));
      const rate = median(results.map((x) => x.associationsPerSecond));
      const botFig = { p50: median(results.map((x) => x.bot.p50)), p99: median(results.map((x) => x.bot.p99)), throughput: median(results.map((x) => x.bot.throughput)) };
      const echoFig = { p50: median(results.map((x) => x.echo.p50)), p99: median(results.map((x) => x.echo.p99)), throughput: median(results.map((x) => x.echo.throughput)) };
      const botCpu = median(results.flatMap((x) => (x.botCpu === undefined ? [] : [x.botCpu])));
      const echoCpu = median(results.flatMap((x) => (x.echoCpu === undefined ? [] : [x.echoCpu])));
      const met = p99Ratio <= 4 && errors === 0;
      return {
        verdict: met ? 'met' : 'missed',
        rows: [{
          scenario: 'association dialog end to end (4 turns, pre-approved domain), 32 virtual users',
          throughput: fmt.rate(rate, 'assoc/s'), p50: fmt.ms(botFig.p50), p99: fmt.ms(botFig.p99), errors: fmt.count(errors),
          vsEcho: `${fmt.ratio(p99Ratio)} p99 per turn (echo ${fmt.ms(echoFig.p99)})`,
          measured: `${fmt.rate(rate, 'completed associations/s')} (${fmt.rate(botFig.throughput, 'turns/s')} vs echo ${fmt.rate(echoFig.throughput, 'turns/s')}); ${fmt.count(accepted)}/${fmt.count(expected)} accepted and associated in the store; CPU per turn: bot ${fmt.ms(botCpu)}, echo ${fmt.ms(echoCpu)}; median of ${rounds} round${rounds > 1 ? 's' : ''} × ${plan.perRound} associations`,
          target: this.target, verdict: met ? 'met' : 'missed',
        }],
        figures: { users: USERS, turnsPerAssociation: TURNS, plan, store: bot.info.store, warmup: warm, rounds: results, counts, expected, httpErrors, p99Ratio, associationsPerSecond: rate, cpuPerTurn: { bot: botCpu, echo: echoCpu } },
        notes: ['Each virtual user runs one employee at a time through `associate`, the Partner ID, the profile form (the address Teams knows, on a pre-approved domain: proven by the member lookup) and "Yes"; latency is per turn; the echo gets the same turns from the same driver.'],
      };
    } finally {
      await ctx.stopBot(bot);
    }
  },
};

/** The four turns of one association, as a Teams client sends them. */
function dialogTurns(traffic: TeamsTraffic, user: BenchUser, partnerId: string): string[] {
  return [
    traffic.message(user, 'associate'),
    traffic.message(user, partnerId),
    traffic.body(user, { type: 'message', value: { form: 'association.profile', displayName: user.account.name, email: user.account.email, phone: '', language: 'en', mcid: '' } }),
    traffic.message(user, 'Yes'),
  ];
}
