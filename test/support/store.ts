// Where tests get a MongoDB: the one in MONGODB_URI when set (proving the embedded store and a
// real server behave alike), else a fresh embedded store for this test file.
import { MongoClient, Db } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { startEmbeddedStore, EmbeddedStore } from '../../services/db/embedded';

export interface TestStore {
  uri: string;
  client: MongoClient;
  /** A database of its own, so tests on a shared real server never see each other's data. */
  freshDb(): Db;
  close(): Promise<void>;
}

export async function openTestStore(): Promise<TestStore> {
  let embedded: EmbeddedStore | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedStore();
    uri = embedded.uri;
  }
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  const created: Db[] = [];
  return {
    uri,
    client,
    freshDb() {
      const db = client.db(`t_${randomBytes(6).toString('hex')}`);
      created.push(db);
      return db;
    },
    async close() {
      if (process.env.MONGODB_URI) {
        for (const db of created) await db.dropDatabase().catch(() => undefined);
      }
      await client.close();
      await embedded?.stop();
    },
  };
}

/** Whether the suite runs against a real MongoDB (some embedded-only checks do not apply). */
export const againstRealMongo = Boolean(process.env.MONGODB_URI);

/**
 * Opens a store for the enclosing `describe` (closed after it) with one fresh database;
 * `suite.db` and `suite.store` are ready inside tests and hooks.
 */
export function useStoreSuite(): { readonly db: Db; readonly store: TestStore } {
  let store: TestStore | undefined;
  let db: Db | undefined;
  before(async () => {
    store = await openTestStore();
    db = store.freshDb();
  });
  after(async () => { await store?.close(); });
  return {
    get db() { if (!db) throw new Error('the store suite is not open yet'); return db; },
    get store() { if (!store) throw new Error('the store suite is not open yet'); return store; },
  };
}
