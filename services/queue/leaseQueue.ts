// A work queue on one MongoDB collection, shared by every instance of the bot. Workers take an
// item with a lease (findOneAndUpdate guarded on status and due time), so two instances never
// hold the same item at once; a crashed worker's lease simply runs out and the item becomes
// claimable again. Every transition is one single-document update guarded by the expected prior
// state and by the claim's own lease token, so a worker whose lease was taken over cannot finish
// an item it no longer owns. No transactions: this runs on a standalone server and Cosmos DB.
import { randomUUID } from 'node:crypto';
import type { Collection, Db, Document, Filter } from 'mongodb';
import { systemClock, type Clock } from './clock';

export type ItemStatus = 'pending' | 'leased' | 'done' | 'dead' | 'cancelled';

export interface Lease {
  owner: string;
  /** New on every claim: the guard that makes a stale worker's writes miss. */
  token: string;
  since: Date;
}

/** Fields every queued document carries; a queue's own documents add their payload. */
export interface QueueFields {
  _id: string;
  status: ItemStatus;
  /**
   * When the item may next be claimed: its due (or retry) time while pending, its lease expiry
   * while leased. One field for both lets one index serve the claim query.
   */
  nextAt: Date;
  /** Claims so far, counted when claimed so a worker crashing on an item still uses a try up. */
  attempts: number;
  lease?: Lease;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
  /** Set on reaching a final state; the collection's TTL index deletes the document then. */
  expiresAt?: Date;
}

export interface Claim<T extends QueueFields> {
  /** The document as it is after the claim (status 'leased', attempts counted). */
  doc: T;
  token: string;
}

export interface LeaseQueueOptions {
  /** How long a claim is exclusive before another worker may take the item over. */
  leaseMs: number;
  /** Identifies this worker instance in its leases (released on shutdown). */
  owner?: string;
  /** How long finished items are kept before the TTL index removes them. */
  retentionMs?: number;
  clock?: Clock;
}

export const DEFAULT_RETENTION_MS = 30 * 24 * 3600_000;

