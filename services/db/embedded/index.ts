// The embedded, MongoDB-wire-compatible store: what `npm start` and `npm test` use when no
// MONGODB_URI is set, so the product runs on a machine without a MongoDB server.
export interface EmbeddedStoreOptions {
  /** Folder for the journal; without it the store keeps data in memory only. */
  dbPath?: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** How often documents past a TTL index's expiry are deleted (ms, default 60000). */
  ttlSweepIntervalMs?: number;
}

export interface EmbeddedStore {
  /** mongodb://127.0.0.1:PORT/ — give it to the official driver. */
  readonly uri: string;
  readonly port: number;
  /** Closes every connection, flushes the journal and stops listening. */
  stop(): Promise<void>;
}

export async function startEmbeddedStore(_options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  throw new Error('not yet');
}
