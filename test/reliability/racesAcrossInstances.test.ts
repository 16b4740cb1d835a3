// Races across instances (issue 7): two bot processes on one store process, one connector; for
// every pending request the PPC and a global admin click Approve at the same moment through
// different instances. Exactly one decision, audit entry and membership per request; both
// clicks are shown the same decision; each requester is told once; every card copy ends in its
// final state. bench/reliability/races.ts runs the same with 500 requests.
import assert from 'node:assert/strict';
import { raceAcrossInstances } from '../support/raceAcrossInstances';

const REQUESTS = 40;

describe('two approvers racing through two bot instances on one store', function () {
  this.timeout(90_000); // typically 20 to 30 s; generous for a machine shared with other runs

  it(`decides each of ${REQUESTS} requests exactly once and tells each requester once`, async () => {
    const c = await raceAcrossInstances({ requests: REQUESTS });
    assert.equal(c.badAnswers, 0, 'every click is answered with a card');
    assert.equal(c.disagreements, 0, 'both clicks of a pair show the same decision');
    assert.equal(c.approved, REQUESTS);
    assert.equal(c.decided, REQUESTS);
    assert.equal(c.audited, REQUESTS, 'one audit entry per decision');
    assert.equal(c.auditedSubjects, REQUESTS);
    assert.equal(c.memberships, REQUESTS);
    assert.deepEqual({ once: c.toldOnce, more: c.toldMoreThanOnce, none: c.notTold }, { once: REQUESTS, more: 0, none: 0 });
    assert.equal(c.cardCopies, 2 * REQUESTS, 'one approval card per approver and request');
    assert.equal(c.cardCopiesFinal, 2 * REQUESTS, 'every copy shows the decision, without buttons');
    assert.equal(c.deadNotifications, 0);
  });
});
