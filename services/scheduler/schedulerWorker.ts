// Runs due jobs: claims one with a lease (so one instance runs it), calls its handler by name,
// marks it done, or retries it with exponential backoff until it dead-letters.
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { collections } from '../db/collections';
import { backoffDelay } from '../queue/backoff';
import { systemClock, type Clock } from '../queue/clock';
import { errorText } from '../queue/errorText';
import { LeaseQueue, type Claim } from '../queue/leaseQueue';
import { QueueWorker } from '../queue/worker';
import type { JobDoc, JobHandler } from './job';

export interface SchedulerWorkerOptions {
  /** How often due jobs are looked for (a job runs at most this late, plus claim time). */
  pollMs: number;
  /** Jobs run at once by this instance. */
  concurrency: number;
  /** Exclusive hold on a running job; renewed while it runs, so only a crash lets it lapse. */
  leaseMs: number;
  /** Runs before a failing job is dead-lettered. */
  maxAttempts: number;
  /** Retry delay after the first failure (doubling, with jitter, up to backoffMaxMs). */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerWorkerOptions = {
  pollMs: 5_000,
  concurrency: 2,
  leaseMs: 60_000,
  maxAttempts: 5,
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
};

export interface SchedulerWorkerDeps {
  db: Db;
  handlers: Readonly<Record<string, JobHandler>>;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
  /** Names this instance in its leases (default: pid and a random suffix). */
  owner?: string;
}

export class SchedulerWorker {
  private readonly options: SchedulerWorkerOptions;
  private readonly queue: LeaseQueue<JobDoc>;
  private readonly worker: QueueWorker<JobDoc>;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly deps: SchedulerWorkerDeps, options: Partial<SchedulerWorkerOptions> = {}) {
    this.options = { ...DEFAULT_SCHEDULER_OPTIONS, ...options };
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.queue = new LeaseQueue<JobDoc>(deps.db, collections.scheduledJobs, { leaseMs: this.options.leaseMs, owner: deps.owner, clock: this.clock });
    this.worker = new QueueWorker<JobDoc>({
      queue: this.queue,
      handle: (claim) => this.run(claim),
      pollMs: this.options.pollMs,
      concurrency: this.options.concurrency,
      logger: deps.logger,
      name: 'scheduler',
    });
  }

  start(): void { this.worker.start(); }
  stop(): Promise<void> { return this.worker.stop(); }
  kick(): void { this.worker.kick(); }
  /** One pass over due jobs (tests, or a caller driving the loop itself). */
  tick(): Promise<number> { return this.worker.tick(); }

  private async run(claim: Claim<JobDoc>): Promise<void> {
    const { doc } = claim;
    const { logger } = this.deps;
    const base = { key: doc._id, job: doc.name, attempt: doc.attempts };
    if (doc.attempts > this.options.maxAttempts) {
      // The previous (last allowed) run never reported back: its worker died mid-run.
      await this.queue.deadLetter(claim, 'lease expired on the last attempt');
      logger.error({ ...base, event: 'job.dead', reason: 'lease expired' }, 'job dead-lettered');
      return;
    }
    const handler = Object.hasOwn(this.deps.handlers, doc.name) ? this.deps.handlers[doc.name] : undefined;
    if (!handler) {
      await this.queue.deadLetter(claim, `no handler named ${doc.name}`);
      logger.error({ ...base, event: 'job.dead', reason: 'no handler' }, 'job dead-lettered');
      return;
    }
    try {
      await handler({ key: doc._id, name: doc.name, data: doc.data, runAt: doc.runAt, attempt: doc.attempts });
    } catch (err) {
      await this.failed(claim, err);
      return;
    }
    if (!(await this.queue.complete(claim))) {
      logger.warn({ ...base, event: 'job.lease_lost' }, 'job ran but its lease had been taken over');
    }
  }

  private async failed(claim: Claim<JobDoc>, err: unknown): Promise<void> {
    const { doc } = claim;
    const { logger } = this.deps;
    const error = errorText(err);
    const base = { key: doc._id, job: doc.name, attempt: doc.attempts, error };
    if (doc.attempts >= this.options.maxAttempts) {
      await this.queue.deadLetter(claim, error);
      logger.error({ ...base, event: 'job.dead', reason: 'attempts exhausted' }, 'job dead-lettered');
      return;
    }
    const delayMs = backoffDelay(doc.attempts, { baseMs: this.options.backoffBaseMs, maxMs: this.options.backoffMaxMs }, this.random);
    // Not retried if it was cancelled while running (the guard makes that check atomic).
    const retried = await this.queue.reschedule(claim, this.clock.now() + delayMs, { error, guard: { cancelRequested: { $ne: true } } });
    if (retried) {
      logger.warn({ ...base, event: 'job.retry', delayMs }, 'job failed; retrying');
    } else if (await this.queue.cancelHeld(claim, error)) {
      logger.info({ ...base, event: 'job.cancelled' }, 'job failed after it was cancelled; not retried');
    }
  }
}