export function newOwnerId(prefix = 'worker'): string {
  return `${prefix}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** The queue fields of a new item due at `dueAt`. */
export function initialQueueFields(now: number, dueAt: Date): Omit<QueueFields, '_id'> {
  return { status: 'pending', nextAt: dueAt, attempts: 0, createdAt: new Date(now), updatedAt: new Date(now) };
}

/** The collection as the queue sees it: string keys, any payload. */
export type QueueDocument = Document & { _id: string };

export class LeaseQueue<T extends QueueFields> {
  readonly collection: Collection<QueueDocument>;
  readonly owner: string;
  readonly leaseMs: number;
  readonly clock: Clock;
  private readonly retentionMs: number;

  constructor(db: Db, collectionName: string, options: LeaseQueueOptions) {
    this.collection = db.collection<QueueDocument>(collectionName);
    this.owner = options.owner ?? newOwnerId();
    this.leaseMs = options.leaseMs;
    this.clock = options.clock ?? systemClock;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  /**
   * Takes the earliest due item (or one whose lease ran out) matching `extra`, or null.
   * Atomic: of several workers racing for one item, exactly one gets it.
   */
  async claim(extra: Filter<QueueDocument> = {}): Promise<Claim<T> | null> {
    const now = this.clock.now();
    const token = randomUUID();
    const doc = await this.collection.findOneAndUpdate(
      { ...extra, status: { $in: ['pending', 'leased'] }, nextAt: { $lte: new Date(now) } },
      {
        $set: { status: 'leased', nextAt: new Date(now + this.leaseMs), lease: { owner: this.owner, token, since: new Date(now) }, updatedAt: new Date(now) },
        $inc: { attempts: 1 },
      },
      { sort: { nextAt: 1 }, returnDocument: 'after' },
    );
    return doc ? { doc: doc as unknown as T, token } : null;
  }

  /**
   * Takes up to `limit` due items in two commands (one find, one bulkWrite of guarded updates)
   * instead of one command each. `drained` says the find saw fewer than `limit`: nothing more
   * was due, so the caller needs no empty claim to learn it. Each update is guarded on the state
   * the find saw (status, due time, tries, last change), so of racing workers exactly one gets
   * an item; when some updates missed, the won ones are read back by their tokens.
   */
  async claimMany(extra: Filter<QueueDocument>, limit: number): Promise<{ claims: Claim<T>[]; drained: boolean }> {
    const now = this.clock.now();
    const due: Filter<QueueDocument> = { ...extra, status: { $in: ['pending', 'leased'] }, nextAt: { $lte: new Date(now) } };
    const found = await this.collection.find(due, { sort: { nextAt: 1 }, limit }).toArray();
    const drained = found.length < limit;
    if (found.length === 0) return { claims: [], drained };
    const planned = found.map((doc) => {
      const token = randomUUID();
      const set = { status: 'leased', nextAt: new Date(now + this.leaseMs), lease: { owner: this.owner, token, since: new Date(now) }, updatedAt: new Date(now) };
      const guard = { ...due, _id: doc._id, status: doc.status, attempts: doc.attempts, updatedAt: doc.updatedAt };
      return { token, claimed: { ...doc, ...set, attempts: (doc.attempts as number) + 1 }, op: { updateOne: { filter: guard, update: { $set: set, $inc: { attempts: 1 } } } } };
    });
    const result = await this.collection.bulkWrite(planned.map((p) => p.op), { ordered: false });
    if (result.modifiedCount === planned.length) {
      return { claims: planned.map((p) => ({ doc: p.claimed as unknown as T, token: p.token })), drained };
    }
    // Another worker won some: keep what this one holds, as stored.
    const won = await this.collection.find({ _id: { $in: found.map((d) => d._id) }, 'lease.token': { $in: planned.map((p) => p.token) } }).toArray();
    return { claims: won.map((doc) => ({ doc: doc as unknown as T, token: (doc.lease as Lease).token })), drained };
  }

  /** Extends a held lease (a slow item must not be taken over while still being worked on). */
  async renew(claim: Claim<T>): Promise<boolean> {
    const now = this.clock.now();
    return this.transition(claim, { $set: { nextAt: new Date(now + this.leaseMs), updatedAt: new Date(now) } });
  }

  /** Finished: final state 'done', with any result fields to store. */
  async complete(claim: Claim<T>, result: Document = {}): Promise<boolean> {
    return this.finish(claim, 'done', result);
  }

  /** Given up: final state 'dead' with the reason, kept for inspection until retention ends. */
  async deadLetter(claim: Claim<T>, error: string, result: Document = {}): Promise<boolean> {
    return this.finish(claim, 'dead', { ...result, lastError: error });
  }

  /** Cancelled while held (e.g. a job cancelled during its run that then failed). */
  async cancelHeld(claim: Claim<T>, reason?: string): Promise<boolean> {
    return this.finish(claim, 'cancelled', reason ? { lastError: reason } : {});
  }

  /**
   * Back to pending, claimable again at `at`. `refund` gives the claim's try back: for waits
   * that are not failures (throttled, rate-limited, waiting for another item).
   */
  async reschedule(claim: Claim<T>, at: number, options: { error?: string; refund?: boolean; guard?: Document } = {}): Promise<boolean> {
    const now = this.clock.now();
    const set: Document = { status: 'pending', nextAt: new Date(at), updatedAt: new Date(now) };
    if (options.error !== undefined) set.lastError = options.error;
    const update: Document = { $set: set, $unset: { lease: '' } };
    if (options.refund) update.$inc = { attempts: -1 };
    return this.transition(claim, update, options.guard);
  }

  /** Gives a claim back untouched (not a try), claimable again at once or at `at`. */
  async release(claim: Claim<T>, at = this.clock.now()): Promise<boolean> {
    return this.reschedule(claim, at, { refund: true });
  }

  /** Shutdown: hands every lease this worker still holds back to the pool, not counted as tries. */
  async releaseAll(): Promise<number> {
    const now = new Date(this.clock.now());
    const result = await this.collection.updateMany(
      { status: 'leased', 'lease.owner': this.owner },
      { $set: { status: 'pending', nextAt: now, updatedAt: now }, $unset: { lease: '' }, $inc: { attempts: -1 } },
    );
    return result.modifiedCount;
  }

  private async finish(claim: Claim<T>, status: 'done' | 'dead' | 'cancelled', fields: Document): Promise<boolean> {
    const now = this.clock.now();
    return this.transition(claim, {
      $set: { ...fields, status, updatedAt: new Date(now), finishedAt: new Date(now), expiresAt: new Date(now + this.retentionMs) },
      $unset: { lease: '' },
    });
  }

  /** One guarded update: only while this very claim still holds the item (and `guard` holds). */
  private async transition(claim: Claim<T>, update: Document, guard: Document = {}): Promise<boolean> {
    const result = await this.collection.updateOne({ ...guard, _id: claim.doc._id, status: 'leased', 'lease.token': claim.token }, update);
    return result.matchedCount === 1;
  }
}
