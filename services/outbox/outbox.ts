// The write side of the notification outbox. A service records a notification here first (in
// the same request that changed its own document), and the notifier delivers it later, possibly
// from another instance. Enqueueing is idempotent by key, so a step retried after a crash does
// not post twice.
import { MongoBulkWriteError, type Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { systemClock, type Clock } from '../queue/clock';
import { initialQueueFields, type ItemStatus } from '../queue/leaseQueue';
import { enqueueSchema, type ConversationReferenceJson, type EnqueueRequest, type NotificationDoc, type NotificationKind } from './notification';

export class InvalidNotificationError extends Error {}

/** Documents per insert command in enqueueMany (well under a command's 16 MB with cards inside). */
const ENQUEUE_BATCH = 500;

export interface EnqueueResult {
  key: string;
  /** False when the key was already enqueued: nothing new was stored. */
  created: boolean;
  status: ItemStatus;
}

/** A notification as callers may inspect it (no payload). */
export interface NotificationView {
  key: string;
  kind: NotificationKind;
  status: ItemStatus;
  tenantId: string;
  conversationId: string;
  dueAt: Date;
  attempts: number;
  activityId?: string;
  deliveredAs?: NotificationKind;
  updateOf?: string;
  lastError?: string;
}

export interface OutboxOptions {
  clock?: Clock;
}

type Listener = (key: string, dueAt: Date) => void;

export class Outbox {
  private readonly clock: Clock;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly db: Db, options: OutboxOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  private get collection() {
    return this.db.collection<NotificationDoc>(collections.outbox);
  }

  /** Records a notification; a key seen before is left as it is (first write wins). */
  async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    const doc = this.documentOf(request);
    try {
      await this.collection.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.collection.findOne({ _id: doc._id }, { projection: { status: 1 } });
      return { key: doc._id, created: false, status: existing?.status ?? 'pending' };
    }
    for (const listener of this.listeners) listener(doc._id, doc.dueAt);
    return { key: doc._id, created: true, status: 'pending' };
  }

  /**
   * Records many notifications with one store command (a decision's card updates and messages,
   * or a bulk decision's hundreds), each as enqueue() would: validated first (one bad request
   * records none), a key seen before left as it is. Stored in the order given (an ordered
   * insert, resumed after a key seen before), so a caller that puts a notification last can
   * rely on it existing only if the others do. Results are in the order of `requests`.
   */
  async enqueueMany(requests: EnqueueRequest[]): Promise<EnqueueResult[]> {
    const docs = requests.map((r) => this.documentOf(r));
    // A key given twice here is one notification (the first), as two enqueue() calls would make it.
    const firstOf = new Map<string, NotificationDoc>();
    for (const d of docs) if (!firstOf.has(d._id)) firstOf.set(d._id, d);
    const toInsert = [...firstOf.values()];
    const duplicates = new Set<string>();
    for (let start = 0; start < toInsert.length;) {
      const batch = toInsert.slice(start, start + ENQUEUE_BATCH);
      try {
        await this.collection.insertMany(batch, { ordered: true });
        start += batch.length;
      } catch (err) {
        // Ordered: the documents before the failing one are stored, none after it. A duplicate
        // key is a notification enqueued before: note it and go on with the next.
        const writeError = err instanceof MongoBulkWriteError ? [err.writeErrors].flat()[0] : undefined;
        if (!writeError || writeError.code !== 11000) throw err;
        duplicates.add(batch[writeError.index]._id);
        start += writeError.index + 1;
      }
    }
    const statuses = duplicates.size
      ? new Map((await this.collection.find({ _id: { $in: [...duplicates] } }, { projection: { status: 1 } }).toArray()).map((d) => [d._id, d.status]))
      : new Map<string, ItemStatus>();
    const reported = new Set<string>();
    const results = docs.map((d): EnqueueResult => {
      if (duplicates.has(d._id) || reported.has(d._id)) return { key: d._id, created: false, status: statuses.get(d._id) ?? 'pending' };
      reported.add(d._id);
      return { key: d._id, created: true, status: 'pending' };
    });
    for (const r of results) if (r.created) for (const listener of this.listeners) listener(r.key, firstOf.get(r.key)!.dueAt);
    return results;
  }

  private documentOf(request: EnqueueRequest): NotificationDoc {
    const parsed = enqueueSchema.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidNotificationError(`Invalid notification: ${issue.path.join('.') || 'request'}: ${issue.message}`);
    }
    const input = parsed.data;
    const now = this.clock.now();
    const dueAt = input.dueAt ?? new Date(now);
    return {
      _id: input.key,
      ...initialQueueFields(now, dueAt),
      kind: input.kind,
      tenantId: input.target.tenantId,
      conversationId: input.target.conversationId ?? input.target.reference.conversation.id,
      reference: input.target.reference,
      activity: JSON.stringify(input.activity),
      dueAt,
      ...(input.updateOf ? { updateOf: input.updateOf } : {}),
    };
  }

  /**
   * The notifications among `keys` that exist, with where each went (its conversation
   * reference): what a later update of a posted message needs, in one store command.
   */
  async getMany(keys: string[]): Promise<Map<string, NotificationView & { reference: ConversationReferenceJson }>> {
    if (!keys.length) return new Map();
    const docs = await this.collection.find({ _id: { $in: [...new Set(keys)] } }, { projection: { activity: 0, lease: 0 } }).toArray();
    return new Map(docs.map((doc) => [doc._id, { ...viewOf(doc), reference: doc.reference }]));
  }

  async get(key: string): Promise<NotificationView | null> {
    const doc = await this.collection.findOne({ _id: key }, { projection: { activity: 0, reference: 0, lease: 0 } });
    return doc ? viewOf(doc) : null;
  }

  /** Called after each new notification (the notifier's kick); returns an unsubscribe function. */
  onEnqueued(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function viewOf(doc: NotificationDoc): NotificationView {
  return {
    key: doc._id, kind: doc.kind, status: doc.status, tenantId: doc.tenantId, conversationId: doc.conversationId,
    dueAt: doc.dueAt, attempts: doc.attempts, activityId: doc.activityId, deliveredAs: doc.deliveredAs,
    updateOf: doc.updateOf, lastError: doc.lastError,
  };
}
