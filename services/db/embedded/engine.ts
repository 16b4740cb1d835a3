// The catalog (databases → collections → indexes) and open cursors. Catalog changes go to the
// journal like document changes, so a restart rebuilds exactly what was acknowledged.
import { randomBytes } from 'node:crypto';
import { Document, Long } from 'bson';
import { ChangeSink, Collection, ID_INDEX } from './collection';
import { IndexSpec } from './indexes';
import { ErrorCodes, StoreError } from './errors';
import { MAX_BSON_BYTES } from './wire';

export interface CatalogSink extends ChangeSink {
  catalog(entry: Document): void;
}

export interface Cursor {
  readonly id: Long;
  readonly ns: string;
  readonly stream: ResultStream;
  lastUsed: number;
}

const CURSOR_IDLE_MS = 10 * 60 * 1000;

export class Engine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  private readonly cursors = new Map<string, Cursor>();
  /** Set once the journal has been replayed; unset for a memory-only store. */
  sink: CatalogSink | undefined;

  databaseNames(): string[] { return [...this.dbs.keys()]; }

  collections(db: string): Collection[] { return [...(this.dbs.get(db)?.values() ?? [])]; }

  collection(db: string, name: string): Collection | undefined { return this.dbs.get(db)?.get(name); }

  /** The collection, created on first write as MongoDB does. */
  collectionForWrite(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name, {});
  }

  createCollection(db: string, name: string, options: Document): Collection {
    validateNamespace(db, name);
    if (this.collection(db, name)) {
      throw new StoreError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    }
    let colls = this.dbs.get(db);
    if (!colls) { colls = new Map(); this.dbs.set(db, colls); }
    const coll = new Collection(db, name, options, () => this.sink);
    colls.set(name, coll);
    this.sink?.catalog({ op: 'createCollection', db, name, options });
    return coll;
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    this.sink?.catalog({ op: 'dropCollection', db, name });
    return true;
  }

  dropDatabase(db: string): void {
    if (!this.dbs.delete(db)) return;
    this.sink?.catalog({ op: 'dropDatabase', db });
  }

  renameCollection(db: string, from: string, toDb: string, to: string, dropTarget: boolean): void {
    const source = this.collection(db, from);
    if (!source) throw new StoreError(ErrorCodes.NamespaceNotFound, 'source namespace does not exist');
    if (this.collection(toDb, to)) {
      if (!dropTarget) throw new StoreError(ErrorCodes.NamespaceExists, 'target namespace exists');
      this.dropCollection(toDb, to);
    }
    const target = this.createCollection(toDb, to, source.options);
    for (const spec of source.specs().slice(1)) this.createIndex(target, spec);
    for (const doc of source.docs.values()) target.insert(doc);
    this.dropCollection(db, from);
  }

  createIndex(coll: Collection, spec: IndexSpec): void {
    coll.addIndex(spec);
    this.sink?.catalog({ op: 'createIndex', db: coll.db, name: coll.name, spec });
  }

  dropIndex(coll: Collection, name: string): void {
    if (name === ID_INDEX.name) throw new StoreError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    if (!coll.indexes.delete(name)) {
      throw new StoreError(ErrorCodes.IndexNotFound, `index not found with name [${name}]`);
    }
    this.sink?.catalog({ op: 'dropIndex', db: coll.db, name: coll.name, index: name });
  }

  // --- cursors ---------------------------------------------------------------------------

  /** Registers what is left of a result after its first batch; returns the cursor id. */
  openCursor(ns: string, stream: ResultStream): Cursor {
    const id = Long.fromBigInt(randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn);
    const cursor: Cursor = { id, ns, stream, lastUsed: Date.now() };
    this.cursors.set(id.toString(), cursor);
    return cursor;
  }

  cursor(id: Long, ns: string): Cursor {
    const cursor = this.cursors.get(id.toString());
    if (!cursor || cursor.ns !== ns) throw new StoreError(ErrorCodes.CursorNotFound, `cursor id ${id.toString()} not found`);
    cursor.lastUsed = Date.now();
    return cursor;
  }

  closeCursor(id: Long): boolean { return this.cursors.delete(id.toString()); }

  /** Drops cursors nobody has read for ten minutes, as mongod does. */
  reapCursors(now = Date.now()): void {
    for (const [key, cursor] of this.cursors) if (now - cursor.lastUsed > CURSOR_IDLE_MS) this.cursors.delete(key);
  }
}

/** A result read batch by batch: no batch is larger than one reply may carry. */
export class ResultStream {
  private pending: Uint8Array | undefined;

  constructor(private readonly source: () => Uint8Array | undefined) {}

  take(limit: number): { docs: Uint8Array[]; done: boolean } {
    const docs: Uint8Array[] = [];
    let bytes = 0;
    while (docs.length < limit) {
      const doc = this.pending ?? this.source();
      this.pending = undefined;
      if (!doc) break;
      if (docs.length > 0 && bytes + doc.length > MAX_BSON_BYTES) { this.pending = doc; break; }
      docs.push(doc);
      bytes += doc.length;
    }
    // Peek, so an exhausted result closes now rather than on an empty getMore.
    this.pending ??= this.source();
    return { docs, done: this.pending === undefined };
  }
}

export function validateNamespace(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 63) {
    throw new StoreError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
  }
  if (!name || name.includes('\0') || name.startsWith('.') || name.includes('$')) {
    throw new StoreError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${name}`);
  }
}
