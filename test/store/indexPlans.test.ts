// Queries an index answers give what a scan gives: the same documents for filters, and for a
// sort with a limit the same sort keys in the same order (which of several tied documents comes
// first is the server's choice, as in MongoDB). Each query runs on two collections holding the
// same documents, one indexed and one not, so a planner that skips or misorders a document shows.
import assert from 'node:assert/strict';
import type { Document, Sort } from 'mongodb';
import { useStoreSuite } from '../support/store';
import { col, type AnyDoc } from '../support/storeAssertions';

/** A small deterministic generator, so a failure names a reproducible data set. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const STATUSES = ['pending', 'leased', 'done', 'dead'];

function queueDocs(count: number, seed: number): AnyDoc[] {
  const random = lcg(seed);
  const base = Date.UTC(2026, 10, 23);
  return Array.from({ length: count }, (_, i) => {
    const doc: AnyDoc = {
      _id: `n${i}`,
      status: STATUSES[Math.floor(random() * STATUSES.length)],
      // Ties on purpose: 40 distinct times for hundreds of documents.
      nextAt: new Date(base + Math.floor(random() * 40) * 1000),
      conversationId: `c${Math.floor(random() * 5)}`,
      attempts: Math.floor(random() * 4),
    };
    if (i % 37 === 0) delete doc.nextAt; // missing: indexed as null, sorts first
    if (i % 53 === 0) doc.nextAt = Math.floor(random() * 10); // another type: bracketed apart
    return doc;
  });
}

describe('store: queries answered from an index', () => {
  const suite = useStoreSuite();
  let n = 0;

  /** Two collections with `docs`, the first with `indexes`. */
  async function pair(docs: AnyDoc[], indexes: Document[]) {
    n += 1;
    const indexed = col(suite.db, `plans${n}_indexed`);
    const scanned = col(suite.db, `plans${n}_scanned`);
    for (const key of indexes) await indexed.createIndex(key);
    await indexed.insertMany(docs.map((d) => ({ ...d })));
    await scanned.insertMany(docs.map((d) => ({ ...d })));
    return { indexed, scanned };
  }

  const sortKeys = (docs: AnyDoc[], sort: Record<string, 1 | -1>) =>
    docs.map((d) => Object.keys(sort).map((field) => JSON.stringify(d[field] ?? null)).join('|'));

  /** The indexed answer has the scan's sort keys in order, and every document it returns matches. */
  async function assertSameSorted(
    { indexed, scanned }: Awaited<ReturnType<typeof pair>>,
    filter: Document,
    sort: Record<string, 1 | -1>,
    limit: number,
  ): Promise<void> {
    const got = await indexed.find(filter, { sort: sort as Sort, limit }).toArray();
    const expected = await scanned.find(filter, { sort: sort as Sort, limit }).toArray();
    const label = `${JSON.stringify(filter)} sort ${JSON.stringify(sort)} limit ${limit}`;
    assert.deepEqual(sortKeys(got, sort), sortKeys(expected, sort), label);
    const matching = new Set((await scanned.find(filter).toArray()).map((d) => d._id));
    for (const d of got) assert.ok(matching.has(d._id), `${label}: ${String(d._id)} does not match`);
    assert.equal(new Set(got.map((d) => d._id)).size, got.length, `${label}: a document came twice`);
  }

  it('the due-items claim (status $in, nextAt $lte, sorted by nextAt, limited) matches a scan', async () => {
    const p = await pair(queueDocs(600, 7), [{ status: 1, nextAt: 1 }]);
    const now = new Date(Date.UTC(2026, 10, 23) + 20_000);
    const due = { status: { $in: ['pending', 'leased'] }, nextAt: { $lte: now } };
    for (const limit of [1, 8, 50, 1000]) {
      await assertSameSorted(p, due, { nextAt: 1 }, limit);
      await assertSameSorted(p, due, { nextAt: -1 }, limit);
      await assertSameSorted(p, { ...due, conversationId: { $nin: ['c0', 'c1', 'c2'] } }, { nextAt: 1 }, limit);
    }
    await assertSameSorted(p, { status: 'pending' }, { nextAt: 1 }, 10);
    await assertSameSorted(p, { status: 'pending', nextAt: { $gt: now } }, { nextAt: -1 }, 10);
    await assertSameSorted(p, { status: { $in: ['done', 'dead'] } }, { status: 1, nextAt: 1 }, 25);
    await assertSameSorted(p, { status: { $in: ['done', 'dead'] } }, { status: -1, nextAt: -1 }, 25);
    await assertSameSorted(p, { status: 'done' }, { status: 1 }, 5);
    await assertSameSorted(p, { nextAt: { $gte: new Date(Date.UTC(2026, 10, 23) + 5000) } }, { status: 1 }, 30);
    await assertSameSorted(p, { status: 'pending', nextAt: { $lt: 5 } }, { nextAt: 1 }, 30);
  });

  it('a sort the index does not hold, or a filter another index narrows, still answers as a scan does', async () => {
    const p = await pair(queueDocs(400, 11), [{ status: 1, nextAt: 1 }, { conversationId: 1 }]);
    await assertSameSorted(p, { status: 'pending', conversationId: 'c3' }, { nextAt: 1 }, 5);
    await assertSameSorted(p, { conversationId: 'c3' }, { nextAt: 1 }, 5);
    await assertSameSorted(p, { status: 'pending' }, { attempts: 1 }, 20);
    await assertSameSorted(p, { status: 'pending' }, { nextAt: 1, attempts: -1 }, 20);
    // A rival index narrows far more than the ordered one: the walk gives up and the scan answers.
    await assertSameSorted(p, { status: { $in: ['pending', 'leased', 'done', 'dead'] }, conversationId: 'c4', attempts: 3 }, { nextAt: 1 }, 3);
  });

  it('a range on an array field finds documents whose elements meet its bounds separately', async () => {
    // MongoDB matches {a: [1, 100]} against {$gte: 50, $lte: 60}: 100 meets one bound, 1 the other.
    const docs = [{ _id: 1, a: [1, 100] }, { _id: 2, a: 55 }, { _id: 3, a: [70, 80] }, { _id: 4, a: 3 }];
    const { indexed, scanned } = await pair(docs, [{ a: 1 }]);
    const filter = { a: { $gte: 50, $lte: 60 } };
    const ids = async (c: typeof indexed) => (await c.find(filter).toArray()).map((d) => d._id).sort();
    assert.deepEqual(await ids(indexed), [1, 2]);
    assert.deepEqual(await ids(indexed), await ids(scanned));
    await assertSameSorted({ indexed, scanned }, { a: { $gte: 2 } }, { a: 1 }, 2);
    await assertSameSorted({ indexed, scanned }, { a: { $gte: 2 } }, { a: -1 }, 2);
  });

  it('findOneAndUpdate with a sort takes the earliest due item from the index', async () => {
    const p = await pair(queueDocs(300, 3), [{ status: 1, nextAt: 1 }]);
    const filter = { status: { $in: ['pending', 'leased'] }, nextAt: { $lte: new Date(Date.UTC(2026, 10, 23) + 30_000) } };
    for (let i = 0; i < 20; i += 1) {
      const a = await p.indexed.findOneAndUpdate(filter, { $set: { status: 'done' } }, { sort: { nextAt: 1 } });
      const b = await p.scanned.findOneAndUpdate(filter, { $set: { status: 'done' } }, { sort: { nextAt: 1 } });
      assert.ok(a && b);
      assert.deepEqual(a.nextAt, b.nextAt, `claim ${i}`);
    }
  });
});
