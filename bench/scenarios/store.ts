// The embedded store on its own: bench/store.ts (insert throughput, then indexed point lookups)
// in a child process, 10⁶ documents (50,000 with --quick), its JSON read back.
import { runBenchScript } from '../lib/script';
import { fmt } from '../lib/table';
import type { Scenario } from './types';

interface StoreResult {
  documents: number;
  insert: { seconds: number; docsPerSecond: number; batch: number };
  lookups: { label: string; median: number; p99: number }[];
  rssMB: number;
}

export const storeScenario: Scenario = {
  name: 'store',
  title: 'embedded store: point lookup on a unique index in 1,000,000 documents',
  target: '≤ 1 ms median; insert throughput reported',
  estimateSeconds: { quick: 15, full: 90 },
  async run(ctx) {
    const docs = ctx.options.quick ? 50_000 : 1_000_000;
    const lookups = ctx.options.quick ? 2_000 : 5_000;
    const result = await runBenchScript<StoreResult>(ctx, 'store', 'store.ts', ['--docs', String(docs), '--lookups', String(lookups)], 'store.json');
    const unique = result.lookups.find((l) => l.label.startsWith('findOne by unique'));
    if (!unique) throw new Error('bench/store.ts reported no unique-index lookup');
    const met = unique.median <= 1;
    const scaled = result.documents !== 1_000_000;
    return {
      verdict: met ? 'met' : 'missed',
      rows: [{
        scenario: `embedded store: point lookup on a unique index, ${result.documents.toLocaleString('en')} documents`,
        throughput: fmt.rate(result.insert.docsPerSecond, 'docs/s inserted'),
        p50: fmt.ms(unique.median), p99: fmt.ms(unique.p99), errors: '0', vsEcho: 'n/a (no HTTP)',
        measured: `median ${fmt.ms(unique.median)}; RSS ${fmt.mb(result.rssMB)}${scaled ? ' (--quick: 50,000 documents)' : ''}`,
        target: '≤ 1 ms median', verdict: met ? 'met' : 'missed',
      }],
      figures: { ...result },
      notes: ['Driver and store in one process, memory only (bench/store.ts); throughput = insertMany of 1,000 with a unique and a compound index.'],
    };
  },
};
