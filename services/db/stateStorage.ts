// botbuilder's `Storage` (conversation, user and dialog state) on MongoDB, with eTag optimistic
// concurrency so two bot instances never silently overwrite each other's turn. The shapes are
// declared here because services/ never import botbuilder; they match botbuilder-core's
// Storage / StoreItem / StoreItems structurally, so an instance is assignable to `Storage`.
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { collections } from './collections';
import { isDuplicateKey } from './errors';

/** botbuilder-core's StoreItem: any JSON-ish object, with the eTag it was read at. */
export interface StoreItem {
  [key: string]: any;
  eTag?: string;
}

/** botbuilder-core's StoreItems: items by storage key. */
export interface StoreItems {
  [key: string]: any;
}

/** botbuilder-core's Storage contract. */
export interface StateStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/**
 * One document per storage key. The item is kept as a JSON string rather than as a
 * sub-document: state holds arbitrary user-made keys (`$`-prefixed, dotted, `__proto__`) that
 * MongoDB rejects or misreads as operators and paths, and botbuilder state is JSON by contract
 * (its MemoryStorage round-trips through JSON too), so the string is exact and needs no
 * escaping scheme. The cost, not querying inside state, is fine: state is only read by key.
 */
export interface StateDocument {
  _id: string;
  eTag: string;
  item: string;
  updatedAt: Date;
}

/** A write whose eTag no longer matches the stored item (someone else wrote it since). */
export class ETagConflictError extends Error {
  constructor(readonly keys: readonly string[]) {
    super(`Storage: eTag conflict writing ${keys.map((k) => JSON.stringify(k)).join(', ')}: the item changed since it was read.`);
    this.name = 'ETagConflictError';
  }
}

export interface MongoStateStorageOptions {
  collectionName?: string;
}

export class MongoStateStorage implements StateStorage {
  private readonly collection: Collection<StateDocument>;

  constructor(db: Db, options: MongoStateStorageOptions = {}) {
    this.collection = db.collection<StateDocument>(options.collectionName ?? collections.botState);
  }

  /** Only keys that exist appear in the result; each item carries its current eTag. */
  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const result: StoreItems = {};
    if (keys.length === 0) return result;
    const docs = await this.collection.find({ _id: { $in: [...new Set(keys)] } }).toArray();
    for (const doc of docs) {
      // defineProperty, not assignment, so a key such as "__proto__" stays a plain entry.
      Object.defineProperty(result, doc._id, {
        value: { ...JSON.parse(doc.item), eTag: doc.eTag },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }

  /**
   * Keys are independent (one conversation's state does not depend on another's), so every key
   * is attempted, in parallel, even if one conflicts; afterwards a conflict on any key rejects
   * with one ETagConflictError naming all conflicting keys (another failure wins over it).
   */
  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    const outcomes = await Promise.allSettled(keys.map((key) => this.writeOne(key, changes[key])));
    const conflicts: string[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') continue;
      if (!(outcome.reason instanceof ETagConflictError)) throw outcome.reason;
      conflicts.push(keys[i]!);
    }
    if (conflicts.length > 0) throw new ETagConflictError(conflicts);
  }

  /** Deleting a key that does not exist is not an error. */
  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.collection.deleteMany({ _id: { $in: keys } });
  }

  private async writeOne(key: string, item: unknown): Promise<void> {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new TypeError(`Storage: the item for ${JSON.stringify(key)} must be an object.`);
    }
    const { eTag: expected, ...rest } = item as StoreItem;
    // A fresh random eTag per write: unique across instances without a shared counter.
    const fields = { eTag: randomUUID(), item: JSON.stringify(rest), updatedAt: new Date() };

    if (!expected || expected === '*') {
      // Unconditional: last writer wins, as botbuilder's contract says for no eTag or '*'.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.collection.updateOne({ _id: key }, { $set: fields }, { upsert: true });
          return;
        } catch (err) {
          // Two upserts of the same new key can race to insert; the retry finds the document.
          if (!isDuplicateKey(err) || attempt >= 3) throw err;
        }
      }
    }

    // Conditional: only if the stored eTag is still the one the caller read. A missing document
    // matches nothing either, so writing a new key with a stale eTag is a conflict too.
    const { matchedCount } = await this.collection.updateOne({ _id: key, eTag: expected }, { $set: fields });
    if (matchedCount === 0) throw new ETagConflictError([key]);
  }
}
