// Update operators, one behaviour each, checked against what MongoDB does.
import assert from 'node:assert/strict';
import { Document, Double, Int32, Long, Timestamp } from 'mongodb';
import { useStoreSuite } from '../support/store';
import { col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: update operators', () => {
  const suite = useStoreSuite();

  let n = 0;
  /** A new collection holding one document with _id 1, and a function returning it after `update`. */
  async function withDoc(doc: object) {
    const c = col(suite.db, `u${++n}`);
    await c.insertOne({ _id: 1, ...doc });
    return {
      c,
      async apply(update: object, options: object = {}) {
        const result = await c.updateOne({ _id: 1 }, update, options);
        const after = await c.findOne({ _id: 1 });
        return { result, after };
      },
    };
  }

  it('$set replaces values and creates dotted paths with their intermediate sub-documents', async () => {
    const { apply } = await withDoc({ a: 1, b: { c: 1 } });
    const { after } = await apply({ $set: { a: 'one', 'b.d': 2, 'x.y.z': true } });
    assert.deepEqual(after, { _id: 1, a: 'one', b: { c: 1, d: 2 }, x: { y: { z: true } } });
  });

  it('$unset removes fields, and unsetting a missing field modifies nothing', async () => {
    const { apply } = await withDoc({ a: 1, b: { c: 1, d: 2 } });
    const first = await apply({ $unset: { a: '', 'b.c': 1 } });
    assert.deepEqual(first.after, { _id: 1, b: { d: 2 } });
    const second = await apply({ $unset: { nothing: '' } });
    assert.equal(second.result.modifiedCount, 0);
  });

  it('$inc adds to a number, creates a missing field and accepts negative amounts', async () => {
    const { apply } = await withDoc({ n: 5, f: 1.5 });
    const { after } = await apply({ $inc: { n: -2, f: 1, created: 3 } });
    assert.deepEqual(after, { _id: 1, n: 3, f: 2.5, created: 3 });
  });

  it('$inc keeps Int32 as Int32 and Long as Long', async () => {
    const { c, apply } = await withDoc({ i: new Int32(1), l: Long.fromString('9007199254740993') });
    await apply({ $inc: { i: new Int32(2), l: new Int32(1) } });
    const raw = await c.findOne({ _id: 1 }, { promoteValues: false });
    assert.ok(raw!.i instanceof Int32, `i is ${raw!.i?.constructor?.name}`);
    assert.equal(raw!.i.value, 3);
    assert.ok(raw!.l instanceof Long, `l is ${raw!.l?.constructor?.name}`);
    assert.equal(raw!.l.toString(), '9007199254740994');
  });

  it('$inc on a non-numeric field is refused with code 14 TypeMismatch and changes nothing', async () => {
    const { c } = await withDoc({ s: 'text' });
    await rejectsWithServerError(c.updateOne({ _id: 1 }, { $inc: { s: 1 } }), { code: 14, messageIncludes: '$inc' });
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, s: 'text' });
  });

  it('$push appends one value; with $each it appends several, creating the array if missing', async () => {
    const { apply } = await withDoc({ list: [1] });
    await apply({ $push: { list: 2 } });
    const { after } = await apply({ $push: { list: { $each: [3, 4] }, other: { $each: ['x'] } } });
    assert.deepEqual(after, { _id: 1, list: [1, 2, 3, 4], other: ['x'] });
  });

  it('$push with $each honours $position, $sort and $slice', async () => {
    const { apply } = await withDoc({ list: [5, 1] });
    const positioned = await apply({ $push: { list: { $each: [9], $position: 0 } } });
    assert.deepEqual(positioned.after!.list, [9, 5, 1]);
    const sortedSliced = await apply({ $push: { list: { $each: [3, 7], $sort: 1, $slice: 3 } } });
    assert.deepEqual(sortedSliced.after!.list, [1, 3, 5]);
  });

  it('$push onto a field that is not an array is refused and changes nothing', async () => {
    const { c } = await withDoc({ list: 'scalar' });
    const push: Document = { $push: { list: 1 } };
    await rejectsWithServerError(c.updateOne({ _id: 1 }, push), { code: 2, messageIncludes: 'list' });
    assert.equal((await c.findOne({ _id: 1 }))!.list, 'scalar');
  });

  it('$addToSet adds only values not already present, including with $each', async () => {
    const { apply } = await withDoc({ tags: ['a', 'b'] });
    const same = await apply({ $addToSet: { tags: 'a' } });
    assert.equal(same.result.modifiedCount, 0);
    const { after } = await apply({ $addToSet: { tags: { $each: ['b', 'c', 'c', 'd'] } } });
    assert.deepEqual(after!.tags, ['a', 'b', 'c', 'd']);
  });

  it('$addToSet compares sub-documents as whole values', async () => {
    const { apply } = await withDoc({ set: [{ a: 1, b: 2 }] });
    // MongoDB: a sub-document is a duplicate only with the same fields, values and field order.
    const { after } = await apply({ $addToSet: { set: { $each: [{ a: 1, b: 2 }, { b: 2, a: 1 }] } } });
    assert.deepEqual(after!.set.map((d: object) => Object.keys(d)), [['a', 'b'], ['b', 'a']]);
    assert.deepEqual(after!.set, [{ a: 1, b: 2 }, { b: 2, a: 1 }]);
  });

  it('$pull removes every element equal to a value or matching a condition', async () => {
    const { apply } = await withDoc({ nums: [1, 5, 2, 5, 8], items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 0 }, { sku: 'c', qty: 0 }] });
    const byValue = await apply({ $pull: { nums: 5 } });
    assert.deepEqual(byValue.after!.nums, [1, 2, 8]);
    const byCondition = await apply({ $pull: { nums: { $gte: 2 }, items: { qty: 0 } } });
    assert.deepEqual(byCondition.after!.nums, [1]);
    assert.deepEqual(byCondition.after!.items, [{ sku: 'a', qty: 1 }]);
  });

  it('$pop removes the last or the first element', async () => {
    const { apply } = await withDoc({ list: [1, 2, 3] });
    assert.deepEqual((await apply({ $pop: { list: 1 } })).after!.list, [1, 2]);
    assert.deepEqual((await apply({ $pop: { list: -1 } })).after!.list, [2]);
  });

  it('$min and $max change a field only when the new value is lower or higher', async () => {
    const { apply } = await withDoc({ low: 10, high: 10 });
    const unchanged = await apply({ $min: { low: 20 }, $max: { high: 5 } });
    assert.equal(unchanged.result.modifiedCount, 0);
    const { after } = await apply({ $min: { low: 3, newLow: 1 }, $max: { high: 30 } });
    assert.deepEqual(after, { _id: 1, low: 3, high: 30, newLow: 1 });
  });

  it('$currentDate sets a Date, or a Timestamp when asked for one', async () => {
    const { apply } = await withDoc({});
    const before = Date.now();
    const { after } = await apply({ $currentDate: { at: true, stamp: { $type: 'timestamp' }, day: { $type: 'date' } } });
    assert.ok(after!.at instanceof Date);
    assert.ok(after!.day instanceof Date);
    assert.ok(Math.abs(after!.at.getTime() - before) < 60_000, `at ${after!.at.toISOString()}`);
    assert.ok(after!.stamp instanceof Timestamp, `stamp is ${after!.stamp?.constructor?.name}`);
    assert.ok(Math.abs(after!.stamp.t * 1000 - before) < 60_000);
  });

  it('$rename moves a field to a new name', async () => {
    const { apply } = await withDoc({ old: 1, keep: 2 });
    const { after } = await apply({ $rename: { old: 'fresh' } });
    assert.deepEqual(after, { _id: 1, keep: 2, fresh: 1 });
  });

  it('$set on an array index replaces that element, and past the end pads with nulls', async () => {
    const { apply } = await withDoc({ arr: ['a', 'b'] });
    assert.deepEqual((await apply({ $set: { 'arr.1': 'B' } })).after!.arr, ['a', 'B']);
    assert.deepEqual((await apply({ $set: { 'arr.4': 'e' } })).after!.arr, ['a', 'B', null, null, 'e']);
  });

  it('$mul multiplies, and creates a missing field as 0', async () => {
    const { apply } = await withDoc({ price: 2.5 });
    const { after } = await apply({ $mul: { price: 4, missing: 3 } });
    assert.deepEqual(after, { _id: 1, price: 10, missing: 0 });
  });

  it('the positional $ operator updates the array element the filter matched', async () => {
    const { c } = await withDoc({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 1 }] });
    await c.updateOne({ _id: 1, 'items.sku': 'b' }, { $set: { 'items.$.qty': 9 } });
    assert.deepEqual((await c.findOne({ _id: 1 }))!.items, [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 9 }]);
  });

  it('several operators in one update apply together, atomically', async () => {
    const { apply } = await withDoc({ a: 1, b: [1], c: 'x' });
    const { result, after } = await apply({ $inc: { a: 1 }, $push: { b: 2 }, $unset: { c: '' }, $set: { d: true } });
    assert.equal(result.modifiedCount, 1);
    assert.deepEqual(after, { _id: 1, a: 2, b: [1, 2], d: true });
  });

  it('an update that would change _id is refused with code 66 ImmutableField', async () => {
    const { c } = await withDoc({ a: 1 });
    await rejectsWithServerError(c.updateOne({ _id: 1 }, { $set: { _id: 2 } }), { code: 66, messageIncludes: '_id' });
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, a: 1 });
  });

  it('two operators on the same path are refused with code 40 ConflictingUpdateOperators', async () => {
    const { c } = await withDoc({ a: 1 });
    await rejectsWithServerError(c.updateOne({ _id: 1 }, { $set: { a: 5 }, $inc: { a: 1 } }), { code: 40 });
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, a: 1 });
  });

  it('operators on a path and its parent, or on a $rename target, are refused with code 40', async () => {
    const { c } = await withDoc({ a: { b: 1 }, x: 1 });
    await rejectsWithServerError(c.updateOne({ _id: 1 }, { $set: { a: 5 }, $unset: { 'a.b': '' } }), { code: 40 });
    await rejectsWithServerError(c.updateOne({ _id: 1 }, { $rename: { x: 'y' }, $set: { y: 2 } }), { code: 40 });
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, a: { b: 1 }, x: 1 });
    await c.updateOne({ _id: 1 }, { $set: { 'a.c': 2 }, $inc: { 'a.b': 1 } });
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, a: { b: 2, c: 2 }, x: 1 });
  });

  it('a $set on one field leaves the other fields\' BSON types alone', async () => {
    const { c, apply } = await withDoc({ d: new Double(1), l: Long.fromNumber(5), i: new Int32(7) });
    await apply({ $set: { other: 'x' } });
    const raw = await c.findOne({ _id: 1 }, { promoteValues: false });
    assert.ok(raw!.d instanceof Double, `d is ${raw!.d?.constructor?.name}`);
    assert.ok(raw!.l instanceof Long, `l is ${raw!.l?.constructor?.name}`);
    assert.ok(raw!.i instanceof Int32, `i is ${raw!.i?.constructor?.name}`);
  });
});
