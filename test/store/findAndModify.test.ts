// findOneAndUpdate / findOneAndDelete / findOneAndReplace (the findAndModify command).
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { useStoreSuite } from '../support/store';
import { col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: findAndModify', () => {
  const suite = useStoreSuite();

  let n = 0;
  async function tasks() {
    const c = col(suite.db, `f${++n}`);
    await c.insertMany([
      { _id: 1, status: 'pending', priority: 2, owner: 'ann' },
      { _id: 2, status: 'pending', priority: 9, owner: 'bob' },
      { _id: 3, status: 'done', priority: 5, owner: 'cy' },
    ]);
    return c;
  }

  it('findOneAndUpdate returns the document as it was before by default, and applies the update', async () => {
    const c = await tasks();
    const before = await c.findOneAndUpdate({ _id: 1 }, { $set: { status: 'active' } });
    assert.deepEqual(before, { _id: 1, status: 'pending', priority: 2, owner: 'ann' });
    assert.equal((await c.findOne({ _id: 1 }))!.status, 'active');
  });

  it('findOneAndUpdate with returnDocument "after" returns the updated document', async () => {
    const c = await tasks();
    const after = await c.findOneAndUpdate({ _id: 3 }, { $inc: { priority: 1 } }, { returnDocument: 'after' });
    assert.deepEqual(after, { _id: 3, status: 'done', priority: 6, owner: 'cy' });
  });

  it('findOneAndUpdate with a sort picks the first document in that order', async () => {
    const c = await tasks();
    const top = await c.findOneAndUpdate(
      { status: 'pending' },
      { $set: { status: 'taken' } },
      { sort: { priority: -1 }, returnDocument: 'after' },
    );
    assert.equal(top!._id, 2);
    const low = await c.findOneAndUpdate({ status: { $in: ['pending', 'done'] } }, { $set: { seen: true } }, { sort: { priority: 1 } });
    assert.equal(low!._id, 1);
    assert.deepEqual((await c.find({ status: 'taken' }).toArray()).map((d) => d._id), [2]);
  });

  it('findOneAndUpdate with a projection returns only the projected fields', async () => {
    const c = await tasks();
    const doc = await c.findOneAndUpdate(
      { _id: 2 },
      { $set: { status: 'x' } },
      { projection: { status: 1, _id: 0 }, returnDocument: 'after' },
    );
    assert.deepEqual(doc, { status: 'x' });
    assert.equal((await c.findOne({ _id: 2 }))!.owner, 'bob');
  });

  it('findOneAndUpdate matching nothing returns null and changes nothing', async () => {
    const c = await tasks();
    assert.equal(await c.findOneAndUpdate({ _id: 99 }, { $set: { x: 1 } }), null);
    assert.equal(await c.countDocuments({ x: 1 }), 0);
    assert.equal(await c.countDocuments(), 3);
  });

  it('findOneAndUpdate with upsert creates the document; "after" returns it, "before" returns null', async () => {
    const c = await tasks();
    const created = await c.findOneAndUpdate(
      { owner: 'dee' },
      { $set: { status: 'new' }, $setOnInsert: { priority: 0 } },
      { upsert: true, returnDocument: 'after' },
    );
    assert.ok(created!._id instanceof ObjectId);
    assert.deepEqual({ ...created, _id: undefined }, { _id: undefined, owner: 'dee', status: 'new', priority: 0 });
    const none = await c.findOneAndUpdate({ owner: 'eve' }, { $set: { status: 'new' } }, { upsert: true, returnDocument: 'before' });
    assert.equal(none, null);
    assert.equal(await c.countDocuments({ owner: 'eve' }), 1);
  });

  it('with includeResultMetadata the reply carries value and lastErrorObject', async () => {
    const c = await tasks();
    const updated = await c.findOneAndUpdate({ _id: 1 }, { $set: { a: 1 } }, { includeResultMetadata: true });
    assert.equal(updated.ok, 1);
    assert.equal(updated.value!._id, 1);
    assert.equal(updated.lastErrorObject!.n, 1);
    assert.equal(updated.lastErrorObject!.updatedExisting, true);
    const upserted = await c.findOneAndUpdate(
      { _id: 'new' },
      { $set: { a: 1 } },
      { upsert: true, includeResultMetadata: true, returnDocument: 'after' },
    );
    assert.equal(upserted.lastErrorObject!.n, 1);
    assert.equal(upserted.lastErrorObject!.updatedExisting, false);
    assert.equal(upserted.lastErrorObject!.upserted, 'new');
    assert.deepEqual(upserted.value, { _id: 'new', a: 1 });
  });

  it('findOneAndDelete removes and returns the first document in sort order', async () => {
    const c = await tasks();
    const removed = await c.findOneAndDelete({ status: 'pending' }, { sort: { priority: 1 } });
    assert.deepEqual(removed, { _id: 1, status: 'pending', priority: 2, owner: 'ann' });
    assert.deepEqual((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id), [2, 3]);
    assert.equal(await c.findOneAndDelete({ _id: 1 }), null);
  });

  it('findOneAndReplace replaces the whole document, keeps its _id, and can return the new one', async () => {
    const c = await tasks();
    const replaced = await c.findOneAndReplace({ owner: 'cy' }, { owner: 'cy', archived: true }, { returnDocument: 'after' });
    assert.deepEqual(replaced, { _id: 3, owner: 'cy', archived: true });
    const old = await c.findOneAndReplace({ _id: 2 }, { fresh: 1 });
    assert.deepEqual(old, { _id: 2, status: 'pending', priority: 9, owner: 'bob' });
    assert.deepEqual(await c.findOne({ _id: 2 }), { _id: 2, fresh: 1 });
  });

  it('the raw findAndModify command answers with value, lastErrorObject and ok', async () => {
    const c = await tasks();
    const reply = await suite.db.command({ findAndModify: c.collectionName, query: { _id: 3 }, update: { $set: { z: 1 } }, new: true });
    assert.equal(reply.ok, 1);
    assert.deepEqual(reply.value, { _id: 3, status: 'done', priority: 5, owner: 'cy', z: 1 });
    assert.equal(reply.lastErrorObject.n, 1);
    assert.equal(reply.lastErrorObject.updatedExisting, true);
    const removeReply = await suite.db.command({ findAndModify: c.collectionName, query: { _id: 3 }, remove: true });
    assert.equal(removeReply.value._id, 3);
    assert.equal(removeReply.lastErrorObject.n, 1);
  });

  it('findOneAndUpdate violating a unique index is refused with E11000 and changes nothing', async () => {
    const c = await tasks();
    await c.createIndex({ owner: 1 }, { unique: true });
    await rejectsWithServerError(c.findOneAndUpdate({ _id: 1 }, { $set: { owner: 'bob' } }), {
      code: 11000,
      messageStartsWith: 'E11000',
    });
    assert.equal((await c.findOne({ _id: 1 }))!.owner, 'ann');
  });
});
