// What is not supported fails at once with a MongoDB-style error naming it: never a hang, never a
// silent success. Each test has a short timeout so a hang fails it quickly.
import assert from 'node:assert/strict';
import { Db, Document } from 'mongodb';
import { openTestStore, TestStore } from '../support/store';
import { col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: errors for unknown or invalid requests', function () {
  this.timeout(5000);
  let store: TestStore;
  let db: Db;
  before(async function () {
    this.timeout(20_000);
    store = await openTestStore();
    db = store.freshDb();
    await col(db, 'c').insertMany([{ _id: 1, a: 1, s: 'x' }, { _id: 2, a: 2, s: 'y' }]);
  });
  after(async function () {
    this.timeout(20_000);
    await store?.close();
  });
  const c = () => col(db, 'c');

  it('an unknown command fails with code 59 CommandNotFound naming it', async () => {
    await rejectsWithServerError(db.command({ frobnicate: 1 }), { code: 59, codeName: 'CommandNotFound', messageIncludes: 'frobnicate' });
  });

  it('an unknown query operator fails with code 2 BadValue naming it', async () => {
    await rejectsWithServerError(c().find({ a: { $frob: 1 } }).toArray(), { code: 2, messageIncludes: '$frob' });
    await rejectsWithServerError(c().countDocuments({ a: { $frob: 1 } }), { messageIncludes: '$frob' });
    await rejectsWithServerError(c().deleteMany({ a: { $frob: 1 } }), { code: 2, messageIncludes: '$frob' });
    assert.equal(await c().countDocuments(), 2);
  });

  it('the operator the store uses internally to share its query options is unknown to clients', async () => {
    await rejectsWithServerError(c().find({ a: { $__engineOptions: 1 } }).toArray(), { code: 2, messageIncludes: '$__engineOptions' });
    await rejectsWithServerError(c().deleteMany({ a: { $__engineOptions: 1 } }), { code: 2, messageIncludes: '$__engineOptions' });
    assert.equal(await c().countDocuments(), 2);
  });

  it('an unknown top-level query operator fails with code 2 BadValue naming it', async () => {
    await rejectsWithServerError(c().find({ $frob: [{ a: 1 }] }).toArray(), { code: 2, messageIncludes: '$frob' });
  });

  it('an unknown aggregation stage fails with code 40324 naming it', async () => {
    await rejectsWithServerError(c().aggregate([{ $match: {} }, { $frob: {} }]).toArray(), { code: 40324, messageIncludes: '$frob' });
  });

  it('an unknown expression operator in $project fails naming it', async () => {
    await rejectsWithServerError(c().aggregate([{ $project: { x: { $frob: ['$a'] } } }]).toArray(), { messageIncludes: '$frob' });
  });

  it('an unknown $group accumulator fails naming it', async () => {
    await rejectsWithServerError(c().aggregate([{ $group: { _id: null, x: { $frob: '$a' } } }]).toArray(), { messageIncludes: '$frob' });
  });

  it('an unknown update operator fails with code 9 FailedToParse naming it, and changes nothing', async () => {
    const update: Document = { $frob: { a: 5 } };
    await rejectsWithServerError(c().updateOne({ _id: 1 }, update), { code: 9, messageIncludes: '$frob' });
    await rejectsWithServerError(c().updateMany({}, update), { code: 9, messageIncludes: '$frob' });
    await rejectsWithServerError(c().findOneAndUpdate({ _id: 1 }, update), { code: 9, messageIncludes: '$frob' });
    assert.deepEqual(await c().findOne({ _id: 1 }), { _id: 1, a: 1, s: 'x' });
  });

  it('an unknown field in a known command is refused with code 40415 naming it', async () => {
    await rejectsWithServerError(db.command({ find: 'c', filter: {}, frobnicate: true }), { code: 40415, messageIncludes: 'frobnicate' });
  });

  it('mixing inclusion and exclusion in a projection is refused', async () => {
    await rejectsWithServerError(c().find({}, { projection: { a: 1, s: 0 } }).toArray());
  });

  it('a $regex that is not a valid regular expression is refused', async () => {
    await rejectsWithServerError(c().find({ s: { $regex: '(' } }).toArray());
  });

  it('the connection stays usable after every kind of error', async () => {
    await db.command({ frobnicate: 1 }).catch(() => undefined);
    await c().find({ a: { $frob: 1 } }).toArray().catch(() => undefined);
    await c().aggregate([{ $frob: {} }]).toArray().catch(() => undefined);
    assert.equal((await db.command({ ping: 1 })).ok, 1);
    assert.equal(await c().countDocuments({ a: { $gte: 1 } }), 2);
  });
});
