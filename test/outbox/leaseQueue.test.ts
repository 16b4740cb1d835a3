// The lease mechanism both the outbox and the scheduler use: exclusive claims across clients,
// transitions guarded by the claim's token, lease expiry, and release on shutdown.
import assert from 'node:assert/strict';
import type { Db, MongoClient } from 'mongodb';
import { collections } from '../../services/db/collections';
import { Outbox } from '../../services/outbox/outbox';
import { OutboxQueue } from '../../services/outbox/outboxQueue';
import { ManualClock } from '../../services/queue/clock';
import { useStoreSuite } from '../support/store';
import { closeAll, connectClients } from '../support/storeAssertions';
import { freshIndexedDb, sendRequest } from './fixtures';

describe('lease queue', () => {
  const suite = useStoreSuite();
  let db: Db;
  let clock: ManualClock;
  let outbox: Outbox;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    clock = new ManualClock();
    outbox = new Outbox(db, { clock });
  });
  const queue = (owner: string, on: Db = db) => new OutboxQueue(on, { leaseMs: 30_000, owner, clock });

  it('hands each due item to exactly one of many racing claimers on separate connections', async () => {
    for (let i = 0; i < 40; i += 1) await outbox.enqueue(sendRequest(`n${i}`));
    const clients: MongoClient[] = await connectClients(suite.store.uri, 4);
    try {
      const queues = clients.map((c, i) => queue(`w${i}`, c.db(db.databaseName)));
      const claimed: string[] = [];
      await Promise.all(queues.map(async (q) => {
        for (let c = await q.claim(); c; c = await q.claim()) claimed.push(c.doc._id);
      }));
      assert.equal(claimed.length, 40);
      assert.equal(new Set(claimed).size, 40);
    } finally {
      await closeAll(clients);
    }
  });

  it('a batch claim hands each due item to exactly one of many racing claimers, and says when none are left', async () => {
    for (let i = 0; i < 40; i += 1) await outbox.enqueue(sendRequest(`n${i}`));
    const clients: MongoClient[] = await connectClients(suite.store.uri, 4);
    try {
      const queues = clients.map((c, i) => queue(`w${i}`, c.db(db.databaseName)));
      const claimed: string[] = [];
      await Promise.all(queues.map(async (q) => {
        for (;;) {
          const { claims, drained } = await q.claimMany({}, 3);
          for (const c of claims) {
            assert.equal(c.doc.status, 'leased');
            assert.equal(c.doc.attempts, 1);
            assert.equal(c.doc.lease?.token, c.token);
            claimed.push(c.doc._id);
          }
          if (drained) break;
        }
      }));
      assert.equal(claimed.length, 40);
      assert.equal(new Set(claimed).size, 40);
      const held = await db.collection(collections.outbox).countDocuments({ status: 'leased' });
      assert.equal(held, 40, 'every claim is stored as a lease');
    } finally {
      await closeAll(clients);
    }
  });

  it('a batch claim takes only due items, earliest first, and its claims finish like single ones', async () => {
    await outbox.enqueue(sendRequest('later', 'c', { dueAt: new Date(clock.now() + 5000) }));
    await outbox.enqueue(sendRequest('sooner', 'c', { dueAt: new Date(clock.now() + 1000) }));
    await outbox.enqueue(sendRequest('future', 'c', { dueAt: new Date(clock.now() + 60_000) }));
    const q = queue('w');
    assert.deepEqual(await q.claimMany({}, 4), { claims: [], drained: true });
    clock.advance(5000);
    const { claims, drained } = await q.claimMany({}, 4);
    assert.deepEqual(claims.map((c) => c.doc._id), ['sooner', 'later']);
    assert.equal(drained, true);
    assert.equal(await queue('other').claim(), null, 'held while the leases run');
    const [first] = claims;
    assert.ok(first);
    assert.equal(await q.complete(first, { activityId: 'a1' }), true);
    const doc = await db.collection(collections.outbox).findOne({ _id: 'sooner' as never });
    assert.equal(doc?.status, 'done');
    assert.equal(doc?.activityId, 'a1');
  });

  it('claims nothing before it is due, and the earliest due first', async () => {
    await outbox.enqueue(sendRequest('later', 'c', { dueAt: new Date(clock.now() + 5000) }));
    await outbox.enqueue(sendRequest('sooner', 'c', { dueAt: new Date(clock.now() + 1000) }));
    const q = queue('w');
    assert.equal(await q.claim(), null);
    clock.advance(5000);
    assert.equal((await q.claim())?.doc._id, 'sooner');
    assert.equal((await q.claim())?.doc._id, 'later');
  });

  it('lets another worker take over once a lease expires, and the first can no longer finish it', async () => {
    await outbox.enqueue(sendRequest('n'));
    const crashed = queue('crashed');
    const healthy = queue('healthy');
    const first = await crashed.claim();
    assert.ok(first);
    assert.equal(first.doc.attempts, 1);
    assert.equal(await healthy.claim(), null, 'held while the lease runs');
    clock.advance(30_000);
    const second = await healthy.claim();
    assert.ok(second);
    assert.equal(second.doc.attempts, 2, 'the crashed try counts');
    assert.equal(await crashed.complete(first, { activityId: 'stale' }), false);
    assert.equal(await crashed.reschedule(first, clock.now()), false);
    assert.equal(await healthy.complete(second, { activityId: 'a1' }), true);
    const doc = await db.collection(collections.outbox).findOne({ _id: 'n' as never });
    assert.equal(doc?.status, 'done');
    assert.equal(doc?.activityId, 'a1');
    assert.equal(doc?.lease, undefined);
    assert.ok(doc?.expiresAt instanceof Date && doc.expiresAt.getTime() > clock.now());
  });

  it('renewing a lease keeps others off it', async () => {
    await outbox.enqueue(sendRequest('n'));
    const a = queue('a');
    const claim = await a.claim();
    assert.ok(claim);
    clock.advance(20_000);
    assert.equal(await a.renew(claim), true);
    clock.advance(20_000);
    assert.equal(await queue('b').claim(), null);
  });

  it('a refunded reschedule gives the try back', async () => {
    await outbox.enqueue(sendRequest('n'));
    const q = queue('w');
    const claim = await q.claim();
    assert.ok(claim);
    assert.equal(await q.reschedule(claim, clock.now() + 10, { refund: true }), true);
    const doc = await db.collection(collections.outbox).findOne({ _id: 'n' as never });
    assert.equal(doc?.attempts, 0);
    assert.equal(doc?.status, 'pending');
  });

  it('releaseAll hands back only this instance\'s leases, claimable at once, not counted', async () => {
    for (const key of ['a', 'b', 'c']) await outbox.enqueue(sendRequest(key));
    const mine = queue('me');
    const theirs = queue('them');
    await mine.claim();
    await mine.claim();
    await theirs.claim();
    assert.equal(await mine.releaseAll(), 2);
    const docs = await db.collection(collections.outbox).find({}).sort({ _id: 1 }).toArray();
    const byStatus = docs.map((d) => `${d._id}:${d.status}:${d.attempts}`);
    assert.deepEqual(byStatus, ['a:pending:0', 'b:pending:0', 'c:leased:1']);
    assert.ok(await queue('other').claim());
  });
});
