// Collections and databases: create, list, drop.
import assert from 'node:assert/strict';
import { openTestStore, TestStore } from '../support/store';
import { col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: collections and databases', () => {
  let store: TestStore;
  before(async () => { store = await openTestStore(); });
  after(async () => { await store?.close(); });

  it('createCollection creates an empty collection that listCollections reports as type "collection"', async () => {
    const db = store.freshDb();
    const created = await db.createCollection('orders');
    assert.equal(created.collectionName, 'orders');
    const listed = await db.listCollections({}, { nameOnly: false }).toArray();
    assert.deepEqual(listed.map((c) => c.name), ['orders']);
    assert.equal(listed[0]!.type, 'collection');
    assert.equal(typeof listed[0]!.options, 'object');
    assert.equal(await col(db, 'orders').countDocuments(), 0);
  });

  it('creating a collection that already exists with the same options succeeds and keeps its documents (MongoDB 7.0+)', async () => {
    const db = store.freshDb();
    await db.createCollection('c');
    await col(db, 'c').insertOne({ _id: 1 });
    const again = await db.command({ create: 'c' });
    assert.equal(again.ok, 1);
    // A collection created implicitly by an insert has the same (default) options too.
    await col(db, 'implicit').insertOne({ _id: 1 });
    assert.equal((await db.command({ create: 'implicit' })).ok, 1);
    assert.equal(await col(db, 'c').countDocuments(), 1);
    assert.equal(await col(db, 'implicit').countDocuments(), 1);
  });

  it('creating a collection that already exists with different options is refused (48 NamespaceExists, or the option named as unsupported)', async () => {
    const db = store.freshDb();
    await db.createCollection('c');
    await col(db, 'c').insertOne({ _id: 1, name: 'kept' });
    const error = await rejectsWithServerError(db.createCollection('c', { validator: { name: { $exists: true } } }));
    // MongoDB answers 48 NamespaceExists; a store without validators must at least refuse naming the option.
    assert.ok(
      error.code === 48 || error.message.includes('validator'),
      `expected code 48 or a message naming 'validator', got ${error.code}: ${error.message}`,
    );
    assert.deepEqual(await col(db, 'c').find().toArray(), [{ _id: 1, name: 'kept' }]);
  });

  it('listCollections filtered by name returns only that collection', async () => {
    const db = store.freshDb();
    await db.createCollection('alpha');
    await db.createCollection('beta');
    await col(db, 'gamma').insertOne({ a: 1 });
    const all = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    assert.deepEqual(all, ['alpha', 'beta', 'gamma']);
    const onlyBeta = await db.listCollections({ name: 'beta' }).toArray();
    assert.deepEqual(onlyBeta.map((c) => c.name), ['beta']);
    assert.deepEqual(await db.listCollections({ name: 'missing' }).toArray(), []);
  });

  it('drop removes the collection and its documents', async () => {
    const db = store.freshDb();
    await col(db, 'gone').insertMany([{ a: 1 }, { a: 2 }]);
    await col(db, 'stays').insertOne({ a: 1 });
    assert.equal(await col(db, 'gone').drop(), true);
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    assert.deepEqual(names, ['stays']);
    assert.equal(await col(db, 'gone').countDocuments(), 0);
    assert.equal(await col(db, 'stays').countDocuments(), 1);
  });

  it('a dropped collection loses its secondary indexes', async () => {
    const db = store.freshDb();
    await col(db, 'c').createIndex({ email: 1 }, { unique: true });
    await col(db, 'c').insertOne({ email: 'a@x' });
    await col(db, 'c').drop();
    await col(db, 'c').insertMany([{ email: 'a@x' }, { email: 'a@x' }]);
    const names = (await col(db, 'c').listIndexes().toArray()).map((i) => i.name);
    assert.deepEqual(names, ['_id_']);
  });

  it('dropDatabase removes every collection and the database leaves listDatabases', async () => {
    const db = store.freshDb();
    await col(db, 'a').insertOne({ x: 1 });
    await col(db, 'b').insertOne({ x: 1 });
    assert.equal(await db.dropDatabase(), true);
    assert.deepEqual(await db.listCollections().toArray(), []);
    assert.equal(await col(db, 'a').countDocuments(), 0);
    const databases = await store.client.db('admin').admin().listDatabases();
    assert.equal(databases.databases.some((d) => d.name === db.databaseName), false);
  });

  it('dropDatabase leaves other databases alone', async () => {
    const dropped = store.freshDb();
    const kept = store.freshDb();
    await col(dropped, 'c').insertOne({ x: 1 });
    await col(kept, 'c').insertOne({ x: 2 });
    await dropped.dropDatabase();
    assert.deepEqual(await col(kept, 'c').find({}, { projection: { _id: 0 } }).toArray(), [{ x: 2 }]);
  });

  it('the same collection name in two databases holds separate documents', async () => {
    const one = store.freshDb();
    const two = store.freshDb();
    await col(one, 'c').insertOne({ _id: 1, from: 'one' });
    await col(two, 'c').insertOne({ _id: 1, from: 'two' });
    assert.deepEqual(await col(one, 'c').find().toArray(), [{ _id: 1, from: 'one' }]);
    assert.deepEqual(await col(two, 'c').find().toArray(), [{ _id: 1, from: 'two' }]);
  });
});
