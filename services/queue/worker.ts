// The loop that drains a LeaseQueue: a few concurrent lanes each claim an item, handle it, and
// claim the next until nothing is due. It runs on a poll interval, at once on kick() (so work
// enqueued in this process does not wait for the next poll), and renews a lease while its item
// is being handled. stop() stops claiming, lets handlers in flight finish, then hands back any
// lease this instance still holds.
// A pass asks the store little: a lane claims a batch, for itself and every idle slot, in two
// commands (LeaseQueue.claimMany), and opens a lane per extra item; lanes take turns to claim.
// A batch that comes back short means nothing more was due: that ends the pass for every lane
// (no empty claim per lane), unless a kick came after the batch was asked for (then lanes keep
// claiming, so nothing kicked waits).
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
  private pass: Pass | undefined;
  private rerun = false;
  /** Counts kicks (and ticks joining a pass): an empty claim sent before the latest one proves nothing. */
  private kicks = 0;
  private wake: (() => void) | undefined;
  /** The claim in flight, if any: the next lane's claim starts once it has come back. */
  private claiming: Promise<void> = Promise.resolve();

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
    this.joinPass();
    this.wake?.();
  }

  /**
   * One pass: claims and handles until nothing more is claimable right now, and resolves with
   * how many items were claimed. A call during a pass joins it (and makes it look again).
   */
  tick(): Promise<number> {
    if (this.current) {
      this.joinPass();
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

  /** Work may have arrived during a pass: the running pass claims again (or the next one does). */
  private joinPass(): void {
    if (!this.current) return;
    this.kicks += 1;
    const pass = this.pass;
    // Once its last lane has ended the pass cannot take new lanes: go round again instead.
    if (!pass || pass.active === 0) this.rerun = true;
    else this.openLane(pass);
  }

  private runLanes(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      // A pass ends only when every lane has, even if one failed (store outage).
      const pass: Pass = { active: 0, reserved: 0, claimed: 0, emptyAt: -1, failure: undefined, done: () => {
        this.pass = undefined;
        if (pass.failure) reject(pass.failure.reason);
        else resolve(pass.claimed);
      } };
      this.pass = pass;
      this.openLane(pass);
    });
  }

  /**
   * Starts one more lane while the pass may still find work, within the concurrency (slots
   * reserved by a batch claim in flight count as taken). With `first`, the lane starts with an
   * item a batch claim already took for it (its slot was reserved).
   */
  private openLane(pass: Pass, first?: Claim<T>): void {
    if (!first && (this.stopping || pass.active + pass.reserved >= this.concurrency() || !this.mayClaim(pass))) return;
    pass.active += 1;
    this.lane(pass, first)
      .catch((reason: unknown) => { pass.failure ??= { reason }; })
      .finally(() => {
        pass.active -= 1;
        if (pass.active === 0) pass.done();
      });
  }

  private concurrency(): number {
    return Math.max(1, this.options.concurrency);
  }

  /** False once a claim sent after the latest kick found nothing more due. */
  private mayClaim(pass: Pass): boolean {
    return pass.emptyAt < this.kicks;
  }

  private async lane(pass: Pass, first?: Claim<T>): Promise<void> {
    if (first) await this.handleWithLease(first);
    while (!this.stopping && this.mayClaim(pass)) {
      const batch = await this.claimInTurn(pass);
      if (batch === null) break;
      if (!batch.mine) {
        if (batch.drained) break;
        continue; // lost every race for what was due: look again
      }
      await this.handleWithLease(batch.mine);
    }
  }

  /**
   * One batch for this lane and every idle slot (a lane opened for each extra item), claimed once
   * any other lane's claim has come back and opened its lanes: lanes of one instance asking at
   * once would find the same due items and race each other for them (each lost race a wasted
   * update and a read-back; at 16 lanes, 17 store commands per delivered item instead of about
   * 3). Null when the lane should stop claiming for now.
   */
  private claimInTurn(pass: Pass): Promise<{ mine: Claim<T> | undefined; drained: boolean } | null> {
    const turn = this.claiming.then(async () => {
      if (this.stopping || !this.mayClaim(pass)) return null;
      const filter = this.options.claimFilter ? this.options.claimFilter() : {};
      if (filter === null) return null;
      const sentAt = this.kicks;
      const spare = Math.max(0, this.concurrency() - pass.active - pass.reserved);
      pass.reserved += spare;
      try {
        const batch = await this.options.queue.claimMany(filter, spare + 1);
        if (batch.drained) pass.emptyAt = Math.max(pass.emptyAt, sentAt);
        const [mine, ...others] = batch.claims;
        pass.claimed += batch.claims.length;
        for (const claim of others) this.openLane(pass, claim);
        return { mine, drained: batch.drained };
      } finally {
        pass.reserved -= spare;
      }
    });
    this.claiming = turn.then(() => undefined, () => undefined);
    return turn;
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

/** One pass of the lanes: how many run, what they claimed, and the kick count of the last empty claim. */
interface Pass {
  active: number;
  /** Slots held for the items of a batch claim still in flight. */
  reserved: number;
  claimed: number;
  emptyAt: number;
  failure: { reason: unknown } | undefined;
  done(): void;
}
