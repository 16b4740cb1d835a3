// Memory: 10,000 distinct users, each in a conversation of their own, send `status` once to a
// fresh bot process. The bot process (started with --expose-gc) reports its RSS after a forced
// GC at checkpoints; the target compares 10,000 with the first 1,000.
import { driveEach, type DriveFigures } from '../lib/driver';
import type { MemoryReport } from '../lib/controlServer';
import { fmt } from '../lib/table';
import { round } from '../lib/stats';
import type { Scenario } from './types';

const FIRST = 1_000;
const CONCURRENCY = 32;
/** Conversations after which the bot's memory is read; --quick stops at 1,500 to stay short. */
const CHECKPOINTS = { full: [1_000, 2_500, 5_000, 7_500, 10_000], quick: [1_000, 1_500] };

export const memoryScenario: Scenario = {
  name: 'memory',
  title: 'memory: 10,000 distinct conversations through `status`',
  target: 'RSS after GC within 1.5× of RSS after the first 1,000',
  estimateSeconds: { quick: 25, full: 75 },
  async run(ctx) {
    const checkpoints = CHECKPOINTS[ctx.options.quick ? 'quick' : 'full'];
    const TOTAL = checkpoints[checkpoints.length - 1];
    const traffic = await ctx.traffic();
    const connector = await ctx.connector();
    await connector.reset();
    const bot = await ctx.startBot('memory', { nodeFlags: ['--expose-gc'] });
    try {
      const users = traffic.users(TOTAL, 2);
      const bodies = users.map((u) => traffic.message(u, 'status'));
      const start = await bot.memory(true);
      if (!start.gc) throw new Error('the bot process has no gc(): --expose-gc did not reach it');
      const points: { conversations: number; memory: MemoryReport; drive: DriveFigures }[] = [];
      let done = 0;
      for (const checkpoint of checkpoints) {
        const drive = await driveEach(bot.url, bodies.slice(done, checkpoint), CONCURRENCY);
        done = checkpoint;
        const memory = await bot.memory(true);
        points.push({ conversations: checkpoint, memory, drive });
        ctx.log(`memory: ${checkpoint} conversations: RSS ${memory.rssMB} MB, heap used ${memory.heapUsedMB} MB after GC (${drive.throughput} turns/s, ${drive.errors} errors)`);
      }
      const counts = await bot.counts();
      // The echo baseline through the same driver, same concurrency, distinct conversations too.
      const echo = await ctx.echo();
      const echoRun = await driveEach(echo.info.url, bodies.slice(0, ctx.options.quick ? 1_000 : 2_000), CONCURRENCY);
      const first = points.find((p) => p.conversations === FIRST)!.memory;
      const last = points[points.length - 1].memory;
      const rssRatio = round(last.rssMB / first.rssMB);
      const heapRatio = round(last.heapUsedMB / first.heapUsedMB);
      const errors = points.reduce((s, p) => s + p.drive.errors, 0);
      // The turns after the first 1,000 (the first ones include JIT warm-up).
      const later = points.slice(1).map((p) => p.drive);
      const turns = later.reduce((s, d) => s + d.requests, 0);
      const seconds = later.reduce((s, d) => s + d.seconds, 0);
      const p50 = Math.max(...later.map((d) => d.p50));
      const p99 = Math.max(...later.map((d) => d.p99));
      const perConversationKB = round(((last.heapUsedMB - first.heapUsedMB) * 1024) / (TOTAL - FIRST));
      const met = rssRatio <= 1.5 && errors === 0 && counts.conversationRefs === TOTAL;
      return {
        verdict: met ? 'met' : 'missed',
        rows: [{
          scenario: this.title,
          throughput: fmt.rate(turns / seconds, 'turns/s'), p50: fmt.ms(p50), p99: fmt.ms(p99), errors: fmt.count(errors),
          vsEcho: `${fmt.ratio(turns / seconds / echoRun.throughput)} throughput, ${fmt.ratio(p99 / echoRun.p99)} p99 (32 at once)`,
          measured: `RSS after GC ${fmt.mb(first.rssMB)} at 1,000 → ${fmt.mb(last.rssMB)} at ${fmt.count(TOTAL)}: ${fmt.ratio(rssRatio)} (heap ${fmt.ratio(heapRatio)}, ${perConversationKB} KB per conversation)${TOTAL < 10_000 ? ` (--quick: ${fmt.count(TOTAL)} conversations)` : ''}`,
          target: '≤ 1.50×', verdict: met ? 'met' : 'missed',
        }],
        figures: {
          conversations: TOTAL, concurrency: CONCURRENCY, store: bot.info.store, atStart: start, rssRatio, heapRatio, heapKBPerConversation: perConversationKB,
          checkpoints: points, echo: echoRun, storedConversationRefs: counts.conversationRefs, storedBotState: counts.botState,
          latencyNote: 'p50/p99 in the table: the highest of the checkpoint phases after the first 1,000',
        },
        notes: [`The store keeps ${counts.conversationRefs.toLocaleString('en')} conversation references and ${counts.botState.toLocaleString('en')} dialog-state documents in the same process: part of the growth is data, not a leak.`],
      };
    } finally {
      await ctx.stopBot(bot);
    }
  },
};
