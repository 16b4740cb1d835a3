// The worker side of the outbox: the shared lease queue over the outbox collection, plus what a
// worker needs to know about the earlier notification an update replaces.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { LeaseQueue, type LeaseQueueOptions } from '../queue/leaseQueue';
import type { ActivityJson, NotificationDoc } from './notification';

/** Where an update's target stands: posted (update it), still to come (wait), or never will be. */
export type UpdateTarget =
  | { state: 'sent'; activityId: string }
  /** `dueAt`: when a pending target is next tried (absent while it is being delivered). */
  | { state: 'waiting'; dueAt?: Date }
  | { state: 'gone'; reason: 'dead' | 'cancelled' | 'unknown' | 'no activity id' };

export class OutboxQueue extends LeaseQueue<NotificationDoc> {
  constructor(db: Db, options: LeaseQueueOptions) {
    super(db, collections.outbox, options);
  }

  async updateTarget(key: string): Promise<UpdateTarget> {
    const doc = await this.collection.findOne({ _id: key }, { projection: { status: 1, activityId: 1, nextAt: 1 } });
    if (!doc) return { state: 'gone', reason: 'unknown' };
    if (doc.status === 'done' && typeof doc.activityId === 'string') return { state: 'sent', activityId: doc.activityId };
    if (doc.status === 'done') return { state: 'gone', reason: 'no activity id' };
    if (doc.status === 'dead') return { state: 'gone', reason: 'dead' };
    if (doc.status === 'cancelled') return { state: 'gone', reason: 'cancelled' };
    return doc.status === 'pending' ? { state: 'waiting', dueAt: doc.nextAt as Date } : { state: 'waiting' };
  }
}

export function activityOf(doc: NotificationDoc): ActivityJson {
  return JSON.parse(doc.activity) as ActivityJson;
}
