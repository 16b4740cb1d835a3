// Atomicity under concurrent clients: single-document operations never interleave.
import assert from 'node:assert/strict';
import { Db, Document, MongoClient, MongoServerError } from 'mongodb';
import { openTestStore, TestStore } from '../support/store';
import { closeAll, col, connectClients } from '../support/storeAssertions';

describe('store: concurrency and atomicity', () => {
  let store: TestStore;
  let db: Db;
  let clients: MongoClient[];
  before(async () => {
    store = await openTestStore();
    db = store.freshDb();
    clients = await connectClients(store.uri, 5);
  });
  after(async () => {
    if (clients) await closeAll(clients);
    await store?.close();
  });
  /** The same collection seen through each of the 5 clients. */
  const viaClients = (name: string) => clients.map((c) => col(c.db(db.databaseName), name));

  it('of 50 concurrent conditional findOneAndUpdate calls from 5 clients exactly one wins', async () => {
    await col(db, 'approvals').insertOne({ _id: 'req-1', status: 'pending' });
    const colls = viaClients('approvals');
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      calls.push(colls[i % 5]!.findOneAndUpdate({ _id: 'req-1', status: 'pending' }, { $set: { status: 'approved', by: i } }));
    }
    const results = await Promise.all(calls);
    const winners = results.map((r, i) => (r === null ? -1 : i)).filter((i) => i >= 0);
    assert.equal(winners.length, 1, `winners: ${winners.join(', ')}`);
    assert.deepEqual(results[winners[0]!], { _id: 'req-1', status: 'pending' });
    assert.deepEqual(await col(db, 'approvals').findOne({ _id: 'req-1' }), { _id: 'req-1', status: 'approved', by: winners[0] });
  });

  it('100 concurrent $inc of 1 on one document leave it at exactly 100', async () => {
    await col(db, 'counter').insertOne({ _id: 'c', n: 0 });
    const colls = viaClients('counter');
    await Promise.all(Array.from({ length: 100 }, (_, i) => colls[i % 5]!.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
    assert.equal((await col(db, 'counter').findOne({ _id: 'c' }))!.n, 100);
  });

  it('concurrent $push calls lose no element', async () => {
    await col(db, 'log').insertOne({ _id: 'l', entries: [] });
    const colls = viaClients('log');
    await Promise.all(Array.from({ length: 60 }, (_, i) => colls[i % 5]!.updateOne({ _id: 'l' }, { $push: { entries: i } } as Document)));
    const entries = (await col(db, 'log').findOne({ _id: 'l' }))!.entries as number[];
    assert.deepEqual([...entries].sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i));
  });

  it('of 20 concurrent inserts of the same unique key exactly one succeeds; the rest get E11000', async () => {
    await col(db, 'users').createIndex({ email: 1 }, { unique: true });
    const colls = viaClients('users');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => colls[i % 5]!.insertOne({ email: 'same@x', attempt: i })),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(ok.length, 1);
    for (const r of refused) {
      assert.ok(r.reason instanceof MongoServerError && r.reason.code === 11000, String(r.reason));
    }
    assert.equal(await col(db, 'users').countDocuments({ email: 'same@x' }), 1);
  });

  it('concurrent upserts on a unique key create exactly one document', async () => {
    await col(db, 'profiles').createIndex({ key: 1 }, { unique: true });
    const colls = viaClients('profiles');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        colls[i % 5]!.updateOne({ key: 'k' }, { $inc: { hits: 1 }, $setOnInsert: { first: i } }, { upsert: true })),
    );
    let upserts = 0;
    let applied = 0;
    for (const o of outcomes) {
      if (o.status === 'fulfilled') {
        upserts += o.value.upsertedCount;
        applied += 1;
      } else {
        assert.ok(o.reason instanceof MongoServerError && o.reason.code === 11000, String(o.reason));
      }
    }
    assert.equal(upserts, 1);
    const docs = await col(db, 'profiles').find({ key: 'k' }).toArray();
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!.hits, applied);
  });

  it('a write acknowledged to one client is seen at once by the others', async () => {
    const colls = viaClients('visibility');
    for (let i = 0; i < 10; i++) {
      await colls[i % 5]!.insertOne({ _id: i });
      const reader = colls[(i + 1) % 5]!;
      assert.equal(await reader.countDocuments({ _id: i }), 1, `write ${i}`);
    }
  });

  it('readers running during concurrent updates only ever see whole documents', async () => {
    await col(db, 'pairs').insertOne({ _id: 'p', a: 0, b: 0 });
    const colls = viaClients('pairs');
    const writes = Array.from({ length: 40 }, (_, i) => colls[i % 5]!.updateOne({ _id: 'p' }, { $inc: { a: 1, b: 1 } }));
    const reads = Array.from({ length: 40 }, (_, i) => colls[(i + 2) % 5]!.findOne({ _id: 'p' }));
    const [, seen] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
    for (const doc of seen) assert.equal(doc!.a, doc!.b, `torn read ${JSON.stringify(doc)}`);
    assert.equal((await col(db, 'pairs').findOne({ _id: 'p' }))!.a, 40);
  });
});
