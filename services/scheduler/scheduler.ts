// Schedules delayed jobs (a reminder after 24 hours, an escalation after 72) in MongoDB, so any
// instance may run them and a restart loses none. Scheduling is idempotent by key; cancelling
// is a guarded single-document update, safe against a worker claiming the job at that moment.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { systemClock, type Clock } from '../queue/clock';
import { DEFAULT_RETENTION_MS, initialQueueFields, type ItemStatus } from '../queue/leaseQueue';
import type { JobData, JobDoc } from './job';

export interface ScheduleResult {
  key: string;
  /** False when a job with this key exists (in any state): nothing was changed. */
  created: boolean;
  status: ItemStatus;
}

/**
 * 'cancelled': it will not run. 'running': a worker is running it now; that run ends as it
 * will, but no retry follows. 'absent': no such job, or it already finished.
 */
export type CancelResult = 'cancelled' | 'running' | 'absent';

export interface JobView {
  key: string;
  name: string;
  status: ItemStatus;
  runAt: Date;
  attempts: number;
  data: JobData;
  lastError?: string;
}

export interface SchedulerOptions {
  clock?: Clock;
  retentionMs?: number;
}

export class Scheduler {
  private readonly clock: Clock;
  private readonly retentionMs: number;
  private readonly listeners = new Set<(key: string, runAt: Date) => void>();

  constructor(private readonly db: Db, options: SchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  private get collection() {
    return this.db.collection<JobDoc>(collections.scheduledJobs);
  }

  /** Runs handler `name` with `data` at `runAt` or soon after; a key already used is left alone. */
  async schedule(key: string, name: string, runAt: Date, data: JobData = {}): Promise<ScheduleResult> {
    if (!key.trim()) throw new Error('A job needs a non-empty key');
    if (!name.trim()) throw new Error('A job needs a handler name');
    if (Number.isNaN(runAt.getTime())) throw new Error('A job needs a valid run time');
    const doc: JobDoc = { _id: key, ...initialQueueFields(this.clock.now(), runAt), name, runAt, data };
    try {
      await this.collection.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.collection.findOne({ _id: key }, { projection: { status: 1 } });
      return { key, created: false, status: existing?.status ?? 'pending' };
    }
    for (const listener of this.listeners) listener(key, runAt);
    return { key, created: true, status: 'pending' };
  }

  async cancel(key: string): Promise<CancelResult> {
    // A job can move between pending and leased while we look; a few rounds settle it.
    for (let round = 0; round < 5; round += 1) {
      const now = this.clock.now();
      const pending = await this.collection.updateOne(
        { _id: key, status: 'pending' },
        { $set: { status: 'cancelled', updatedAt: new Date(now), finishedAt: new Date(now), expiresAt: new Date(now + this.retentionMs) } },
      );
      if (pending.matchedCount === 1) return 'cancelled';
      const running = await this.collection.updateOne({ _id: key, status: 'leased' }, { $set: { cancelRequested: true } });
      if (running.matchedCount === 1) return 'running';
      const doc = await this.collection.findOne({ _id: key }, { projection: { status: 1 } });
      if (!doc || doc.status === 'done' || doc.status === 'dead' || doc.status === 'cancelled') return 'absent';
    }
    throw new Error(`Could not cancel job ${key}: it kept changing state`);
  }

  async get(key: string): Promise<JobView | null> {
    const doc = await this.collection.findOne({ _id: key });
    if (!doc) return null;
    return { key: doc._id, name: doc.name, status: doc.status, runAt: doc.runAt, attempts: doc.attempts, data: doc.data, lastError: doc.lastError };
  }

  /** Called after each new job (a worker's kick); returns an unsubscribe function. */
  onScheduled(listener: (key: string, runAt: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
