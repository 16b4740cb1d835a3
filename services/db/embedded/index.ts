// The embedded, MongoDB-wire-compatible store: what `npm start` and `npm test` use when no
// MONGODB_URI is set, so the product runs on a machine without a MongoDB server.
import { Engine } from './engine';
import { Journal } from './journal';
import { StoreServer } from './server';
import { sweepExpired } from './ttl';

export interface EmbeddedStoreOptions {
  /** Folder for the journal; without it the store keeps data in memory only. */
  dbPath?: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** How often documents past a TTL index's expiry are deleted (ms, default 60000). */
  ttlSweepIntervalMs?: number;
  /** Where the store reports what it noticed (an ignored torn journal tail). */
  log?: (line: string) => void;
}

export interface EmbeddedStore {
  /** mongodb://127.0.0.1:PORT/ — give it to the official driver. */
  readonly uri: string;
  readonly port: number;
  /** Closes every connection, flushes the journal and stops listening. */
  stop(): Promise<void>;
}

export async function startEmbeddedStore(options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const engine = new Engine();
  const journal = options.dbPath ? await Journal.open(options.dbPath, engine, options.log) : undefined;
  const server = new StoreServer(engine, journal);
  let port: number;
  try {
    port = await server.listen(options.port ?? 0, '127.0.0.1');
  } catch (e) {
    await journal?.close();
    throw e;
  }
  const timer = setInterval(() => {
    sweepExpired(engine);
    engine.reapCursors();
  }, options.ttlSweepIntervalMs ?? 60_000);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await server.close();
        await journal?.close();
      })();
      return stopping;
    },
  };
}
