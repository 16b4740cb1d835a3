// The botbuilder storage contract on MongoDB: what is written is read back exactly, and eTags
// stop a stale writer (another turn, another instance) from overwriting newer state.
import assert from 'node:assert/strict';
import { MongoStateStorage, ETagConflictError, type StateDocument } from '../../services/db/stateStorage';
import { collections } from '../../services/db/collections';
import { openTestStore, type TestStore } from '../support/store';

describe('MongoStateStorage', () => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore();
  });
  after(async () => {
    await store?.close();
  });

  const fresh = () => new MongoStateStorage(store.freshDb());
  const withoutETag = ({ eTag: _ignored, ...rest }: Record<string, unknown>) => rest;

  it('reads back exactly what was written, including $-prefixed and dotted keys', async () => {
    const storage = fresh();
    const key = 'msteams/conversations/19:abc.def@thread.tacv2;messageid=1700000000000/';
    const item = {
      $type: 'DialogState',
      'a.b': 1,
      dialogStack: [{ id: 'root', state: { $ref: 'x', 'options.value': [1, { z: 'ü' }] } }],
      text: 'héllo 🌍 日本語 \u0000 "quoted"',
      list: [1, 'two', null, true, {}, []],
      nested: { deeper: { deepest: { n: -1.5, big: 2 ** 53 - 1 } } },
    };
    await storage.write({ [key]: item, 'user/$odd.key': { v: 2 } });

    const read = await storage.read([key, 'user/$odd.key']);
    assert.deepEqual(Object.keys(read).sort(), [key, 'user/$odd.key'].sort());
    assert.deepEqual(withoutETag(read[key]), item);
    assert.deepEqual(withoutETag(read['user/$odd.key']), { v: 2 });
    assert.equal(typeof read[key].eTag, 'string');
    assert.ok(read[key].eTag.length > 0);
  });

  it('stores one document per key with the key as _id, unchanged', async () => {
    const db = store.freshDb();
    const storage = new MongoStateStorage(db);
    const key = 'msteams/users/29:1AbC-xyz_09/' + 'k'.repeat(500);
    await storage.write({ [key]: { count: 1 } });
    const docs = await db.collection<StateDocument>(collections.botState).find().toArray();
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!._id, key);
    assert.equal(typeof docs[0]!.eTag, 'string');
    assert.ok(docs[0]!.updatedAt instanceof Date);
  });

  it('keeps a "__proto__" key as a plain entry', async () => {
    const storage = fresh();
    await storage.write({ ['__proto__']: { v: 1 } });
    const read = await storage.read(['__proto__']);
    assert.deepEqual(Object.keys(read), ['__proto__']);
    assert.equal(Object.getPrototypeOf(read), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(read, '__proto__')?.value.v, 1);
  });

  it('returns only the keys that exist', async () => {
    const storage = fresh();
    assert.deepEqual(await storage.read(['missing']), {});
    assert.deepEqual(await storage.read([]), {});
    await storage.write({ here: { v: 1 } });
    const read = await storage.read(['here', 'missing']);
    assert.deepEqual(Object.keys(read), ['here']);
  });

  it('accepts the eTag it handed out and gives every write a new one', async () => {
    const storage = fresh();
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, v: 2 } });
    const second = (await storage.read(['k'])).k;
    assert.equal(second.v, 2);
    assert.notEqual(second.eTag, first.eTag);
  });

  it('rejects a stale eTag with a conflict naming the key and leaves the item unchanged', async () => {
    const storage = fresh();
    await storage.write({ k: { v: 1 } });
    const stale = (await storage.read(['k'])).k;
    await storage.write({ k: { ...stale, v: 2 } });
    const current = (await storage.read(['k'])).k;

    await assert.rejects(storage.write({ k: { ...stale, v: 3 } }), (err: Error) => {
      assert.ok(err instanceof ETagConflictError);
      assert.match(err.message, /eTag conflict/);
      assert.match(err.message, /"k"/);
      return true;
    });
    assert.deepEqual((await storage.read(['k'])).k, current);
  });

  it('treats an eTag on a key that does not exist as a conflict', async () => {
    const storage = fresh();
    await assert.rejects(storage.write({ gone: { eTag: 'some-old-etag', v: 1 } }), /eTag conflict/);
    assert.deepEqual(await storage.read(['gone']), {});
  });

  it('overwrites unconditionally with eTag "*" or no eTag', async () => {
    const storage = fresh();
    await storage.write({ k: { v: 1 } });
    const stale = (await storage.read(['k'])).k;
    await storage.write({ k: { ...stale, v: 2 } });

    await storage.write({ k: { eTag: '*', v: 3 } });
    assert.equal((await storage.read(['k'])).k.v, 3);
    await storage.write({ k: { v: 4 } });
    assert.equal((await storage.read(['k'])).k.v, 4);
    await storage.write({ created: { eTag: '*', v: 5 } });
    assert.equal((await storage.read(['created'])).created.v, 5);
  });

  it('does not change the caller\'s item', async () => {
    const storage = fresh();
    const item = { eTag: '*', v: 1 };
    await storage.write({ k: item });
    assert.deepEqual(item, { eTag: '*', v: 1 });
  });

  it('lets exactly one of 20 concurrent writers with the same eTag win', async () => {
    const storage = fresh();
    await storage.write({ k: { writer: -1 } });
    const reads = await Promise.all(Array.from({ length: 20 }, () => storage.read(['k'])));
    const eTag = reads[0]!.k.eTag;
    assert.ok(reads.every((r) => r.k.eTag === eTag));

    // All writes are started before any is awaited.
    const writes = reads.map((r, i) => storage.write({ k: { ...r.k, writer: i } }));
    const outcomes = await Promise.allSettled(writes);

    const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
    assert.equal(winners.length, 1, `winners: ${winners.join(', ')}`);
    for (const o of outcomes) {
      if (o.status === 'rejected') assert.ok(o.reason instanceof ETagConflictError, String(o.reason));
    }
    assert.equal((await storage.read(['k'])).k.writer, winners[0]);
  });

  it('lets 20 concurrent unconditional writers of a new key all succeed, one value stored', async () => {
    const storage = fresh();
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.write({ fresh: { eTag: '*', writer: i } })));
    const { writer } = (await storage.read(['fresh'])).fresh;
    assert.ok(Number.isInteger(writer) && writer >= 0 && writer < 20);
  });

  it('writes the other keys of a batch when one conflicts, then rejects naming only that key', async () => {
    const storage = fresh();
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    const staleA = (await storage.read(['a'])).a;
    await storage.write({ a: { v: 2 } });

    await assert.rejects(storage.write({ a: { ...staleA, v: 3 }, b: { v: 3 }, c: { v: 3 } }), (err: Error) => {
      assert.ok(err instanceof ETagConflictError);
      assert.deepEqual(err.keys, ['a']);
      return true;
    });
    const read = await storage.read(['a', 'b', 'c']);
    assert.equal(read.a.v, 2);
    assert.equal(read.b.v, 3);
    assert.equal(read.c.v, 3);
  });

  it('deletes, and deleting a missing key is fine', async () => {
    const storage = fresh();
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    await storage.delete(['a', 'never-existed']);
    assert.deepEqual(Object.keys(await storage.read(['a', 'b'])), ['b']);
    await storage.delete(['a']);
    await storage.delete([]);
    assert.deepEqual(await storage.read(['a']), {});
  });

  it('rejects an item that is not an object', async () => {
    const storage = fresh();
    await assert.rejects(storage.write({ k: 'text' }), TypeError);
  });
});
