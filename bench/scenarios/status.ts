// `status` command turns, 64 connections, against the echo baseline in alternating rounds.
// 1,000 distinct users (100 with --quick) take turns (each request is the next user's), all
// primed with one turn first so the measured turns run on stored state, as a returning user's do.
// They have no association request: `status` answers "You haven't asked … yet" (a text reply).
import type { BenchContext } from '../lib/context';
import { driveEach, runPaced } from '../lib/driver';
import { round } from '../lib/stats';
import type { TeamsTraffic } from '../lib/teams';
import { pairedWithEcho } from '../lib/paired';
import { fmt } from '../lib/table';
import type { Scenario } from './types';

const CONNECTIONS = 64;
/** What the bot's onTurnError says (bot/adapter.ts). */
const FAILED_TURN = 'Sorry, something went wrong';
/** Distinct users taking turns (100 with --quick, to prime them faster). */
const USERS = { full: 1_000, quick: 100 };

export const statusScenario: Scenario = {
  name: 'status',
  title: '`status` command turn, 64 connections',
  target: 'throughput ≥ 0.5× echo; p99 ≤ 3× echo p99',
  estimateSeconds: { quick: 35, full: 150 },
  async run(ctx) {
    const traffic = await ctx.traffic();
    const connector = await ctx.connector();
    const bot = await ctx.startBot('status');
    const userCount = USERS[ctx.options.quick ? 'quick' : 'full'];
    try {
      const users = traffic.users(userCount, 1);
      const botBodies = users.map((u) => traffic.message(u, 'status'));
      const echoBodies = botBodies; // the same activities: the echo answers "Echo: status"

      await connector.reset();
      const prime = await driveEach(bot.url, botBodies, 32);
      const answered = Object.keys(await connector.transcripts('')).length;
      const failedTurns = async () => Object.values(await connector.transcripts(FAILED_TURN)).reduce((n, t) => n + t.length, 0);
      if (await failedTurns()) throw new Error(`the bot answered "${FAILED_TURN}…" while priming (see ${bot.process.logFile})`);
      ctx.log(`status: primed ${userCount} users (${prime.throughput}/s, ${prime.errors} errors); ${answered} conversations got a reply`);
      if (prime.errors > 0 || answered < userCount) throw new Error(`priming failed: ${prime.errors} errors, ${answered}/${userCount} conversations answered (${prime.firstError ?? 'no reply at the connector'})`);

      const quick = ctx.options.quick;
      const result = await pairedWithEcho(ctx, 'status', {
        connections: CONNECTIONS,
        subjectUrl: bot.url,
        subjectPid: bot.process.pid,
        subjectControlUrl: bot.info.controlUrl,
        storePid: bot.store?.pid,
        subjectBodies: botBodies,
        echoBodies,
        // Many short alternating rounds rather than one long one: a shared machine's load drifts.
        rounds: ctx.options.rounds ?? (quick ? 1 : 5),
        durationSeconds: ctx.options.durationSeconds ?? (quick ? 3 : 10),
        warmupSeconds: quick ? 1 : 3,
      });
      // Latency when neither is saturated: the same fixed request rate for both (open loop), half of
      // the bot's measured throughput. Under 64 always-busy connections, latency is just
      // 64 / throughput, so the p99 ratio there mostly restates the throughput ratio.
      const fixedRate = quick ? undefined : Math.max(10, Math.round(result.subject.throughput / 2));
      const atFixedRate = fixedRate ? {
        rate: fixedRate,
        echo: await runPaced((await ctx.echo()).info.url, echoBodies, fixedRate, 10),
        bot: await bot.resetEventLoop().then(() => runPaced(bot.url, botBodies, fixedRate, 10)),
        botEventLoop: await bot.eventLoop(),
      } : undefined;
      if (atFixedRate) ctx.log(`status: at ${fixedRate} req/s: echo p50 ${atFixedRate.echo.p50} p99 ${atFixedRate.echo.p99} ms; bot p50 ${atFixedRate.bot.p50} p99 ${atFixedRate.bot.p99} ms; the bot's event-loop delay p99 ${atFixedRate.botEventLoop.p99} ms, max ${atFixedRate.botEventLoop.max} ms`);
      // Store commands per turn, counted by the driver in a separate calibration process (the
      // counting costs a little, so it stays out of the timed process). Full runs only.
      const commandsPerTurn = quick ? undefined : await countCommandsPerTurn(ctx, traffic);
      if (commandsPerTurn) ctx.log(`status: store commands per turn: ${JSON.stringify(commandsPerTurn)}`);
      const { echo, subject } = result;
      // Turns that failed inside the bot still answer 200; they show as an apology at the connector.
      const apologies = await failedTurns();
      subject.errors += apologies;
      const throughputMet = result.throughputRatio >= 0.5;
      const p99Met = result.p99Ratio <= 3;
      const met = throughputMet && p99Met && subject.errors === 0;
      return {
        verdict: met ? 'met' : 'missed',
        rows: [
          {
            scenario: `echo baseline (Bot Framework echo bot, same stack), ${CONNECTIONS} connections`,
            throughput: fmt.rate(echo.throughput), p50: fmt.ms(echo.p50), p99: fmt.ms(echo.p99), errors: fmt.count(echo.errors),
            vsEcho: '1.00×', target: 'the baseline', verdict: 'info',
          },
          {
            scenario: this.title,
            throughput: fmt.rate(subject.throughput), p50: fmt.ms(subject.p50), p99: fmt.ms(subject.p99), errors: fmt.count(subject.errors),
            vsEcho: `${fmt.ratio(result.throughputRatio)} throughput (${throughputMet ? 'met' : 'missed'}), ${fmt.ratio(result.p99Ratio)} p99 (${p99Met ? 'met' : 'missed'})`,
            measured: `${commandsPerTurn ? `${commandsPerTurn.total} store commands per turn; ` : ''}${atFixedRate
              ? `at a fixed ${atFixedRate.rate} req/s p99 ${fmt.ms(atFixedRate.bot.p99)} vs echo ${fmt.ms(atFixedRate.echo.p99)} (${fmt.ratio(atFixedRate.bot.p99 / atFixedRate.echo.p99)}); ` : ''}CPU per turn: bot ${fmt.ms(result.subjectCpu.server ?? Number.NaN)}, echo ${fmt.ms(result.echoCpu.server ?? Number.NaN)} (${fmt.ratio(result.cpuRatio ?? Number.NaN)}); median of ${result.rounds.length} round${result.rounds.length > 1 ? 's' : ''} × ${result.rounds[0].subject.seconds.toFixed(0)} s`,
            target: this.target, verdict: met ? 'met' : 'missed',
          },
        ],
        figures: { connections: CONNECTIONS, users: userCount, store: bot.info.store, prime, failedTurnsInLastRound: apologies, commandsPerTurn, atFixedRate, ...result },
        notes: [`The users have no association request, so \`status\` answers with one text message (one reply to the connector)${commandsPerTurn ? `; store commands per turn: ${Object.entries(commandsPerTurn).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v}`).join(', ')} (findAndModify: the notifier's and scheduler's polls)` : ''}.`],
      };
    } finally {
      await ctx.stopBot(bot);
    }
  },
};

/** Store commands per `status` turn of a returning user, by command name, and their total. */
async function countCommandsPerTurn(ctx: BenchContext, traffic: TeamsTraffic): Promise<Record<string, number> & { total: number }> {
  const probe = await ctx.startBot('status-commands', { env: { BENCH_COUNT_COMMANDS: '1' } });
  try {
    const users = traffic.users(20, 4);
    const bodies = users.map((u) => traffic.message(u, 'status'));
    await driveEach(probe.url, bodies, 4); // first turns: new users
    await probe.resetCommands();
    const turns = 200;
    const run = await driveEach(probe.url, Array.from({ length: turns }, (_, i) => bodies[i % bodies.length]), 4);
    if (run.errors) throw new Error(`calibration turns failed: ${run.firstError}`);
    const counts = await probe.commands();
    const perTurn: Record<string, number> = {};
    let total = 0;
    for (const [name, n] of Object.entries(counts)) { perTurn[name] = round(n / turns); total += n / turns; }
    return { ...perTurn, total: round(total) };
  } finally {
    await ctx.stopBot(probe);
  }
}
