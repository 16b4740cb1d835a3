// Insert, find, update, replace, delete and counting, as the official driver uses them.
import assert from 'node:assert/strict';
import { Double, Filter, Long, MongoBulkWriteError, ObjectId, Sort } from 'mongodb';
import { useStoreSuite } from '../support/store';
import { AnyDoc, col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: CRUD', () => {
  const suite = useStoreSuite();

  let n = 0;
  /** A new, empty collection for one test. */
  const fresh = () => col(suite.db, `c${++n}`);

  describe('insert', () => {
    it('insertOne without an _id gets a generated ObjectId that finds the document', async () => {
      const c = fresh();
      const result = await c.insertOne({ name: 'ada' });
      assert.equal(result.acknowledged, true);
      assert.ok(result.insertedId instanceof ObjectId);
      assert.deepEqual(await c.findOne({ _id: result.insertedId }), { _id: result.insertedId, name: 'ada' });
    });

    it('insertOne keeps a given _id of any type (string, number, sub-document)', async () => {
      const c = fresh();
      await c.insertOne({ _id: 'key', v: 1 });
      await c.insertOne({ _id: 7, v: 2 });
      await c.insertOne({ _id: { tenant: 't1', n: 1 }, v: 3 });
      assert.equal((await c.findOne({ _id: 'key' }))?.v, 1);
      assert.equal((await c.findOne({ _id: 7 }))?.v, 2);
      assert.equal((await c.findOne({ _id: { tenant: 't1', n: 1 } }))?.v, 3);
    });

    it('a duplicate _id is refused with E11000 (code 11000) and the first document is kept', async () => {
      const c = fresh();
      await c.insertOne({ _id: 1, v: 'first' });
      await rejectsWithServerError(c.insertOne({ _id: 1, v: 'second' }), { code: 11000, messageStartsWith: 'E11000' });
      assert.deepEqual(await c.find().toArray(), [{ _id: 1, v: 'first' }]);
    });

    it('an ordered insertMany stops at the first error and reports it with its index', async () => {
      const c = fresh();
      const error = await rejectsWithServerError(
        c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }, { _id: 4 }]),
        { code: 11000 },
      );
      assert.ok(error instanceof MongoBulkWriteError);
      assert.equal(error.insertedCount, 2);
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      assert.deepEqual(writeErrors.map((e) => [e.index, e.code]), [[2, 11000]]);
      assert.deepEqual((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id), [1, 2]);
    });

    it('the insert command reply of an ordered batch carries n and writeErrors', async () => {
      const c = fresh();
      const reply = await suite.db.command({
        insert: c.collectionName,
        documents: [{ _id: 'a' }, { _id: 'a' }, { _id: 'b' }],
        ordered: true,
      });
      assert.equal(reply.ok, 1);
      assert.equal(reply.n, 1);
      assert.equal(reply.writeErrors.length, 1);
      assert.equal(reply.writeErrors[0].index, 1);
      assert.equal(reply.writeErrors[0].code, 11000);
      assert.match(reply.writeErrors[0].errmsg, /^E11000/);
    });

    it('an unordered insertMany continues past errors and reports each one with its index', async () => {
      const c = fresh();
      const error = await rejectsWithServerError(
        c.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }], { ordered: false }),
        { code: 11000 },
      );
      assert.ok(error instanceof MongoBulkWriteError);
      assert.equal(error.insertedCount, 3);
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      assert.deepEqual(writeErrors.map((e) => [e.index, e.code]), [[1, 11000], [3, 11000]]);
      assert.deepEqual((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id), [1, 2, 3]);
      const reply = await suite.db.command({
        insert: c.collectionName,
        documents: [{ _id: 1 }, { _id: 10 }, { _id: 2 }, { _id: 11 }],
        ordered: false,
      });
      assert.equal(reply.n, 2);
      assert.deepEqual(reply.writeErrors.map((e: { index: number }) => e.index), [0, 2]);
    });

    it('an inserted document comes back with _id as its first field', async () => {
      const c = fresh();
      await c.insertOne({ z: 1, _id: 'id', a: 2 });
      const doc = await c.findOne({});
      assert.deepEqual(Object.keys(doc!), ['_id', 'z', 'a']);
    });
  });

  describe('find', () => {
    const people = [
      { _id: 1, name: 'ada', age: 36, tags: ['math', 'code'], address: { city: 'London', zip: 'N1' } },
      { _id: 2, name: 'bob', age: 25, tags: ['music'], address: { city: 'Paris', zip: '75001' } },
      { _id: 3, name: 'cy', age: 36, tags: [], address: { city: 'London', zip: 'E2' } },
      { _id: 4, name: 'dee', age: 52, address: { city: 'Berlin' } },
      { _id: 5, name: 'eve', age: null, tags: ['code'], items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 5 }] },
    ];
    let c: ReturnType<typeof fresh>;
    before(async () => {
      c = fresh();
      await c.insertMany(people);
    });
    const ids = async (filter: Filter<AnyDoc>, sort: Sort = { _id: 1 }) =>
      (await c.find(filter).sort(sort).toArray()).map((d) => d._id);

    it('equality on a field matches scalars and array elements alike', async () => {
      assert.deepEqual(await ids({ age: 36 }), [1, 3]);
      assert.deepEqual(await ids({ tags: 'code' }), [1, 5]);
      assert.deepEqual(await ids({ 'address.city': 'London' }), [1, 3]);
      assert.deepEqual(await ids({ 'items.sku': 'b' }), [5]);
    });

    it('comparison, $in, $nin and $ne operators select the right documents', async () => {
      assert.deepEqual(await ids({ age: { $gt: 30 } }), [1, 3, 4]);
      assert.deepEqual(await ids({ age: { $gte: 25, $lt: 40 } }), [1, 2, 3]);
      assert.deepEqual(await ids({ name: { $in: ['bob', 'eve', 'zed'] } }), [2, 5]);
      assert.deepEqual(await ids({ name: { $nin: ['bob', 'eve'] } }), [1, 3, 4]);
      assert.deepEqual(await ids({ age: { $ne: 36 } }), [2, 4, 5]);
    });

    it('a null filter matches both a null value and a missing field; $exists tells them apart', async () => {
      assert.deepEqual(await ids({ age: null }), [5]);
      assert.deepEqual(await ids({ tags: null }), [4]);
      assert.deepEqual(await ids({ tags: { $exists: false } }), [4]);
      assert.deepEqual(await ids({ age: { $exists: true } }), [1, 2, 3, 4, 5]);
    });

    it('$and, $or, $nor and $not combine conditions', async () => {
      assert.deepEqual(await ids({ $or: [{ name: 'bob' }, { age: 52 }] }), [2, 4]);
      assert.deepEqual(await ids({ $and: [{ age: 36 }, { tags: 'math' }] }), [1]);
      assert.deepEqual(await ids({ $nor: [{ age: 36 }, { age: null }] }), [2, 4]);
      assert.deepEqual(await ids({ age: { $not: { $gt: 30 } } }), [2, 5]);
    });

    it('$regex, $size, $all and $elemMatch match as in MongoDB', async () => {
      assert.deepEqual(await ids({ name: { $regex: '^[a-c]' } }), [1, 2, 3]);
      assert.deepEqual(await ids({ name: /E$/i }), [4, 5]);
      assert.deepEqual(await ids({ tags: { $size: 0 } }), [3]);
      assert.deepEqual(await ids({ tags: { $all: ['code', 'math'] } }), [1]);
      assert.deepEqual(await ids({ items: { $elemMatch: { sku: 'a', qty: { $gte: 2 } } } }), []);
      assert.deepEqual(await ids({ items: { $elemMatch: { sku: 'b', qty: { $gte: 2 } } } }), [5]);
    });

    it('an inclusion projection returns the named fields and _id', async () => {
      const doc = await c.findOne({ _id: 1 }, { projection: { name: 1, age: 1 } });
      assert.deepEqual(doc, { _id: 1, name: 'ada', age: 36 });
    });

    it('an inclusion projection can leave out _id', async () => {
      const doc = await c.findOne({ _id: 1 }, { projection: { name: 1, _id: 0 } });
      assert.deepEqual(doc, { name: 'ada' });
    });

    it('an exclusion projection returns every other field', async () => {
      const doc = await c.findOne({ _id: 2 }, { projection: { tags: 0, address: 0 } });
      assert.deepEqual(doc, { _id: 2, name: 'bob', age: 25 });
    });

    it('a projection on a nested field keeps only that part of the sub-document', async () => {
      const doc = await c.findOne({ _id: 1 }, { projection: { 'address.city': 1, _id: 0 } });
      assert.deepEqual(doc, { address: { city: 'London' } });
      const excluded = await c.findOne({ _id: 1 }, { projection: { 'address.zip': 0, tags: 0 } });
      assert.deepEqual(excluded, { _id: 1, name: 'ada', age: 36, address: { city: 'London' } });
    });

    it('an inclusion projection keeps the stored field order, _id first, whatever the projection\'s order', async () => {
      const doc = await c.findOne({ _id: 1 }, { projection: { age: 1, name: 1 } });
      assert.deepEqual(Object.keys(doc!), ['_id', 'name', 'age']);
      const [projected] = await c.aggregate([{ $match: { _id: 1 } }, { $project: { age: 1, name: 1 } }]).toArray();
      assert.deepEqual(Object.keys(projected!), ['_id', 'name', 'age']);
    });

    it('a $slice projection returns the other fields too, with the array cut', async () => {
      const doc = await c.findOne({ _id: 5 }, { projection: { items: { $slice: 1 } } });
      assert.deepEqual(doc, { _id: 5, name: 'eve', age: null, tags: ['code'], items: [{ sku: 'a', qty: 1 }] });
      const last = await c.findOne({ _id: 1 }, { projection: { tags: { $slice: -1 }, name: 1 } });
      assert.deepEqual(last, { _id: 1, name: 'ada', tags: ['code'] });
    });

    it('sort orders by several keys, each ascending or descending', async () => {
      assert.deepEqual(await ids({ age: { $ne: null } }, { age: -1, name: 1 }), [4, 1, 3, 2]);
      assert.deepEqual(await ids({ age: { $ne: null } }, { age: 1, name: -1 }), [2, 3, 1, 4]);
    });

    it('sort puts null and missing values first when ascending', async () => {
      assert.deepEqual(await ids({}, { age: 1, _id: 1 }), [5, 2, 1, 3, 4]);
      assert.deepEqual(await ids({}, { age: -1, _id: 1 }), [4, 1, 3, 2, 5]);
    });

    it('skip and limit page through a sorted result', async () => {
      const page = await c.find({}).sort({ _id: 1 }).skip(1).limit(2).toArray();
      assert.deepEqual(page.map((d) => d._id), [2, 3]);
      const tail = await c.find({}).sort({ _id: -1 }).skip(3).limit(10).toArray();
      assert.deepEqual(tail.map((d) => d._id), [2, 1]);
    });

    it('a small batchSize still returns every matching document', async () => {
      const docs = await c.find({}).sort({ _id: 1 }).batchSize(2).toArray();
      assert.deepEqual(docs.map((d) => d._id), [1, 2, 3, 4, 5]);
    });

    it('numbers of different BSON types compare and sort by value', async () => {
      const nums = fresh();
      await nums.insertMany([{ _id: 'a', v: 2.5 }, { _id: 'b', v: 1 }, { _id: 'c', v: 10 }, { _id: 'd', v: -3 }]);
      const sorted = await nums.find({ v: { $gte: 1 } }).sort({ v: 1 }).toArray();
      assert.deepEqual(sorted.map((d) => d._id), ['b', 'a', 'c']);
    });
    it('sort across BSON types follows MongoDB\'s type order (null, numbers, strings, objects, ObjectId, booleans, dates)', async () => {
      const mixed = fresh();
      const oid = new ObjectId();
      await mixed.insertMany([
        { _id: 'date', v: new Date('2020-01-01') },
        { _id: 'bool', v: true },
        { _id: 'oid', v: oid },
        { _id: 'obj', v: { a: 1 } },
        { _id: 'str', v: 'b' },
        { _id: 'num', v: 2 },
        { _id: 'null', v: null },
        { _id: 'frac', v: 1.5 },
      ]);
      const asc = (await mixed.find().sort({ v: 1 }).toArray()).map((d) => d._id);
      assert.deepEqual(asc, ['null', 'frac', 'num', 'str', 'obj', 'oid', 'bool', 'date']);
      const desc = (await mixed.find().sort({ v: -1 }).toArray()).map((d) => d._id);
      assert.deepEqual(desc, [...asc].reverse());
    });

    it('comparison operators only match values of the same type bracket', async () => {
      const mixed = fresh();
      await mixed.insertMany([{ _id: 1, v: 5 }, { _id: 2, v: '9' }, { _id: 3, v: new Date(10) }, { _id: 4, v: null }, { _id: 5, v: [1, 7] }]);
      assert.deepEqual((await mixed.find({ v: { $gt: 4 } }).sort({ _id: 1 }).toArray()).map((d) => d._id), [1, 5]);
      assert.deepEqual((await mixed.find({ v: { $lt: 'z' } }).toArray()).map((d) => d._id), [2]);
      assert.deepEqual((await mixed.find({ v: { $gte: new Date(0) } }).toArray()).map((d) => d._id), [3]);
    });

    it('sorting by an array field uses its smallest element ascending and its largest descending', async () => {
      const arrays = fresh();
      await arrays.insertMany([{ _id: 'a', v: [5, 1] }, { _id: 'b', v: [3] }, { _id: 'c', v: [2, 9] }]);
      assert.deepEqual((await arrays.find().sort({ v: 1 }).toArray()).map((d) => d._id), ['a', 'c', 'b']);
      assert.deepEqual((await arrays.find().sort({ v: -1 }).toArray()).map((d) => d._id), ['c', 'a', 'b']);
    });
  });

  describe('update, replace and delete', () => {
    it('updateOne changes only the first matching document; updateMany changes them all', async () => {
      const c = fresh();
      await c.insertMany([{ _id: 1, g: 'x', v: 0 }, { _id: 2, g: 'x', v: 0 }, { _id: 3, g: 'y', v: 0 }]);
      const one = await c.updateOne({ g: 'x' }, { $set: { v: 1 } });
      assert.equal(one.matchedCount, 1);
      assert.equal(one.modifiedCount, 1);
      assert.equal(await c.countDocuments({ v: 1 }), 1);
      const many = await c.updateMany({ g: 'x' }, { $set: { v: 2 } });
      assert.equal(many.matchedCount, 2);
      assert.equal(many.modifiedCount, 2);
      assert.deepEqual((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => d.v), [2, 2, 0]);
    });

    it('an update that changes nothing reports matchedCount 1 and modifiedCount 0', async () => {
      const c = fresh();
      await c.insertOne({ _id: 1, v: 5 });
      const result = await c.updateOne({ _id: 1 }, { $set: { v: 5 } });
      assert.equal(result.matchedCount, 1);
      assert.equal(result.modifiedCount, 0);
    });

    it('an update matching nothing reports zero counts and inserts nothing', async () => {
      const c = fresh();
      const result = await c.updateMany({ missing: true }, { $set: { v: 1 } });
      assert.equal(result.matchedCount, 0);
      assert.equal(result.modifiedCount, 0);
      assert.equal(result.upsertedId, null);
      assert.equal(await c.countDocuments(), 0);
    });

    it('an upsert creates a document from the filter\'s equality fields plus $set and $setOnInsert, and returns upsertedId', async () => {
      const c = fresh();
      const result = await c.updateOne(
        { name: 'ada', 'profile.team': 'core', age: { $gt: 30 } },
        { $set: { status: 'new' }, $setOnInsert: { createdBy: 'upsert' } },
        { upsert: true },
      );
      assert.equal(result.upsertedCount, 1);
      assert.equal(result.matchedCount, 0);
      assert.ok(result.upsertedId instanceof ObjectId);
      const doc = await c.findOne({ _id: result.upsertedId });
      assert.deepEqual(doc, {
        _id: result.upsertedId,
        name: 'ada',
        profile: { team: 'core' },
        status: 'new',
        createdBy: 'upsert',
      });
    });

    it('an upsert that matches updates the document and ignores $setOnInsert', async () => {
      const c = fresh();
      await c.insertOne({ _id: 'k', n: 1 });
      const result = await c.updateOne({ _id: 'k' }, { $set: { n: 2 }, $setOnInsert: { created: true } }, { upsert: true });
      assert.equal(result.matchedCount, 1);
      assert.equal(result.upsertedCount, 0);
      assert.equal(result.upsertedId, null);
      assert.deepEqual(await c.findOne({ _id: 'k' }), { _id: 'k', n: 2 });
    });

    it('an upsert with an _id in the filter creates the document with that _id', async () => {
      const c = fresh();
      const result = await c.updateOne({ _id: 'chosen' }, { $inc: { n: 1 } }, { upsert: true });
      assert.equal(result.upsertedId, 'chosen');
      assert.deepEqual(await c.findOne({}), { _id: 'chosen', n: 1 });
    });

    it('an upsert takes fields given with $eq in the filter, _id included', async () => {
      const c = fresh();
      const result = await c.updateOne({ _id: { $eq: 5 }, kind: { $eq: 'k' } }, { $set: { v: 1 } }, { upsert: true });
      assert.equal(result.upsertedId, 5);
      assert.deepEqual(await c.findOne({}), { _id: 5, kind: 'k', v: 1 });
    });

    it('replaceOne swaps the whole document but keeps its _id; with upsert it inserts', async () => {
      const c = fresh();
      await c.insertOne({ _id: 1, a: 1, b: 2 });
      const replaced = await c.replaceOne({ a: 1 }, { c: 3 });
      assert.equal(replaced.matchedCount, 1);
      assert.equal(replaced.modifiedCount, 1);
      assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, c: 3 });
      const upserted = await c.replaceOne({ _id: 2 }, { d: 4 }, { upsert: true });
      assert.equal(upserted.upsertedId, 2);
      assert.deepEqual(await c.findOne({ _id: 2 }), { _id: 2, d: 4 });
    });

    it('deleteOne removes one matching document; deleteMany removes all and reports the count', async () => {
      const c = fresh();
      await c.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
      assert.equal((await c.deleteOne({ g: 1 })).deletedCount, 1);
      assert.equal(await c.countDocuments({ g: 1 }), 2);
      assert.equal((await c.deleteMany({ g: 1 })).deletedCount, 2);
      assert.equal((await c.deleteMany({ g: 99 })).deletedCount, 0);
      assert.deepEqual((await c.find({}, { projection: { _id: 0 } }).toArray()), [{ g: 2 }]);
      assert.equal((await c.deleteMany({})).deletedCount, 1);
      assert.equal(await c.countDocuments(), 0);
    });
  });

  describe('counting and distinct', () => {
    it('countDocuments honours filter, skip and limit; estimatedDocumentCount counts all', async () => {
      const c = fresh();
      await c.insertMany(Array.from({ length: 25 }, (_, i) => ({ i, even: i % 2 === 0 })));
      assert.equal(await c.countDocuments(), 25);
      assert.equal(await c.countDocuments({ even: true }), 13);
      assert.equal(await c.countDocuments({}, { skip: 20 }), 5);
      assert.equal(await c.countDocuments({ even: false }, { limit: 4 }), 4);
      assert.equal(await c.estimatedDocumentCount(), 25);
    });

    it('counting a collection that does not exist gives 0', async () => {
      const c = fresh();
      assert.equal(await c.countDocuments(), 0);
      assert.equal(await c.estimatedDocumentCount(), 0);
    });

    it('distinct returns each value once, unwinding arrays, within the filter', async () => {
      const c = fresh();
      await c.insertMany([
        { city: 'London', tags: ['a', 'b'], n: 1 },
        { city: 'Paris', tags: ['b', 'c'], n: 2 },
        { city: 'London', tags: 'd', n: 3 },
        { n: 4 },
      ]);
      assert.deepEqual((await c.distinct('city')).sort(), ['London', 'Paris']);
      assert.deepEqual((await c.distinct('tags')).sort(), ['a', 'b', 'c', 'd']);
      assert.deepEqual((await c.distinct('tags', { n: { $gte: 2 } })).sort(), ['b', 'c', 'd']);
      assert.deepEqual(await c.distinct('nothing'), []);
    });

    it('distinct tells a string from a number whatever the string says, and counts 1, 1.0 and Long(1) as one value', async () => {
      const c = fresh();
      await c.insertMany([
        { v: 'n1' }, { v: 1 }, { v: new Double(1) }, { v: Long.fromNumber(1) }, { v: 's"x"' }, { v: 'x' }, { v: [2, 'n2', 'x'] }, { v: null },
      ]);
      const values = await c.distinct('v');
      assert.equal(values.length, 7, JSON.stringify(values));
      const strings = values.filter((v) => typeof v === 'string').sort();
      assert.deepEqual(strings, ['n1', 'n2', 's"x"', 'x']);
      assert.deepEqual(values.filter((v) => typeof v === 'number').sort(), [1, 2]);
      assert.ok(values.includes(null));
    });
  });
});
