// Bulk decisions at scale, over HTTP: 200 pending requests ticked on the pending card and
// approved by two approvers clicking Approve selected at the same moment. Each request is
// decided exactly once (by one of the two clicks, as each click's summary counts it), gets one
// membership and one audit entry, every posted copy of its card shows the decision (cards are
// posted for a few requests only, to keep the test short), and its requester is told once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import pino from 'pino';
import { Approvals } from '../../bot/actions/approvals';
import { PersonReach } from '../../bot/actions/reach';
import { submitAssociation } from '../../services/associations/associate';
import { collections } from '../../services/db/collections';
import { pollUntil } from '../support/storeAssertions';
import { adaptiveCards, type TeamsUser } from '../support/botHarness';
import { PARTNER_ID, startOrgFixture, TENANT, type OrgFixture } from '../support/orgFixture';

const REQUESTS = 200;
/** Requests whose approval cards are posted (and must be replaced); the rest only save test time. */
const WITH_CARDS = 5;

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (next < items.length) await work(items[next++]); }));
}

const summaryOf = (body: unknown) => {
  const match = /Approved (\d+), already decided (\d+), refused (\d+)\./.exec(JSON.stringify(body));
  assert.ok(match, `a summary in ${JSON.stringify(body).slice(0, 300)}`);
  return { decided: Number(match[1]), already: Number(match[2]), refused: Number(match[3]) };
};

describe('bulk approval of many requests', function () {
  this.timeout(60_000);
  let fixture: OrgFixture;
  let db: Db;

  before(async () => {
    // Hundreds of cards and messages: the notifier's Teams limits are lifted for the test.
    fixture = await startOrgFixture({ OUTBOX_GLOBAL_PER_SECOND: '2000', OUTBOX_PER_CONVERSATION_PER_SECOND: '2000' });
    db = fixture.db;
  });
  after(async () => { await fixture?.close(); });

  it(`${REQUESTS} ticked, two approvers at once: each decided, associated, audited and told exactly once`, async () => {
    const { bot, ppc, admin, person } = fixture;
    const requesters: TeamsUser[] = Array.from({ length: REQUESTS }, (_, i) => person(`Requester ${i} Outsider`, `requester${i}@other.example`));
    // Each requester has talked to the bot, so it can tell them; then their pending requests, made
    // as the association dialog's last step makes them, with the approval cards for a few.
    await inParallel(requesters, 16, (u) => u.say('status'));
    const running = bot.running;
    const logger = pino({ level: 'silent' });
    const approvals = new Approvals(running.db, running.outbox, new PersonReach(running.db, running.directory, logger), logger);
    const ids: string[] = [];
    await inParallel(requesters.map((u, i) => ({ u, i })), 8, async ({ u, i }) => {
      const { request } = await submitAssociation(running.db, { tenantId: TENANT, aadObjectId: u.account.aadObjectId, name: u.account.name },
        { partnerId: PARTNER_ID, displayName: u.account.name, email: u.account.email, emailProven: true, language: 'en' });
      assert.equal(request.status, 'pending');
      ids[i] = request._id;
      if (i < WITH_CARDS) await approvals.notifyPending(request);
    });
    const cardsOf = (u: TeamsUser) => adaptiveCards(u.conversation.activities).filter((c) => JSON.stringify(c).includes('Requester '));
    await pollUntil(async () => cardsOf(ppc).length === WITH_CARDS && cardsOf(admin).length === WITH_CARDS, { what: 'the approval cards posted' });

    // One request is rejected first; a made-up id is ticked too.
    await admin.execute('association.reject', { requestId: ids[0] });
    const ticked = Object.fromEntries([...ids, randomUUID()].map((id) => [`req_${id}`, 'true']));
    const [byPpc, byAdmin] = await Promise.all([
      ppc.execute('association.bulk', { decision: 'approve', page: 0, ...ticked }),
      admin.execute('association.bulk', { decision: 'approve', page: 0, ...ticked }),
    ]);
    const [fromPpc, fromAdmin] = [summaryOf(byPpc.body), summaryOf(byAdmin.body)];
    assert.equal(fromPpc.decided + fromAdmin.decided, REQUESTS - 1, 'every pending request decided by one click or the other');
    for (const s of [fromPpc, fromAdmin]) {
      assert.equal(s.decided + s.already, REQUESTS, 'what a click did not decide was already decided');
      assert.equal(s.refused, 1, 'the made-up id is refused');
    }

    // In the store: each decision once, by the click that counted it.
    const requests = db.collection(collections.associationRequests);
    assert.equal(await requests.countDocuments({ _id: { $in: ids.slice(1) } as never, status: 'approved', 'decidedBy.aadObjectId': ppc.account.aadObjectId }), fromPpc.decided);
    assert.equal(await requests.countDocuments({ _id: { $in: ids.slice(1) } as never, status: 'approved', 'decidedBy.aadObjectId': admin.account.aadObjectId }), fromAdmin.decided);
    assert.equal((await requests.findOne({ _id: ids[0] as never }))?.status, 'rejected');
    const audits = await db.collection(collections.audit).aggregate<{ _id: string; n: number }>([
      { $match: { subject: { $in: ids }, action: { $in: ['association.approved', 'association.rejected'] } } },
      { $group: { _id: '$subject', n: { $sum: 1 } } },
    ]).toArray();
    assert.equal(audits.length, REQUESTS);
    assert.ok(audits.every((a) => a.n === 1), 'one audit entry per decision');
    const members = await db.collection(collections.members).find({ tenantId: TENANT, aadObjectId: { $in: requesters.map((u) => u.account.aadObjectId) } }).toArray();
    assert.equal(members.length, REQUESTS - 1, 'a membership for each approved requester, none for the rejected one');
    assert.ok(members.every((m) => m.status === 'associated' && m.orgId === PARTNER_ID));

    // Every posted copy shows its decision, and each requester is told once.
    const decidedCards = (u: TeamsUser) => cardsOf(u).filter((c) => /(Approved|Rejected) by (Priya PPC|Gabe Admin)/.test(JSON.stringify(c))).length;
    const told = (u: TeamsUser) => u.conversation.activities.filter((a) => /request to associate with \*\*Fabrikam Partner Société\*\* was (approved|rejected) by/.test(a.text ?? '')).length;
    await pollUntil(async () => decidedCards(ppc) === WITH_CARDS && decidedCards(admin) === WITH_CARDS && requesters.every((u) => told(u) >= 1),
      { what: 'every card updated and every requester told', timeoutMs: 30_000 });
    await pollUntil(async () => (await db.collection(collections.outbox).countDocuments({ status: { $in: ['pending', 'leased'] } })) === 0, { what: 'the outbox drained', timeoutMs: 30_000 });
    assert.deepEqual([...new Set(requesters.map(told))], [1], 'each requester told exactly once');
    assert.equal(cardsOf(ppc).length, WITH_CARDS, 'cards were replaced in place, not posted again');
    assert.equal(await db.collection(collections.outbox).countDocuments({ status: 'dead' }), 0);
  });
});
