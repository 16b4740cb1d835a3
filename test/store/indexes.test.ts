// Indexes: creation, listing, uniqueness (plain, compound, partial), dropping, TTL expiry.
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore } from '../../services/db/embedded';
import { againstRealMongo, useStoreSuite } from '../support/store';
import { col, pollUntil, rejectsWithServerError } from '../support/storeAssertions';

describe('store: indexes', () => {
  const suite = useStoreSuite();

  let n = 0;
  const fresh = () => col(suite.db, `i${++n}`);
  const indexNames = async (c: ReturnType<typeof fresh>) => (await c.listIndexes().toArray()).map((i) => i.name).sort();

  it('a collection has the _id_ index on {_id: 1} from the start', async () => {
    const c = fresh();
    await c.insertOne({ a: 1 });
    const indexes = await c.listIndexes().toArray();
    assert.equal(indexes.length, 1);
    assert.equal(indexes[0]!.name, '_id_');
    assert.deepEqual(indexes[0]!.key, { _id: 1 });
    assert.equal(indexes[0]!.v, 2);
  });

  it('createIndex names single and compound indexes after their keys, and listIndexes shows them', async () => {
    const c = fresh();
    assert.equal(await c.createIndex({ a: 1 }), 'a_1');
    assert.equal(await c.createIndex({ b: -1, 'c.d': 1 }), 'b_-1_c.d_1');
    assert.equal(await c.createIndex({ e: 1 }, { name: 'custom' }), 'custom');
    const indexes = await c.listIndexes().toArray();
    assert.deepEqual(indexes.map((i) => i.name).sort(), ['_id_', 'a_1', 'b_-1_c.d_1', 'custom']);
    const compound = indexes.find((i) => i.name === 'b_-1_c.d_1')!;
    assert.deepEqual(Object.entries(compound.key), [['b', -1], ['c.d', 1]]);
  });

  it('creating the same index twice is a no-op that answers with the same name', async () => {
    const c = fresh();
    assert.equal(await c.createIndex({ a: 1 }, { unique: true }), 'a_1');
    assert.equal(await c.createIndex({ a: 1 }, { unique: true }), 'a_1');
    assert.deepEqual(await indexNames(c), ['_id_', 'a_1']);
  });

  it('an index with the same name but different options is refused', async () => {
    const c = fresh();
    await c.createIndex({ a: 1 });
    const error = await rejectsWithServerError(c.createIndex({ a: 1 }, { unique: true }));
    assert.ok([85, 86].includes(error.code as number), `code ${error.code}: ${error.message}`);
    const indexes = await c.listIndexes().toArray();
    assert.equal(indexes.find((i) => i.name === 'a_1')!.unique, undefined);
  });

  it('listIndexes reports unique and partialFilterExpression options', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'email_1')!;
    assert.equal(spec.unique, true);
    assert.deepEqual(spec.partialFilterExpression, { active: true });
  });

  it('an insert violating a unique index is refused with E11000 naming the index, and not stored', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ _id: 1, email: 'a@x' });
    await rejectsWithServerError(c.insertOne({ _id: 2, email: 'a@x' }), {
      code: 11000,
      messageStartsWith: 'E11000',
      messageIncludes: 'email_1',
    });
    assert.deepEqual((await c.find().toArray()).map((d) => d._id), [1]);
  });

  it('an update violating a unique index is refused with E11000 and leaves the document unchanged', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertMany([{ _id: 1, email: 'a@x' }, { _id: 2, email: 'b@x' }]);
    await rejectsWithServerError(c.updateOne({ _id: 2 }, { $set: { email: 'a@x', other: 1 } }), {
      code: 11000,
      messageStartsWith: 'E11000',
    });
    assert.deepEqual(await c.findOne({ _id: 2 }), { _id: 2, email: 'b@x' });
    await rejectsWithServerError(c.replaceOne({ _id: 2 }, { email: 'a@x' }), { code: 11000 });
    await rejectsWithServerError(c.updateOne({ email: 'z@x' }, { $set: { email: 'a@x' } }, { upsert: true }), { code: 11000 });
    assert.equal(await c.countDocuments(), 2);
  });

  it('an updateMany that would create a duplicate stops with E11000', async () => {
    const c = fresh();
    await c.createIndex({ slot: 1 }, { unique: true });
    await c.insertMany([{ _id: 1, slot: 1 }, { _id: 2, slot: 2 }]);
    await rejectsWithServerError(c.updateMany({}, { $set: { slot: 7 } }), { code: 11000 });
    const slots = (await c.find().toArray()).map((d) => d.slot);
    assert.equal(new Set(slots).size, 2, `slots ${slots.join(',')} must stay unique`);
  });

  it('a unique index treats a missing field as null, so only one document may lack it', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ _id: 1 });
    await rejectsWithServerError(c.insertOne({ _id: 2 }), { code: 11000 });
    await rejectsWithServerError(c.insertOne({ _id: 3, email: null }), { code: 11000 });
    assert.equal(await c.countDocuments(), 1);
  });

  it('a compound unique index refuses only the same combination of values', async () => {
    const c = fresh();
    await c.createIndex({ tenant: 1, user: 1 }, { unique: true });
    await c.insertMany([{ tenant: 't1', user: 'u1' }, { tenant: 't1', user: 'u2' }, { tenant: 't2', user: 'u1' }]);
    await rejectsWithServerError(c.insertOne({ tenant: 't1', user: 'u2' }), { code: 11000, messageIncludes: 'tenant_1_user_1' });
    assert.equal(await c.countDocuments(), 3);
  });

  it('a unique index with partialFilterExpression enforces uniqueness only among matching documents', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { email: 'a@x', active: true },
      { email: 'a@x', active: false },
      { email: 'a@x' },
    ]);
    await rejectsWithServerError(c.insertOne({ email: 'a@x', active: true }), { code: 11000 });
    await c.insertOne({ email: 'b@x', active: true });
    await rejectsWithServerError(c.updateOne({ email: 'a@x', active: false }, { $set: { active: true } }), { code: 11000 });
    assert.equal(await c.countDocuments({ email: 'a@x' }), 3);
    assert.equal(await c.countDocuments({ active: true }), 2);
  });

  it('a sparse unique index allows many documents without the field', async () => {
    const c = fresh();
    await c.createIndex({ code: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, code: 'x' }]);
    await rejectsWithServerError(c.insertOne({ _id: 4, code: 'x' }), { code: 11000 });
    assert.equal(await c.countDocuments(), 3);
  });

  it('creating a unique index over existing duplicates fails with E11000 and creates no index', async () => {
    const c = fresh();
    await c.insertMany([{ k: 1 }, { k: 2 }, { k: 1 }]);
    await rejectsWithServerError(c.createIndex({ k: 1 }, { unique: true }), { code: 11000, messageStartsWith: 'E11000' });
    assert.deepEqual(await indexNames(c), ['_id_']);
    await c.insertOne({ k: 2 });
    assert.equal(await c.countDocuments({ k: 2 }), 2);
  });

  it('dropIndex removes one index by name, after which duplicates are allowed', async () => {
    const c = fresh();
    await c.createIndex({ k: 1 }, { unique: true });
    await c.createIndex({ other: 1 });
    await c.insertOne({ k: 1 });
    await c.dropIndex('k_1');
    assert.deepEqual(await indexNames(c), ['_id_', 'other_1']);
    await c.insertOne({ k: 1 });
    assert.equal(await c.countDocuments({ k: 1 }), 2);
  });

  it('dropIndex of an index that does not exist fails with code 27 IndexNotFound', async () => {
    const c = fresh();
    await c.insertOne({ a: 1 });
    await rejectsWithServerError(c.dropIndex('nope_1'), { code: 27 });
  });

  it('the _id_ index cannot be dropped (code 72 InvalidOptions)', async () => {
    const c = fresh();
    await c.insertOne({ a: 1 });
    await rejectsWithServerError(c.dropIndex('_id_'), { code: 72 });
    assert.deepEqual(await indexNames(c), ['_id_']);
  });

  it('dropIndexes removes every index except _id_', async () => {
    const c = fresh();
    await c.createIndex({ a: 1 });
    await c.createIndex({ b: 1 }, { unique: true });
    assert.equal(await c.dropIndexes(), true);
    assert.deepEqual(await indexNames(c), ['_id_']);
  });

  it('queries on an indexed field return the same documents, in the same order, as without the index', async () => {
    const c = fresh();
    const docs = Array.from({ length: 200 }, (_, i) => ({ _id: i, score: (i * 37) % 101, group: i % 3 }));
    await c.insertMany(docs);
    const query = { score: { $gte: 20, $lt: 60 }, group: { $ne: 1 } };
    const before = await c.find(query).sort({ score: -1, _id: 1 }).toArray();
    await c.createIndex({ score: 1 });
    await c.createIndex({ group: 1, score: -1 });
    const after = await c.find(query).sort({ score: -1, _id: 1 }).toArray();
    assert.ok(before.length > 0);
    assert.deepEqual(after, before);
    assert.deepEqual(await c.find({ score: 50 }).sort({ _id: 1 }).toArray(), docs.filter((d) => d.score === 50));
  });

  it('a hint naming an index that does not exist is refused with code 2 BadValue', async () => {
    const c = fresh();
    await c.insertOne({ a: 1 });
    await rejectsWithServerError(c.find({ a: 1 }).hint('missing_1').toArray(), { code: 2 });
  });

  it('a TTL index removes documents whose date is past expireAfterSeconds, and keeps the others', async function () {
    let client: MongoClient;
    let stop: () => Promise<void>;
    let timeoutMs = 5000;
    if (againstRealMongo) {
      // A real server sweeps every ttlMonitorSleepSecs (60 s by default); shorten it when allowed.
      this.timeout(90_000);
      timeoutMs = 75_000;
      client = suite.store.client;
      await client.db('admin').command({ setParameter: 1, ttlMonitorSleepSecs: 1 }).catch(() => undefined);
      stop = async () => undefined;
    } else {
      const embedded = await startEmbeddedStore({ ttlSweepIntervalMs: 50 });
      client = await MongoClient.connect(embedded.uri, { serverSelectionTimeoutMS: 5000 });
      stop = async () => { await client.close(); await embedded.stop(); };
    }
    try {
      const c = col(client.db(suite.store.freshDb().databaseName), 'sessions');
      await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'expiresAt_1')!;
      assert.equal(spec.expireAfterSeconds, 0);
      const now = Date.now();
      await c.insertMany([
        { _id: 'expired', expiresAt: new Date(now - 60_000) },
        { _id: 'expiredInArray', expiresAt: [new Date(now + 3_600_000), new Date(now - 60_000)] },
        { _id: 'future', expiresAt: new Date(now + 3_600_000) },
        { _id: 'noDate', expiresAt: 'not a date' },
        { _id: 'missing' },
      ]);
      await pollUntil(async () => (await c.countDocuments({ _id: { $in: ['expired', 'expiredInArray'] } })) === 0, {
        timeoutMs,
        what: 'the TTL sweeper to remove the expired documents',
      });
      assert.deepEqual((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id), ['future', 'missing', 'noDate']);
    } finally {
      await stop();
    }
  });
});
