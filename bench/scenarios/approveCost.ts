// What one approve click costs, alone: the store commands it causes (counted by the driver, the
// bot started with BENCH_COUNT_COMMANDS=1) and the bot's CPU, per click, clicks sent one after
// another so nothing overlaps, each click's follow-ups (two card updates, the requester's
// message) delivered before the counts are read. A calibration for the `approve` scenario's
// throughput: it says where a click's time goes, not how fast the bot is under load.
import { withCpu } from '../lib/cpu';
import { cardClick, requestersOf, seedPending, setUpOrganisation } from '../lib/organisation';
import { median, round } from '../lib/stats';
import { fmt } from '../lib/table';
import { ID_PLACEHOLDER } from '../lib/teams';
import { FAST_OUTBOX } from './approve';
import type { Scenario } from './types';

const CLICKS = { full: 200, quick: 20 };

export const approveCostScenario: Scenario = {
  name: 'approve-cost',
  title: 'approve click alone: store commands and CPU per click',
  target: 'information (explains `approve`)',
  estimateSeconds: { quick: 20, full: 40 },
  async run(ctx) {
    const count = CLICKS[ctx.options.quick ? 'quick' : 'full'];
    const traffic = await ctx.traffic();
    const connector = await ctx.connector();
    await connector.reset();
    const bot = await ctx.startBot('approve-cost', { env: { ...FAST_OUTBOX, BENCH_COUNT_COMMANDS: '1' } });
    try {
      const org = await setUpOrganisation(bot, connector, traffic, 40);
      const requesters = await requestersOf(bot, connector, traffic, count, 41);
      const ids = await seedPending(bot, org, requesters);
      await bot.outboxSettled();
      await bot.resetCommands();
      const latencies: number[] = [];
      let errors = 0;
      const { cpu } = await withCpu({ server: bot.process.pid }, () => ctx.profiled(bot.info.controlUrl, 'approve-cost', async () => {
        for (const [i, requestId] of ids.entries()) {
          const started = process.hrtime.bigint();
          const response = await fetch(`${bot.url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: cardClick(traffic, org.approvers[i % 2], 'association.approve', { requestId }).replace(ID_PLACEHOLDER, `c${i}`),
          });
          const body = await response.text();
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (response.status !== 200 || !body.includes('application/vnd.microsoft.card.adaptive')) errors++;
        }
        await bot.outboxSettled();
      }));
      const commands = await bot.commands();
      const total = Object.values(commands).reduce((s, n) => s + n, 0);
      const perClick = Object.fromEntries(Object.entries(commands).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, round(n / count, 2)]));
      const cpuMs = cpu.server === undefined ? Number.NaN : (cpu.server * 1000) / count;
      const approved = (await bot.associations(org.partnerId)).requests.approved ?? 0;
      if (approved !== count) errors += Math.abs(count - approved);
      return {
        verdict: errors ? 'failed' : 'info',
        rows: [{
          scenario: this.title,
          p50: fmt.ms(median(latencies)), p99: fmt.ms(Math.max(...latencies)), errors: fmt.count(errors),
          vsEcho: 'n/a (one at a time)',
          measured: `${count} clicks, each with its follow-ups delivered: ${round(total / count, 3)} store commands per click (${Object.entries(perClick).map(([k, n]) => `${k} ${n}`).join(', ')}); bot CPU ${fmt.ms(cpuMs)} per click (counting commands costs a little)`,
          target: this.target, verdict: errors ? 'failed' : 'info',
        }],
        figures: { clicks: count, commandsPerClick: round(total / count, 3), byCommand: perClick, cpuMsPerClick: round(cpuMs, 2), latencyMedianMs: round(median(latencies), 1), approved },
      };
    } finally {
      await ctx.stopBot(bot);
    }
  },
};
