// Fuzzed input (issue 7): generated Teams activities and card payloads for every verb (wrong
// types, missing fields, 1 MB and 100,000-character strings, control characters and odd Unicode,
// query-operator objects, unknown verbs, other organisations' ids) against the real bot over
// HTTP. No 5xx, no failed turn, an answer the user can read without internals in it, and tenant
// A's stored data unchanged (see fuzzModel.ts for the input space). bench/security/fuzz.ts runs
// the same property 10,000 times.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Document } from 'bson';
import { assertSameDigest, digestOf, mentionsAny, TIMER_BOOKKEEPING_FIELDS } from '../support/digest';
import { fuzzCases, playCase, problemsWith } from './fuzzModel';
import { ORG_A, ORG_B, startTwoTenants, TENANT_A, TENANT_B, type TwoTenants } from './twoTenants';

// About 20 s on 2 cores (longer while other work loads the machine); bench/security/fuzz.ts runs 10,000.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

describe('fuzzed activities and card payloads', function () {
  this.timeout(90_000);
  let fx: TwoTenants;
  let onlyA: (doc: Document) => boolean;

  before(async () => {
    fx = await startTwoTenants({ LOG_LEVEL: 'warn' });
    const mentionsA = mentionsAny([TENANT_A, `"${ORG_A}"`]);
    const mentionsB = mentionsAny([TENANT_B, `"${ORG_B}"`]);
    onlyA = (doc) => mentionsA(doc) || !mentionsB(doc);
  });
  after(async () => { await fx?.close(); });

  it(`${RUNS} generated cases: no 5xx, no failed turn, a readable answer, tenant A's data unchanged`, async () => {
    const before = await digestOf(fx.db, { exclude: ['botState', 'conversationRefs'], only: onlyA, ignoreFields: TIMER_BOOKKEEPING_FIELDS });
    const kinds = new Map<string, number>();
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(fuzzCases(fx), async (c) => {
      const result = await playCase(fx, c);
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      const problems = problemsWith(c, result);
      assert.deepEqual(problems, [], `${c.actor} ${c.kind}: ${JSON.stringify(c.fields).slice(0, 400)}`);
    }), { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20260307), endOnFailure: true });

    assertSameDigest(await digestOf(fx.db, { exclude: ['botState', 'conversationRefs'], only: onlyA, ignoreFields: TIMER_BOOKKEEPING_FIELDS }), before, "tenant A's data");
    const failedTurns = fx.bot.logs.filter((l) => /"turn failed"|"request failed"/.test(l));
    assert.deepEqual(failedTurns.map((l) => l.slice(0, 400)), []);
    process.stdout.write(`      fuzz: ${RUNS} cases (${[...kinds].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', ')}); HTTP ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}; 0 problems\n`);
  });

  describe('regressions found by fuzzing', () => {
    it('an invoke the bot has no handler for (message extension, task module, no name) is a 400 with a reason, not a 501', async () => {
      for (const name of ['', 'composeExtension/query', 'task/fetch', 'fileConsent/invoke']) {
        const result = await playCase(fx, { actor: 'bNewcomer', scope: 'personal', kind: 'invoke', fields: { type: 'invoke', name, value: 'unlink' } });
        assert.equal(result.status, 400, name);
      }
    });

    it('an activity with an empty or blank type is refused with 400 before any turn (no failed turn in the log)', async () => {
      const failedBefore = fx.bot.logs.filter((l) => /"turn failed"/.test(l)).length;
      for (const type of ['', ' ']) {
        const result = await playCase(fx, { actor: 'bMember', scope: 'personal', kind: 'odd activity type', fields: { type, text: 'help' } });
        assert.equal(result.status, 400, JSON.stringify(type));
      }
      assert.equal(fx.bot.logs.filter((l) => /"turn failed"/.test(l)).length, failedBefore);
    });

    it('a file consent invoke without a value (found in the 10,000-case run) is a 400, not a failed turn', async () => {
      const result = await playCase(fx, { actor: 'bAdmin', scope: 'personal', kind: 'invoke', fields: { type: 'invoke', name: 'fileConsent/invoke', value: null } });
      assert.equal(result.status, 400);
    });

    it('a card action invoke whose value has no action object is a 400 with a reason, not a failed turn', async () => {
      for (const value of ['false', 7, null, [], { action: 'x' }, { action: null }, { verb: 'command.run' }]) {
        const result = await playCase(fx, { actor: 'bAdmin', scope: 'personal', kind: 'invoke', fields: { type: 'invoke', name: 'adaptiveCard/action', value } });
        assert.equal(result.status, 400, JSON.stringify(value));
        assert.deepEqual(problemsWith({ actor: 'bAdmin', scope: 'personal', kind: 'invoke', fields: { type: 'invoke', name: 'adaptiveCard/action' } }, result), []);
      }
    });
  });
});
