// The one way the bot reaches its database: MONGODB_URI when set, else an embedded store in
// process (on a worker thread of its own, see embedded/storeThread.ts), so `npm start` and
// `npm test` work on a machine with no MongoDB server. Either way the caller gets the official
// driver and a database with its indexes and schema in place.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { DEFAULT_DB_NAME } from './collections';
import type { EmbeddedStore } from './embedded';
import { startEmbeddedStoreOnThread } from './embedded/storeThread';
import { ensureIndexes, INDEXES, type IndexSpec } from './indexes';
import { migrate } from './migrate';
import type { Migration } from './migrations';

export const DEFAULT_EMBEDDED_DB_PATH = '.data/db';

export interface ConnectOptions {
  /** Overrides MONGODB_URI; the result's mode is 'external' (we did not start that server). */
  uri?: string;
  /** Overrides the database named in the URI path and the default. */
  dbName?: string;
  /** Embedded store's data folder; else EMBEDDED_DB_PATH, else .data/db (relative to cwd). */
  dbPath?: string;
  /** Embedded store keeps data in memory only (tests). Ignored when a URI is used. */
  memoryOnly?: boolean;
  /** Where the embedded store reports what it noticed (a torn journal tail it cut off). */
  storeLog?: (line: string) => void;
  /** Where MONGODB_URI / EMBEDDED_DB_PATH are read from (default process.env); a test seam. */
  env?: Record<string, string | undefined>;
  clientOptions?: MongoClientOptions;
  /** Test seams: replace the production index and migration lists. */
  indexes?: readonly IndexSpec[];
  migrations?: readonly Migration[];
  /** How often an instance waiting for another's migration step re-reads the version. */
  migrationPollMs?: number;
}

export interface Connection {
  client: MongoClient;
  db: Db;
  mode: 'external' | 'embedded';
  uri: string;
  /** Closes the client, then stops the embedded store if this connection started it. */
  close(): Promise<void>;
}

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const externalUri = options.uri ?? (env.MONGODB_URI || undefined);
  let embedded: EmbeddedStore | undefined;
  let client: MongoClient | undefined;
  try {
    let uri: string;
    if (externalUri) {
      uri = externalUri;
    } else {
      embedded = await startEmbedded(options, env);
      uri = embedded.uri;
    }
    client = await MongoClient.connect(uri, options.clientOptions);
    const db = client.db(options.dbName ?? dbNameFromUri(uri) ?? DEFAULT_DB_NAME);
    await ensureIndexes(db, options.indexes ?? INDEXES);
    await migrate(db, { migrations: options.migrations, pollMs: options.migrationPollMs });

    const openClient = client;
    const openStore = embedded;
    let closing: Promise<void> | undefined;
    return {
      client: openClient,
      db,
      mode: openStore ? 'embedded' : 'external',
      uri,
      close: () => (closing ??= closeAll(openClient, openStore)),
    };
  } catch (err) {
    // A failed start must not leave a listening store or open sockets behind.
    await closeAll(client, embedded).catch(() => undefined);
    throw err;
  }
}

async function startEmbedded(options: ConnectOptions, env: Record<string, string | undefined>): Promise<EmbeddedStore> {
  if (options.memoryOnly) return startEmbeddedStoreOnThread({ log: options.storeLog });
  const dbPath = resolve(options.dbPath ?? (env.EMBEDDED_DB_PATH || DEFAULT_EMBEDDED_DB_PATH));
  await mkdir(dbPath, { recursive: true });
  return startEmbeddedStoreOnThread({ dbPath, log: options.storeLog });
}

async function closeAll(client: MongoClient | undefined, store: EmbeddedStore | undefined): Promise<void> {
  try {
    await client?.close();
  } finally {
    await store?.stop();
  }
}

/**
 * The database named in a connection string's path (mongodb://host/NAME?opts), if any. Parsed
 * by hand because seed lists (host1,host2) are not valid WHATWG URLs; user info and socket
 * paths are percent-encoded, so the first '/' after the scheme's '//' starts the path.
 */
export function dbNameFromUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  return name || undefined;
}
