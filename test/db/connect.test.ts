// connect(): picks the database (MONGODB_URI or an embedded store), and leaves it with its
// indexes and schema version in place, once, even when several instances start together.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { connect, dbNameFromUri, type Connection, type ConnectOptions } from '../../services/db/connect';
import { collections, DEFAULT_DB_NAME } from '../../services/db/collections';
import { INDEXES } from '../../services/db/indexes';
import { SCHEMA_VERSION_ID, type SchemaVersionDoc } from '../../services/db/migrate';
import { LATEST_SCHEMA_VERSION, type Migration } from '../../services/db/migrations';
import { openTestStore, type TestStore } from '../support/store';

describe('connect', () => {
  let store: TestStore;
  const opened: Connection[] = [];
  before(async () => {
    store = await openTestStore();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await store?.close();
  });

  async function open(options: ConnectOptions): Promise<Connection> {
    const connection = await connect({ clientOptions: { serverSelectionTimeoutMS: 5000 }, ...options });
    opened.push(connection);
    return connection;
  }

  /** Options that reach the test store on a database of the test's own. */
  const onTestStore = (extra: ConnectOptions = {}): ConnectOptions => ({
    uri: store.uri,
    dbName: store.freshDb().databaseName,
    ...extra,
  });

  /** A scratch collection with string ids, to prove the database works. */
  const probe = (c: Connection) => c.db.collection<{ _id: string; v: number }>('probe');

  const schemaVersion = (c: Connection) =>
    c.db.collection<SchemaVersionDoc>(collections.meta).findOne({ _id: SCHEMA_VERSION_ID });

  /** Migrations that count how often each step runs. */
  function counting(versions: number[]) {
    const runs: number[] = [];
    const migrations: Migration[] = versions.map((version) => ({
      version,
      description: `test step ${version}`,
      up: async () => {
        runs.push(version);
      },
    }));
    return { runs, migrations };
  }

  it('without MONGODB_URI starts an embedded store and returns a working database', async () => {
    const c = await open({ memoryOnly: true, env: {} });
    assert.equal(c.mode, 'embedded');
    assert.match(c.uri, /^mongodb:\/\//);
    assert.equal(c.db.databaseName, DEFAULT_DB_NAME);
    await probe(c).insertOne({ _id: 'x', v: 1 });
    assert.equal((await probe(c).findOne({ _id: 'x' }))?.v, 1);
  });

  it('leaves the indexes and the schema-version document in place', async () => {
    const c = await open(onTestStore());
    const doc = await schemaVersion(c);
    assert.equal(doc?.version, LATEST_SCHEMA_VERSION);
    assert.equal(doc?.migrating, undefined);
    for (const spec of INDEXES) {
      const indexes = await c.db.collection(spec.collection).listIndexes().toArray();
      assert.ok(
        indexes.some((ix) => JSON.stringify(ix.key) === JSON.stringify(spec.key)),
        `index ${JSON.stringify(spec.key)} on ${spec.collection}: ${JSON.stringify(indexes)}`,
      );
    }
  });

  it('uses MONGODB_URI when set, as an external database', async () => {
    const dbName = store.freshDb().databaseName;
    const c = await open({ env: { MONGODB_URI: store.uri }, dbName });
    assert.equal(c.mode, 'external');
    assert.equal(c.uri, store.uri);
    assert.equal(c.db.databaseName, dbName);
    assert.equal((await schemaVersion(c))?.version, LATEST_SCHEMA_VERSION);
  });

  it('reads the database name from the URI path', () => {
    assert.equal(dbNameFromUri('mongodb://127.0.0.1:27017/mybot'), 'mybot');
    assert.equal(dbNameFromUri('mongodb://u:p%2F@h1:1,h2:2/my_db?replicaSet=rs0'), 'my_db');
    assert.equal(dbNameFromUri('mongodb+srv://cluster0.example.net/prod?retryWrites=true'), 'prod');
    assert.equal(dbNameFromUri('mongodb://127.0.0.1:27017/'), undefined);
    assert.equal(dbNameFromUri('mongodb://127.0.0.1:27017'), undefined);
    assert.equal(dbNameFromUri('mongodb://h/?w=majority'), undefined);
  });

  it('is idempotent: a second start changes nothing', async () => {
    const options = onTestStore();
    const first = await open(options);
    const before = await first.db.collection(collections.meta).listIndexes().toArray();
    await (await open(options)).close();
    assert.deepEqual(await first.db.collection(collections.meta).listIndexes().toArray(), before);
    assert.equal((await schemaVersion(first))?.version, LATEST_SCHEMA_VERSION);
  });

  it('runs a migration once when two instances start together on the same store', async () => {
    // The brief's scenario: the first connect starts the store; two more reuse it by uri.
    const starter = await open({ memoryOnly: true, env: {}, migrations: [] });
    const { runs, migrations } = counting([1]);
    const [a, b] = await Promise.all([
      open({ uri: starter.uri, migrations, migrationPollMs: 10 }),
      open({ uri: starter.uri, migrations, migrationPollMs: 10 }),
    ]);
    assert.deepEqual(runs, [1]);
    assert.equal((await schemaVersion(a))?.version, 1);
    assert.equal((await schemaVersion(b))?.version, 1);
  });

  it('runs each step once and in order when several instances start together', async () => {
    const options = onTestStore();
    const { runs, migrations } = counting([1, 2, 3]);
    await Promise.all(Array.from({ length: 4 }, () => open({ ...options, migrations, migrationPollMs: 10 })));
    assert.deepEqual(runs, [1, 2, 3]);
    const c = await open({ ...options, migrations });
    assert.equal((await schemaVersion(c))?.version, 3);
    assert.deepEqual(runs, [1, 2, 3]);
  });

  it('resumes from the stored version', async () => {
    const options = onTestStore();
    await open({ ...options, migrations: counting([1]).migrations });
    const { runs, migrations } = counting([1, 2]);
    const c = await open({ ...options, migrations });
    assert.deepEqual(runs, [2]);
    assert.equal((await schemaVersion(c))?.version, 2);
  });

  it('a failing step keeps the version and does not block the next start', async () => {
    const options = onTestStore();
    const failing: Migration = { version: 1, description: 'fails', up: () => Promise.reject(new Error('boom')) };
    await assert.rejects(connect({ ...options, migrations: [failing] }), /boom/);

    const { runs, migrations } = counting([1]);
    const c = await open({ ...options, migrations });
    assert.deepEqual(runs, [1]);
    assert.equal((await schemaVersion(c))?.version, 1);
  });

  it('refuses a database migrated by newer code', async () => {
    const options = onTestStore();
    await open({ ...options, migrations: counting([1, 2]).migrations });
    await assert.rejects(connect({ ...options, migrations: counting([1]).migrations }), /newer than this code/);
  });

  it('refuses migrations out of order', async () => {
    await assert.rejects(connect(onTestStore({ migrations: counting([2, 1]).migrations })), /strictly increasing/);
  });

  it('keeps embedded data under EMBEDDED_DB_PATH across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mpn-db-'));
    try {
      const first = await connect({ env: { EMBEDDED_DB_PATH: dir } });
      await probe(first).insertOne({ _id: 'kept', v: 42 });
      await first.close();

      const second = await connect({ env: { EMBEDDED_DB_PATH: dir } });
      try {
        assert.equal(second.mode, 'embedded');
        assert.equal((await probe(second).findOne({ _id: 'kept' }))?.v, 42);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('close stops the embedded store it started', async () => {
    const c = await connect({ memoryOnly: true, env: {} });
    await c.close();
    await c.close(); // closing twice is harmless
    await assert.rejects(MongoClient.connect(c.uri, { serverSelectionTimeoutMS: 300 }));
  });
});
