// The fuzz property of test/security/fuzz.test.ts at full size (issue 7: 10,000 generated
// activities and card payloads), printing its counts. `npx tsx bench/security/fuzz.ts [--runs N]
// [--seed S]`. Exit code 1 if any case broke a rule or tenant A's data changed.
import fc from 'fast-check';
import type { Document } from 'bson';
import { assertSameDigest, digestOf, mentionsAny, TIMER_BOOKKEEPING_FIELDS } from '../../test/support/digest';
import { fuzzCases, playCase, problemsWith } from '../../test/security/fuzzModel';
import { ORG_A, ORG_B, startTwoTenants, TENANT_A, TENANT_B } from '../../test/security/twoTenants';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const runs = option('runs', 10_000);
  const seed = option('seed', 20260307);
  const fx = await startTwoTenants({ LOG_LEVEL: 'warn' });
  const mentionsA = mentionsAny([TENANT_A, `"${ORG_A}"`]);
  const mentionsB = mentionsAny([TENANT_B, `"${ORG_B}"`]);
  const onlyA = (doc: Document) => mentionsA(doc) || !mentionsB(doc);
  const digestOptions = { exclude: ['botState', 'conversationRefs'], only: onlyA, ignoreFields: TIMER_BOOKKEEPING_FIELDS };
  const kinds = new Map<string, number>();
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  const started = Date.now();
  try {
    const before = await digestOf(fx.db, digestOptions);
    // Every case runs and is counted; a broken rule is collected, not stopped at.
    await fc.assert(fc.asyncProperty(fuzzCases(fx), async (c) => {
      const result = await playCase(fx, c);
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      for (const p of problemsWith(c, result)) problems.push(`${c.actor} ${c.kind}: ${p} — ${JSON.stringify(c.fields).slice(0, 300)}`);
      const done = [...kinds.values()].reduce((a, b) => a + b, 0);
      if (done % 1000 === 0) process.stdout.write(`  ${done} cases, ${Math.round((Date.now() - started) / 1000)} s\n`);
    }), { numRuns: runs, seed });
    let dataChanged = 'none';
    try { assertSameDigest(await digestOf(fx.db, digestOptions), before, "tenant A's data"); } catch (err) { dataChanged = (err as Error).message.split('\n')[0]; }
    const failedTurns = fx.bot.logs.filter((l) => /"turn failed"|"request failed"/.test(l)).length;
    console.log(`fuzz: ${runs} cases in ${Math.round((Date.now() - started) / 1000)} s (seed ${seed})`);
    console.log(`  kinds: ${[...kinds].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`  HTTP: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}; 5xx: ${[...statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0)}`);
    console.log(`  failed turns logged: ${failedTurns}; answers breaking a rule: ${problems.length}; tenant A's data changed: ${dataChanged}`);
    for (const p of problems.slice(0, 20)) console.log(`  ! ${p}`);
    process.exitCode = problems.length || failedTurns || dataChanged !== 'none' ? 1 : 0;
  } finally {
    await fx.close();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
