// Handshake and admin commands: what the driver and tools ask a server before anything else.
import assert from 'node:assert/strict';
import { MongoClient, CommandStartedEvent, CommandSucceededEvent, CommandFailedEvent } from 'mongodb';
import { openTestStore, TestStore } from '../support/store';
import { col } from '../support/storeAssertions';

describe('store: handshake and admin commands', () => {
  let store: TestStore;
  before(async () => { store = await openTestStore(); });
  after(async () => { await store?.close(); });

  it('a client connects and ping answers ok: 1', async () => {
    const reply = await store.client.db('admin').admin().command({ ping: 1 });
    assert.equal(reply.ok, 1);
  });

  it('buildInfo reports a dotted version string', async () => {
    const reply = await store.client.db('admin').admin().command({ buildInfo: 1 });
    assert.equal(reply.ok, 1);
    assert.equal(typeof reply.version, 'string');
    assert.match(reply.version, /^\d+\.\d+\.\d+/);
  });

  it('hello reports a writable primary with its wire versions, size limits and session timeout', async () => {
    const reply = await store.client.db('admin').admin().command({ hello: 1 });
    assert.equal(reply.ok, 1);
    assert.equal(reply.isWritablePrimary, true);
    assert.equal(typeof reply.maxWireVersion, 'number');
    assert.equal(typeof reply.minWireVersion, 'number');
    assert.ok(reply.minWireVersion <= reply.maxWireVersion);
    // The official driver v7 refuses servers below wire version 9 (MongoDB 4.4).
    assert.ok(reply.maxWireVersion >= 9, `maxWireVersion ${reply.maxWireVersion}`);
    assert.equal(reply.maxBsonObjectSize, 16 * 1024 * 1024);
    assert.equal(reply.maxMessageSizeBytes, 48000000);
    assert.equal(reply.maxWriteBatchSize, 100000);
    assert.ok(reply.localTime instanceof Date);
    assert.equal(typeof reply.logicalSessionTimeoutMinutes, 'number');
  });

  it('the legacy isMaster command answers with ismaster: true', async () => {
    const admin = store.client.db('admin').admin();
    for (const command of [{ isMaster: 1 }, { ismaster: 1 }]) {
      const reply = await admin.command(command);
      assert.equal(reply.ok, 1);
      assert.equal(reply.ismaster, true, `reply to ${JSON.stringify(command)}`);
      assert.equal(typeof reply.maxWireVersion, 'number');
    }
  });

  it('listDatabases shows a database once a document has been written to it', async () => {
    const db = store.freshDb();
    await db.collection('things').insertOne({ a: 1 });
    const reply = await store.client.db('admin').admin().listDatabases();
    const entry = reply.databases.find((d) => d.name === db.databaseName);
    assert.ok(entry, `${db.databaseName} should be listed among ${reply.databases.map((d) => d.name).join(', ')}`);
    assert.equal(typeof entry.sizeOnDisk, 'number');
    assert.equal(entry.empty, false);
    assert.equal(typeof reply.totalSize, 'number');
  });

  it('listDatabases with nameOnly lists names only', async () => {
    const db = store.freshDb();
    await db.collection('things').insertOne({ a: 1 });
    const reply = await store.client.db('admin').admin().listDatabases({ nameOnly: true });
    const entry = reply.databases.find((d) => d.name === db.databaseName);
    assert.ok(entry);
    assert.deepEqual(Object.keys(entry), ['name']);
  });

  it('a database that was never written to is not listed', async () => {
    const db = store.freshDb();
    await db.collection('never').findOne({});
    const reply = await store.client.db('admin').admin().listDatabases();
    assert.equal(reply.databases.some((d) => d.name === db.databaseName), false);
  });

  it('endSessions with an explicit session id answers ok', async () => {
    const session = store.client.startSession();
    try {
      await store.freshDb().collection('s').findOne({}, { session });
      const reply = await store.client.db('admin').admin().command({ endSessions: [session.id] });
      assert.equal(reply.ok, 1);
    } finally {
      await session.endSession();
    }
  });

  it('client.close() ends the pooled sessions with an endSessions command that succeeds', async () => {
    const client = await MongoClient.connect(store.uri, { serverSelectionTimeoutMS: 5000, monitorCommands: true });
    const started: CommandStartedEvent[] = [];
    const succeeded: CommandSucceededEvent[] = [];
    const failed: CommandFailedEvent[] = [];
    client.on('commandStarted', (e) => started.push(e));
    client.on('commandSucceeded', (e) => succeeded.push(e));
    client.on('commandFailed', (e) => failed.push(e));
    await client.db(store.freshDb().databaseName).collection('s').insertOne({ a: 1 });
    await client.close();
    assert.deepEqual(failed.map((e) => `${e.commandName}: ${e.failure.message}`), []);
    assert.equal(started.filter((e) => e.commandName === 'endSessions').length, 1);
    assert.equal(succeeded.filter((e) => e.commandName === 'endSessions').length, 1);
  });

  it('a second client sees the first client\'s acknowledged writes', async () => {
    const db = store.freshDb();
    await col(db, 'shared').insertOne({ _id: 'x', v: 42 });
    const other = await MongoClient.connect(store.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      const doc = await col(other.db(db.databaseName), 'shared').findOne({ _id: 'x' });
      assert.deepEqual(doc, { _id: 'x', v: 42 });
    } finally {
      await other.close();
    }
  });
});
