// Durability of the embedded store: acknowledged writes survive `kill -9` of the store process.
// These tests always spawn their own embedded store (services/db/embedded/cli.ts), even when the
// rest of the suite runs against MONGODB_URI.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Binary, Decimal128, Document, Long, MongoClient } from 'mongodb';
import { startStoreProcess, StoreProcess } from '../support/storeProcess';
import { AnyDoc, col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: durability across kill -9 (embedded store process)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const running: StoreProcess[] = [];
  const clients: MongoClient[] = [];

  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(running.map((p) => p.kill9()));
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-durability-'));
    dirs.push(dir);
    return dir;
  }

  /** Starts the store on `dir` and returns the process and a connected client's collection. */
  async function start(dir: string) {
    const proc = await startStoreProcess(dir);
    running.push(proc);
    const client = await MongoClient.connect(proc.uri, { serverSelectionTimeoutMS: 5000 });
    clients.push(client);
    return { proc, client, coll: (name = 'docs') => col(client.db('durable'), name) };
  }

  /** SIGKILL without closing the client first: the store gets no chance to flush anything. */
  async function crash(s: { proc: StoreProcess; client: MongoClient }) {
    await s.proc.kill9();
    await s.client.close().catch(() => undefined);
  }

  it('acknowledged inserts are all there after the process is killed with SIGKILL and restarted', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.coll().insertOne({ _id: 'one', v: 1 });
    await first.coll().insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: i, v: `value-${i}` })));
    await first.coll('other').insertOne({ _id: 'x' });
    await crash(first);

    const second = await start(dir);
    assert.equal(await second.coll().countDocuments(), 201);
    assert.deepEqual(await second.coll().findOne({ _id: 'one' }), { _id: 'one', v: 1 });
    assert.deepEqual(await second.coll().findOne({ _id: 199 }), { _id: 199, v: 'value-199' });
    assert.equal(await second.coll('other').countDocuments(), 1);
    await crash(second);
  });

  it('every one of 100 concurrently acknowledged writes survives a SIGKILL straight after', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => first.coll().insertOne({ _id: i })),
      ...Array.from({ length: 50 }, () => first.coll('counter').updateOne({ _id: 'n' }, { $inc: { n: 1 } }, { upsert: true })),
    ]);
    await crash(first);

    const second = await start(dir);
    assert.equal(await second.coll().countDocuments(), 100);
    assert.deepEqual(await second.coll('counter').findOne({ _id: 'n' }), { _id: 'n', n: 50 });
    await crash(second);
  });

  it('updates and deletes survive a SIGKILL', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.coll().insertMany([{ _id: 1, n: 0 }, { _id: 2, n: 0 }, { _id: 3, n: 0 }]);
    await first.coll().updateOne({ _id: 1 }, { $set: { n: 10 }, $push: { log: 'a' } } as Document);
    await first.coll().updateMany({}, { $inc: { n: 1 } });
    await first.coll().replaceOne({ _id: 3 }, { replaced: true });
    await first.coll().deleteOne({ _id: 2 });
    await first.coll().findOneAndUpdate({ _id: 1 }, { $push: { log: 'b' } } as Document);
    await crash(first);

    const second = await start(dir);
    assert.deepEqual(await second.coll().find().sort({ _id: 1 }).toArray(), [
      { _id: 1, n: 11, log: ['a', 'b'] },
      { _id: 3, replaced: true },
    ]);
    await crash(second);
  });

  it('a unique index survives a SIGKILL and still refuses duplicates', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.coll().createIndex({ email: 1 }, { unique: true });
    await first.coll().insertOne({ email: 'a@x' });
    await crash(first);

    const second = await start(dir);
    const spec = (await second.coll().listIndexes().toArray()).find((i) => i.name === 'email_1');
    assert.ok(spec, 'the email_1 index is listed after the restart');
    assert.equal(spec.unique, true);
    await rejectsWithServerError(second.coll().insertOne({ email: 'a@x' }), { code: 11000, messageStartsWith: 'E11000' });
    assert.equal(await second.coll().countDocuments(), 1);
    await crash(second);
  });

  it('dropped collections, dropped indexes and dropped databases stay dropped after a SIGKILL', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.coll('gone').insertOne({ a: 1 });
    await first.coll('kept').createIndex({ k: 1 }, { unique: true });
    await first.coll('kept').insertOne({ k: 1 });
    await first.coll('gone').drop();
    await first.coll('kept').dropIndex('k_1');
    await first.client.db('doomed').collection('c').insertOne({ a: 1 });
    await first.client.db('doomed').dropDatabase();
    await crash(first);

    const second = await start(dir);
    const names = (await second.client.db('durable').listCollections().toArray()).map((c) => c.name);
    assert.deepEqual(names, ['kept']);
    await second.coll('kept').insertOne({ k: 1 });
    assert.equal(await second.coll('kept').countDocuments({ k: 1 }), 2);
    const dbs = (await second.client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    assert.equal(dbs.includes('doomed'), false);
    await crash(second);
  });

  it('BSON types survive a restart exactly', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const doc: AnyDoc = {
      _id: 'types',
      long: Long.fromString('9007199254740993'),
      decimal: Decimal128.fromString('0.1000'),
      bin: new Binary(Buffer.from([1, 2, 3]), 0x80),
      date: new Date('2020-01-02T03:04:05.678Z'),
      nested: { list: [1, [2, { three: 3 }]] },
    };
    await first.coll().insertOne(doc);
    await crash(first);

    const second = await start(dir);
    const back = await second.coll().findOne({ _id: 'types' }, { promoteLongs: false });
    assert.equal(back!.long.toString(), '9007199254740993');
    assert.ok(back!.long instanceof Long);
    assert.equal(back!.decimal.toString(), '0.1000');
    assert.equal(back!.bin.sub_type, 0x80);
    assert.deepEqual([...back!.bin.buffer], [1, 2, 3]);
    assert.equal(back!.date.toISOString(), '2020-01-02T03:04:05.678Z');
    assert.deepEqual(back!.nested, { list: [1, [2, { three: 3 }]] });
    await crash(second);
  });

  it('writes made after a recovery survive a second SIGKILL along with the earlier ones', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.coll().insertOne({ _id: 'before', n: 1 });
    await crash(first);

    const second = await start(dir);
    await second.coll().insertOne({ _id: 'between' });
    await second.coll().updateOne({ _id: 'before' }, { $inc: { n: 1 } });
    await crash(second);

    const third = await start(dir);
    assert.deepEqual(await third.coll().find().sort({ _id: 1 }).toArray(), [{ _id: 'before', n: 2 }, { _id: 'between' }]);
    await crash(third);
  });
});
