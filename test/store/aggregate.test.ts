// Aggregation pipelines through a cursor.
import assert from 'node:assert/strict';
import { Db } from 'mongodb';
import { openTestStore, TestStore } from '../support/store';
import { AnyDoc, col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: aggregate', () => {
  let store: TestStore;
  let db: Db;
  const sales = () => col(db, 'sales');
  const items = () => col(db, 'items');
  before(async () => {
    store = await openTestStore();
    db = store.freshDb();
    await sales().insertMany([
      { _id: 1, item: 'apple', qty: 5, price: 2, region: 'north', tags: ['fruit', 'red'] },
      { _id: 2, item: 'pear', qty: 2, price: 3, region: 'south', tags: ['fruit'] },
      { _id: 3, item: 'apple', qty: 10, price: 2, region: 'south', tags: [] },
      { _id: 4, item: 'kale', qty: 1, price: 4, region: 'north' },
      { _id: 5, item: 'pear', qty: 7, price: 3, region: 'north', tags: ['fruit', 'green'] },
    ]);
    await items().insertMany([
      { _id: 'apple', color: 'red' },
      { _id: 'pear', color: 'green' },
    ]);
  });
  after(async () => { await store?.close(); });

  const run = (pipeline: object[]) => sales().aggregate<AnyDoc>(pipeline).toArray();

  it('$match then $group sums, averages and collects per key', async () => {
    const out = await run([
      { $match: { qty: { $gte: 2 } } },
      {
        $group: {
          _id: '$item',
          total: { $sum: '$qty' },
          count: { $sum: 1 },
          avgQty: { $avg: '$qty' },
          maxQty: { $max: '$qty' },
          minQty: { $min: '$qty' },
          ids: { $push: '$_id' },
          regions: { $addToSet: '$region' },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    assert.deepEqual(out.map((g) => ({ ...g, regions: [...g.regions].sort() })), [
      { _id: 'apple', total: 15, count: 2, avgQty: 7.5, maxQty: 10, minQty: 5, ids: [1, 3], regions: ['north', 'south'] },
      { _id: 'pear', total: 9, count: 2, avgQty: 4.5, maxQty: 7, minQty: 2, ids: [2, 5], regions: ['north', 'south'] },
    ]);
  });

  it('$group with _id null aggregates the whole input, and a compound _id groups by several fields', async () => {
    const all = await run([{ $group: { _id: null, revenue: { $sum: { $multiply: ['$qty', '$price'] } } } }]);
    assert.deepEqual(all, [{ _id: null, revenue: 10 + 6 + 20 + 4 + 21 }]);
    const byPair = await run([
      { $group: { _id: { item: '$item', region: '$region' }, qty: { $sum: '$qty' } } },
      { $sort: { '_id.item': 1, '_id.region': 1 } },
    ]);
    assert.deepEqual(byPair.map((g) => [g._id, g.qty]).map(([k, q]) => [(k as AnyDoc).item, (k as AnyDoc).region, q]), [
      ['apple', 'north', 5], ['apple', 'south', 10], ['kale', 'north', 1], ['pear', 'north', 7], ['pear', 'south', 2],
    ]);
  });

  it('$sort, $skip and $limit page through the pipeline output', async () => {
    const out = await run([{ $sort: { qty: -1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 1 } }]);
    assert.deepEqual(out, [{ _id: 5 }, { _id: 1 }]);
  });

  it('$project includes, excludes, renames and computes fields', async () => {
    const out = await run([
      { $match: { _id: 1 } },
      { $project: { _id: 0, item: 1, total: { $multiply: ['$qty', '$price'] }, label: { $concat: ['$item', '@', '$region'] }, where: '$region' } },
    ]);
    assert.deepEqual(out, [{ item: 'apple', total: 10, label: 'apple@north', where: 'north' }]);
    const excluded = await run([{ $match: { _id: 2 } }, { $project: { tags: 0, price: 0 } }]);
    assert.deepEqual(excluded, [{ _id: 2, item: 'pear', qty: 2, region: 'south' }]);
  });

  it('$addFields adds computed fields and keeps all the others', async () => {
    const out = await run([
      { $match: { _id: 4 } },
      { $addFields: { total: { $multiply: ['$qty', '$price'] }, big: { $gt: ['$qty', 3] } } },
    ]);
    assert.deepEqual(out, [{ _id: 4, item: 'kale', qty: 1, price: 4, region: 'north', total: 4, big: false }]);
  });

  it('$unwind emits one document per array element and drops empty or missing arrays', async () => {
    const out = await run([{ $unwind: '$tags' }, { $project: { tags: 1 } }, { $sort: { _id: 1, tags: 1 } }]);
    assert.deepEqual(out.map((d) => [d._id, d.tags]), [[1, 'fruit'], [1, 'red'], [2, 'fruit'], [5, 'fruit'], [5, 'green']]);
  });

  it('$unwind with preserveNullAndEmptyArrays and includeArrayIndex keeps every document', async () => {
    const out = await run([
      { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' } },
      { $project: { tags: 1, i: 1 } },
      { $sort: { _id: 1, i: 1 } },
    ]);
    assert.deepEqual(out, [
      { _id: 1, tags: 'fruit', i: 0 },
      { _id: 1, tags: 'red', i: 1 },
      { _id: 2, tags: 'fruit', i: 0 },
      { _id: 3, i: null },
      { _id: 4, i: null },
      { _id: 5, tags: 'fruit', i: 0 },
      { _id: 5, tags: 'green', i: 1 },
    ]);
  });

  it('$lookup joins matching documents from another collection as an array', async () => {
    const out = await run([
      { $match: { _id: { $in: [1, 4] } } },
      { $lookup: { from: 'items', localField: 'item', foreignField: '_id', as: 'info' } },
      { $project: { info: 1 } },
      { $sort: { _id: 1 } },
    ]);
    assert.deepEqual(out, [
      { _id: 1, info: [{ _id: 'apple', color: 'red' }] },
      { _id: 4, info: [] },
    ]);
  });

  it('$count counts the documents reaching it, and emits nothing for an empty input', async () => {
    assert.deepEqual(await run([{ $match: { region: 'north' } }, { $count: 'n' }]), [{ n: 3 }]);
    assert.deepEqual(await run([{ $match: { region: 'west' } }, { $count: 'n' }]), []);
  });

  it('$facet runs several sub-pipelines over the same input', async () => {
    const out = await run([
      {
        $facet: {
          byRegion: [{ $group: { _id: '$region', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          top: [{ $sort: { qty: -1 } }, { $limit: 1 }, { $project: { item: 1 } }],
          total: [{ $count: 'n' }],
        },
      },
    ]);
    assert.deepEqual(out, [{
      byRegion: [{ _id: 'north', n: 3 }, { _id: 'south', n: 2 }],
      top: [{ _id: 3, item: 'apple' }],
      total: [{ n: 5 }],
    }]);
  });

  it('an aggregation over many documents is read in batches through getMore', async () => {
    const big = col(db, 'big');
    await big.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, odd: i % 2 === 1 })));
    const out = await big.aggregate([{ $match: { odd: true } }, { $sort: { _id: -1 } }], { batchSize: 7 }).toArray();
    assert.equal(out.length, 150);
    assert.equal(out[0]!._id, 299);
    assert.equal(out[149]!._id, 1);
  });

  it('the aggregate command without a cursor option is refused with code 9 FailedToParse', async () => {
    await rejectsWithServerError(db.command({ aggregate: 'sales', pipeline: [] }), { code: 9, messageIncludes: 'cursor' });
  });
});
