// The loop that drains a LeaseQueue: a few concurrent lanes each claim an item, handle it, and
// claim the next until nothing is due. It runs on a poll interval, at once on kick() (so work
// enqueued in this process does not wait for the next poll), and renews a lease while its item
// is being handled. stop() stops claiming, lets handlers in flight finish, then hands back any
// lease this instance still holds.
import type { Filter } from 'mongodb';
import type { Logger } from 'pino';
import type { Claim, LeaseQueue, QueueDocument, QueueFields } from './leaseQueue';

export interface QueueWorkerOptions<T extends QueueFields> {
  queue: LeaseQueue<T>;
  /** Handles one claimed item and must move it on (complete, reschedule, dead-letter or release). */
  handle(claim: Claim<T>): Promise<void>;
  /** Asked before each claim: an extra filter, or null to claim nothing more for now. */
  claimFilter?(): Filter<QueueDocument> | null;
  /** Asked after a pass: ms until more work may be claimable (e.g. a rate limit refills). */
  nextWakeMs?(): number | undefined;
  pollMs: number;
  /** Items handled at once by this instance. */
  concurrency: number;
  logger: Logger;
  /** Names the worker in its log lines. */
  name: string;
}

export class QueueWorker<T extends QueueFields> {
  private running = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private current: Promise<number> | undefined;
  private rerun = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: QueueWorkerOptions<T>) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loop = this.runLoop();
  }

  /** New work may be due: run a pass now instead of at the next poll. */
  kick(): void {
    if (!this.running) return;
    if (this.current) this.rerun = true;
    this.wake?.();
  }

  /**
   * One pass: claims and handles until nothing more is claimable right now, and resolves with
   * how many items were claimed. A call during a pass joins it (and makes it go round again).
   */
  tick(): Promise<number> {
    if (this.current) {
      this.rerun = true;
      return this.current;
    }
    const pass = (async () => {
      let total = 0;
      do {
        this.rerun = false;
        total += await this.runLanes();
      } while (this.rerun && !this.stopping);
      return total;
    })();
    this.current = pass.finally(() => { this.current = undefined; });
    return this.current;
  }

  /** Stops claiming, waits for items in flight, then releases this instance's remaining leases. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.current;
    const released = await this.options.queue.releaseAll();
    if (released > 0) this.options.logger.info({ event: `${this.options.name}.released`, released }, 'released leases on shutdown');
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      await this.tick().catch((err: unknown) => {
        this.options.logger.error({ event: `${this.options.name}.pass_failed`, err }, 'queue pass failed');
      });
      if (!this.running) break;
      const hint = this.options.nextWakeMs?.();
      const delay = Math.max(0, Math.min(this.options.pollMs, hint ?? Infinity));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { this.wake = undefined; resolve(); }, delay);
        this.wake = () => { clearTimeout(timer); this.wake = undefined; resolve(); };
      });
    }
  }

  private async runLanes(): Promise<number> {
    // allSettled: a pass ends only when every lane has, even if one failed (store outage).
    const lanes = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.lane());
    const results = await Promise.allSettled(lanes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
  }

  private async lane(): Promise<number> {
    let claimed = 0;
    while (!this.stopping) {
      const filter = this.options.claimFilter ? this.options.claimFilter() : {};
      if (filter === null) break;
      const claim = await this.options.queue.claim(filter);
      if (!claim) break;
      claimed += 1;
      await this.handleWithLease(claim);
    }
    return claimed;
  }

  private async handleWithLease(claim: Claim<T>): Promise<void> {
    const { queue, logger, name } = this.options;
    // Renew well before the lease runs out, so a slow delivery is never taken over mid-flight.
    const heartbeat = setInterval(() => {
      queue.renew(claim).catch((err: unknown) => logger.warn({ event: `${name}.renew_failed`, key: claim.doc._id, err }, 'could not renew a lease'));
    }, Math.max(10, Math.floor(queue.leaseMs / 3)));
    heartbeat.unref();
    try {
      await this.options.handle(claim);
    } catch (err) {
      // A bug or a store outage: leave the lease to run out, so the item comes back later and
      // the try it used counts (an item that always crashes its handler ends dead-lettered).
      logger.error({ event: `${name}.handler_failed`, key: claim.doc._id, err }, 'handler failed; the item returns when its lease expires');
    } finally {
      clearInterval(heartbeat);
    }
  }
}
