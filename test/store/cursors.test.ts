// Cursors over several batches: getMore, killCursors, and the errors for a cursor that is gone.
import assert from 'node:assert/strict';
import { ClientSession, CommandStartedEvent, CommandSucceededEvent, Db, Document, Long, MongoClient } from 'mongodb';
import { openTestStore, TestStore } from '../support/store';
import { col, rejectsWithServerError } from '../support/storeAssertions';

describe('store: cursors', () => {
  let store: TestStore;
  let db: Db;
  /** A client that records the commands it sends and the replies it gets. */
  let watched: MongoClient;
  const started: CommandStartedEvent[] = [];
  const succeeded: CommandSucceededEvent[] = [];
  const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: i, pad: `row-${i}` }));

  before(async () => {
    store = await openTestStore();
    db = store.freshDb();
    await col(db, 'rows').insertMany(docs);
    watched = await MongoClient.connect(store.uri, { serverSelectionTimeoutMS: 5000, monitorCommands: true });
    watched.on('commandStarted', (e) => started.push(e));
    watched.on('commandSucceeded', (e) => succeeded.push(e));
  });
  after(async () => {
    await watched?.close();
    await store?.close();
  });
  beforeEach(() => {
    started.length = 0;
    succeeded.length = 0;
  });
  const rows = () => col(watched.db(db.databaseName), 'rows');

  /** Runs a command in the given session, keeping 64-bit cursor ids as Long. */
  const run = (command: Document, session: ClientSession) => db.command(command, { session, promoteLongs: false });

  it('1,000 documents read with batchSize 10 all arrive, in order, ten per batch', async () => {
    const out = await rows().find({}).sort({ _id: 1 }).batchSize(10).toArray();
    assert.equal(out.length, 1000);
    assert.deepEqual(out, docs);
    const getMores = succeeded.filter((e) => e.commandName === 'getMore');
    assert.ok(getMores.length >= 99 && getMores.length <= 100, `${getMores.length} getMore round trips`);
    for (const e of getMores) {
      const batch = (e.reply as Document).cursor.nextBatch as unknown[];
      assert.ok(batch.length <= 10, `a batch of ${batch.length}`);
    }
    const find = succeeded.find((e) => e.commandName === 'find')!;
    assert.equal((find.reply as Document).cursor.firstBatch.length, 10);
  });

  it('the find reply carries firstBatch, a non-zero cursor id and the namespace; the last getMore answers id 0', async () => {
    const session = store.client.startSession();
    try {
      const first = await run({ find: 'rows', filter: { _id: { $lt: 5 } }, sort: { _id: 1 }, batchSize: 2 }, session);
      assert.equal(first.ok, 1);
      assert.equal(first.cursor.ns, `${db.databaseName}.rows`);
      assert.deepEqual(first.cursor.firstBatch.map((d: Document) => d._id), [0, 1]);
      const id = first.cursor.id as Long;
      assert.ok(id instanceof Long && !id.isZero(), `cursor id ${id}`);
      const seen: number[] = [];
      let cursorId = id;
      for (let round = 0; round < 5 && !cursorId.isZero(); round++) {
        const more = await run({ getMore: cursorId, collection: 'rows', batchSize: 2 }, session);
        assert.ok(more.cursor.id instanceof Long);
        assert.ok(more.cursor.nextBatch.length <= 2);
        seen.push(...more.cursor.nextBatch.map((d: Document) => d._id));
        cursorId = more.cursor.id;
      }
      assert.deepEqual(seen, [2, 3, 4]);
      assert.ok(cursorId.isZero(), 'the cursor is exhausted');
    } finally {
      await session.endSession();
    }
  });

  it('a find whose results fit in the first batch answers cursor id 0', async () => {
    const session = store.client.startSession();
    try {
      const reply = await run({ find: 'rows', filter: { _id: { $lt: 3 } } }, session);
      assert.equal(reply.cursor.firstBatch.length, 3);
      assert.ok((reply.cursor.id as Long).isZero());
    } finally {
      await session.endSession();
    }
  });

  it('limit with a small batchSize returns exactly the limit', async () => {
    const out = await rows().find({}).sort({ _id: -1 }).limit(25).batchSize(10).toArray();
    assert.deepEqual(out.map((d) => d._id), Array.from({ length: 25 }, (_, i) => 999 - i));
  });

  it('closing a cursor early sends killCursors, which reports that cursor killed', async () => {
    const cursor = rows().find({}).batchSize(5);
    for (let i = 0; i < 3; i++) assert.ok(await cursor.next());
    const id = cursor.id!;
    assert.ok(!id.isZero());
    await cursor.close();
    const kill = succeeded.find((e) => e.commandName === 'killCursors');
    assert.ok(kill, 'a killCursors command was sent');
    const reply = kill.reply as Document;
    assert.equal(reply.ok, 1);
    assert.deepEqual(reply.cursorsKilled.map(String), [id.toString()]);
    assert.deepEqual(reply.cursorsNotFound, []);
  });

  it('a getMore on a killed cursor fails with code 43 CursorNotFound', async () => {
    const session = store.client.startSession();
    try {
      const first = await run({ find: 'rows', batchSize: 2 }, session);
      const id = first.cursor.id as Long;
      assert.ok(!id.isZero());
      const killed = await run({ killCursors: 'rows', cursors: [id] }, session);
      assert.deepEqual(killed.cursorsKilled.map(String), [id.toString()]);
      await rejectsWithServerError(run({ getMore: id, collection: 'rows' }, session), { code: 43, codeName: 'CursorNotFound' });
    } finally {
      await session.endSession();
    }
  });

  it('a getMore on an exhausted cursor fails with code 43 CursorNotFound', async () => {
    const session = store.client.startSession();
    try {
      const first = await run({ find: 'rows', filter: { _id: { $lt: 4 } }, batchSize: 2 }, session);
      const id = first.cursor.id as Long;
      let more = await run({ getMore: id, collection: 'rows' }, session);
      while (!(more.cursor.id as Long).isZero()) more = await run({ getMore: id, collection: 'rows' }, session);
      await rejectsWithServerError(run({ getMore: id, collection: 'rows' }, session), { code: 43 });
    } finally {
      await session.endSession();
    }
  });

  it('killCursors of an unknown id reports it under cursorsNotFound', async () => {
    const session = store.client.startSession();
    try {
      const unknown = Long.fromString('1234567890123');
      const reply = await run({ killCursors: 'rows', cursors: [unknown] }, session);
      assert.equal(reply.ok, 1);
      assert.deepEqual(reply.cursorsKilled, []);
      assert.deepEqual(reply.cursorsNotFound.map(String), [unknown.toString()]);
    } finally {
      await session.endSession();
    }
  });

  it('two cursors open at once are iterated independently', async () => {
    const up = rows().find({ _id: { $lt: 30 } }).sort({ _id: 1 }).batchSize(4);
    const down = rows().find({ _id: { $lt: 30 } }).sort({ _id: -1 }).batchSize(3);
    const ups: number[] = [];
    const downs: number[] = [];
    for (let i = 0; i < 30; i++) {
      ups.push((await up.next())!._id as number);
      downs.push((await down.next())!._id as number);
    }
    assert.equal(await up.next(), null);
    assert.equal(await down.next(), null);
    assert.deepEqual(ups, Array.from({ length: 30 }, (_, i) => i));
    assert.deepEqual(downs, Array.from({ length: 30 }, (_, i) => 29 - i));
  });

  it('async iteration over a cursor yields every document once', async () => {
    let count = 0;
    let sum = 0;
    for await (const doc of rows().find({ _id: { $gte: 900 } }).batchSize(7)) {
      count++;
      sum += doc._id as number;
    }
    assert.equal(count, 100);
    assert.equal(sum, (900 + 999) * 50);
  });
});
