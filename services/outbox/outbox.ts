// The write side of the notification outbox. A service records a notification here first (in
// the same request that changed its own document), and the notifier delivers it later, possibly
// from another instance. Enqueueing is idempotent by key, so a step retried after a crash does
// not post twice.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { systemClock, type Clock } from '../queue/clock';
import { initialQueueFields, type ItemStatus } from '../queue/leaseQueue';
import { enqueueSchema, type EnqueueRequest, type NotificationDoc, type NotificationKind } from './notification';

export class InvalidNotificationError extends Error {}

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
    const parsed = enqueueSchema.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidNotificationError(`Invalid notification: ${issue.path.join('.') || 'request'}: ${issue.message}`);
    }
    const input = parsed.data;
    const now = this.clock.now();
    const dueAt = input.dueAt ?? new Date(now);
    const doc: NotificationDoc = {
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
    try {
      await this.collection.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.collection.findOne({ _id: input.key }, { projection: { status: 1 } });
      return { key: input.key, created: false, status: existing?.status ?? 'pending' };
    }
    for (const listener of this.listeners) listener(input.key, dueAt);
    return { key: input.key, created: true, status: 'pending' };
  }

  async get(key: string): Promise<NotificationView | null> {
    const doc = await this.collection.findOne({ _id: key }, { projection: { activity: 0, reference: 0, lease: 0 } });
    if (!doc) return null;
    return {
      key: doc._id, kind: doc.kind, status: doc.status, tenantId: doc.tenantId, conversationId: doc.conversationId,
      dueAt: doc.dueAt, attempts: doc.attempts, activityId: doc.activityId, deliveredAs: doc.deliveredAs,
      updateOf: doc.updateOf, lastError: doc.lastError,
    };
  }

  /** Called after each new notification (the notifier's kick); returns an unsubscribe function. */
  onEnqueued(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
