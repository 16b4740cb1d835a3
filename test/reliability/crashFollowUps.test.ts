// kill -9 between a write and its follow-ups (issue 7): a pending request is stored and the
// process dies before its approval cards are enqueued; the PPC's decision is stored and the
// process dies before the membership, audit entry, card updates and requester notification.
// After each restart (same data folder, embedded store in the bot's process, so SIGKILL takes it
// down too) the follow-up sweep (bot/actions/associationFollowUps.ts) finishes that work, once.
// The exact crash points are test-only fault hooks in test/support/botProcessMain.ts.
import assert from 'node:assert/strict';
import type { LocalConnector } from '../../bot/local/connector';
import { collections } from '../../services/db/collections';
import { adaptiveCards, newAccount, startStandaloneConnector } from '../support/botHarness';
import { texts } from '../support/orgFixture';
import { pollUntil } from '../support/storeAssertions';
import { CrashLab, outboxSettled, PARTNER_ID, seedOrganisation, submitForm, TENANT, userAt } from './fixture';

describe('kill -9 of the bot between a write and its follow-ups', function () {
  this.timeout(60_000);
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  let lab: CrashLab;
  before(async () => { standalone = await startStandaloneConnector(); lab = await CrashLab.open(); });
  after(async () => { await lab?.close(); await standalone?.close(); });

  it('finishes the approval cards of a request stored just before a crash, and the notification of a decision stored just before one, once', async () => {
    const connector = standalone.connector;
    // 1. The request is stored, then the process dies before any approval card is enqueued.
    let { bot, db } = await lab.boot('decision', { RELIABILITY_FAULT: 'kill-after-pending-insert' });
    const { ppc, admin } = await seedOrganisation(db, connector);
    for (const approver of [ppc, admin]) await userAt(bot.url, connector, approver).say('help'); // their chats are known
    const otto = newAccount(connector, TENANT, 'Otto Outsider', 'otto@elsewhere.example');
    await userAt(bot.url, connector, otto).say('associate');
    await userAt(bot.url, connector, otto).say(PARTNER_ID);
    assert.match(texts((await submitForm(userAt(bot.url, connector, otto), {})).replies), /Send the request\?/);
    await assert.rejects(userAt(bot.url, connector, otto).say('Yes'), 'the process dies during this turn');
    await lab.died(bot);

    // 2. Restarted: the approvers get their cards; the PPC approves, and the process dies right
    // after the decision is stored (no membership, audit entry, card update or notification yet).
    ({ bot, db } = await lab.boot('decision', { RELIABILITY_FAULT: 'kill-after-decision' }));
    const request = await db.collection(collections.associationRequests).findOne({ 'requester.aadObjectId': otto.aadObjectId });
    assert.equal(request?.status, 'pending', 'the acknowledged request survived');
    const requestId = String(request!._id);
    // Otto's approval card in an approver's chat (the final card carries no request id: no buttons).
    const approvalCards = (account: typeof ppc) => adaptiveCards(connector.personalConversation(account).activities).filter((c) => JSON.stringify(c).includes('Otto Outsider'));
    await pollUntil(async () => approvalCards(ppc).length === 1 && approvalCards(admin).length === 1, { timeoutMs: 15_000, what: 'both approval cards after the restart' });
    assert.match(JSON.stringify(approvalCards(admin)[0]), /"verb":"association\.approve"/);
    assert.ok(await db.collection(collections.scheduledJobs).findOne({ _id: `association-remind:${requestId}` as never }), 'the 24 h reminder is scheduled');
    assert.equal(await db.collection(collections.audit).countDocuments({ subject: requestId, action: 'association.requested' }), 1);
    // The user's interrupted turn was not saved: the dialog is still at the confirmation, and the
    // answer now finds the stored request instead of making a second one.
    assert.match(texts(await userAt(bot.url, connector, otto).say('Yes')), /You already have a request waiting for Northwind/);
    await assert.rejects(userAt(bot.url, connector, ppc).execute('association.approve', { requestId }), 'the process dies during the click');
    await lab.died(bot);

    // 3. Restarted without faults: the decision's follow-ups are finished, each once.
    ({ bot, db } = await lab.boot('decision'));
    const told = () => connector.personalConversation(otto).activities.filter((a) => /was approved by Pia PPC/.test(a.text ?? ''));
    await pollUntil(async () => told().length > 0, { timeoutMs: 15_000, what: 'the requester told after the restart' });
    await pollUntil(async () => [ppc, admin].every((a) => /Approved by Pia PPC/.test(JSON.stringify(approvalCards(a)))), { timeoutMs: 15_000, what: 'every card copy in its final state' });
    for (const approver of [ppc, admin]) {
      assert.equal(approvalCards(approver).length, 1);
      assert.doesNotMatch(JSON.stringify(approvalCards(approver)[0]), /"verb":"association\.approve"/);
    }
    assert.equal((await db.collection(collections.associationRequests).findOne({ _id: requestId as never }))?.status, 'approved');
    assert.equal((await db.collection(collections.members).findOne({ aadObjectId: otto.aadObjectId }))?.status, 'associated');
    assert.equal(await db.collection(collections.audit).countDocuments({ subject: requestId, action: 'association.approved' }), 1);
    // A late second click shows the decision and tells nobody again.
    assert.match(JSON.stringify((await userAt(bot.url, connector, admin).execute('association.approve', { requestId })).body), /Approved by Pia PPC/);
    await outboxSettled(db);
    assert.equal(told().length, 1, 'the requester is told exactly once');
    assert.equal(await db.collection(collections.outbox).countDocuments({ status: 'dead' }), 0);
    await lab.crash(bot);
  });
});
