// The notifier: claims due notifications from the outbox and delivers them through a Delivery
// (the CloudAdapter in production), within Teams' rate limits. Each claim is a lease on one
// document, so several instances share the outbox and a notification is never posted by two
// at once. Outcomes, each one guarded update and (when not routine) one log line:
// - posted: done, with the posted activity id (what a later 'update' replaces);
// - 429: retried after Retry-After (or backoff), and the conversation is paused that long;
// - 5xx / network / unknown: retried with exponential backoff and jitter, dead after maxAttempts;
// - 403 / 404 / other permanent 4xx: dead at once (bot blocked or removed, conversation gone);
// - an 'update' whose target is not sent yet waits for it (not a try); if the target was
//   dead-lettered or is unknown, the update is posted as a new message (deliveredAs: 'send').
// Log lines carry keys, ids, statuses and counts: never the activity, tokens or addresses.
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { activityOf, OutboxQueue } from '../services/outbox/outboxQueue';
import type { Outbox } from '../services/outbox/outbox';
import type { NotificationDoc } from '../services/outbox/notification';
import { backoffDelay } from '../services/queue/backoff';
import { systemClock, type Clock } from '../services/queue/clock';
import { errorText } from '../services/queue/errorText';
import { newOwnerId, type Claim } from '../services/queue/leaseQueue';
import { QueueWorker } from '../services/queue/worker';
import type { Delivery } from './delivery';
import { classifyDeliveryError } from './deliveryErrors';
import { RateLimiter } from './rateLimiter';

export interface NotifierOptions {
  /** How often the outbox is polled for due notifications, ms. */
  pollMs: number;
  /** Deliveries in flight at once in this instance. */
  concurrency: number;
  /** Exclusive hold on a claimed notification, ms; renewed while its delivery runs. */
  leaseMs: number;
  /** Tries before a notification is dead-lettered (429s count too). */
  maxAttempts: number;
  /** Retry delay after the first failure, ms; doubles per try, with jitter, up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * Per-conversation bucket. Teams allows one bot per conversation about 7 operations per
   * second, 8 per 2 s, 60 per 30 s and 1800 per hour: 0.5/s with a burst of 6 stays under
   * each of those windows (the hourly one within the burst).
   */
  perConversationPerSecond: number;
  perConversationBurst: number;
  /**
   * Instance-wide bucket. Teams allows 50 requests per second per app per tenant, shared with
   * replies to users' turns and with other instances: keep this well under 50 divided by the
   * number of instances.
   */
  globalPerSecond: number;
  globalBurst: number;
  /** Shortest wait before an update whose target is not sent yet looks again, ms. */
  updateWaitMs: number;
}

export const DEFAULT_NOTIFIER_OPTIONS: NotifierOptions = {
  pollMs: 1_000,
  concurrency: 4,
  leaseMs: 60_000,
  maxAttempts: 8,
  backoffBaseMs: 5_000,
  backoffMaxMs: 15 * 60_000,
  perConversationPerSecond: 0.5,
  perConversationBurst: 6,
  globalPerSecond: 30,
  globalBurst: 30,
  updateWaitMs: 2_000,
};

/** How many posted notifications' activity ids an instance keeps for later updates. */
const POSTED_REMEMBERED = 20_000;

export interface NotifierDeps {
  db: Db;
  delivery: Delivery;
  logger: Logger;
  /** When given, every new notification kicks the notifier (no wait for the next poll). */
  outbox?: Outbox;
  clock?: Clock;
  random?: () => number;
  /** Names this instance in its leases (default: pid and a random suffix). */
  owner?: string;
}

export class Notifier {
  readonly options: NotifierOptions;
  private readonly queue: OutboxQueue;
  private readonly worker: QueueWorker<NotificationDoc>;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;
  private readonly random: () => number;
  private unsubscribe: (() => void) | undefined;
  /**
   * Activity ids of notifications this instance posted (key → id), most recent last. 'done' is
   * final, so an update whose target is here needs no store read to find what to replace (an
   * approve click's two card updates each saved one). Bounded; a miss reads the store as before.
   */
  private readonly posted = new Map<string, string>();

  constructor(private readonly deps: NotifierDeps, options: Partial<NotifierOptions> = {}) {
    this.options = { ...DEFAULT_NOTIFIER_OPTIONS, ...options };
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.queue = new OutboxQueue(deps.db, { leaseMs: this.options.leaseMs, owner: deps.owner ?? newOwnerId('notifier'), clock: this.clock });
    this.limiter = new RateLimiter({
      perConversation: { perSecond: this.options.perConversationPerSecond, burst: this.options.perConversationBurst },
      global: { perSecond: this.options.globalPerSecond, burst: this.options.globalBurst },
    }, this.clock);
    this.worker = new QueueWorker<NotificationDoc>({
      queue: this.queue,
      handle: (claim) => this.deliver(claim),
      // Claim nothing while the instance is out of tokens, and skip conversations that are.
      claimFilter: () => {
        if (!this.limiter.globalReady()) return null;
        const exhausted = this.limiter.exhaustedConversations();
        return exhausted.length > 0 ? { conversationId: { $nin: exhausted } } : {};
      },
      nextWakeMs: () => this.limiter.msUntilNextToken(),
      pollMs: this.options.pollMs,
      concurrency: this.options.concurrency,
      logger: deps.logger,
      name: 'notifier',
    });
  }

  start(): void {
    this.unsubscribe ??= this.deps.outbox?.onEnqueued(() => this.kick());
    this.worker.start();
  }

  /** Stops claiming, lets deliveries in flight finish, then releases this instance's leases. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.worker.stop();
  }

  /** Something was enqueued: look now rather than at the next poll. */
  kick(): void {
    this.worker.kick();
  }

  /** One pass: delivers what is due and allowed now; resolves with the number of claims. */
  tick(): Promise<number> {
    return this.worker.tick();
  }

  private async deliver(claim: Claim<NotificationDoc>): Promise<void> {
    const { doc } = claim;
    const log = { key: doc._id, kind: doc.kind, tenantId: doc.tenantId, conversationId: doc.conversationId, attempt: doc.attempts };
    const { logger } = this.deps;

    if (doc.attempts > this.options.maxAttempts) {
      // The last allowed try never reported back: its instance stopped mid-delivery.
      await this.queue.deadLetter(claim, 'lease expired on the last attempt');
      logger.error({ ...log, event: 'notification.dead', reason: 'lease expired' }, 'notification dead-lettered');
      return;
    }

    /** Set when this is an update whose target was posted: the activity to replace. */
    let replaceId: string | undefined;
    if (doc.kind === 'update' && doc.updateOf) {
      const known = this.posted.get(doc.updateOf);
      const target = known ? { state: 'sent' as const, activityId: known } : await this.queue.updateTarget(doc.updateOf);
      if (target.state === 'waiting') {
        // Look again when the target is next tried, or shortly if it is being delivered now.
        const at = Math.max(target.dueAt?.getTime() ?? 0, this.clock.now() + this.options.updateWaitMs);
        await this.queue.reschedule(claim, at, { refund: true });
        logger.debug({ ...log, event: 'notification.waiting', updateOf: doc.updateOf }, 'update waits for its target to be sent');
        return;
      }
      if (target.state === 'sent') replaceId = target.activityId;
      else logger.info({ ...log, event: 'notification.update_as_new', updateOf: doc.updateOf, reason: target.reason }, 'update target was not delivered; posting as a new message');
    }

    if (!this.limiter.tryAcquire(doc.conversationId)) {
      // Another lane took the last token; the next claim skips this conversation until it refills.
      await this.queue.release(claim);
      return;
    }

    let activityId: string | undefined;
    try {
      if (replaceId) {
        await this.deps.delivery.update(doc.reference, replaceId, activityOf(doc));
        activityId = replaceId;
      } else {
        activityId = (await this.deps.delivery.send(doc.reference, activityOf(doc))).activityId;
      }
    } catch (err) {
      await this.failed(claim, err, log);
      return;
    }
    const result = { deliveredAs: replaceId ? 'update' : 'send', ...(activityId ? { activityId } : {}) };
    if (await this.queue.complete(claim, result)) {
      if (activityId && !replaceId) this.rememberPosted(doc._id, activityId);
      logger.debug({ ...log, event: 'notification.sent', deliveredAs: result.deliveredAs }, 'notification delivered');
    } else {
      logger.warn({ ...log, event: 'notification.lease_lost' }, 'notification delivered after its lease was taken over');
    }
  }

  private rememberPosted(key: string, activityId: string): void {
    this.posted.set(key, activityId);
    if (this.posted.size > POSTED_REMEMBERED) this.posted.delete(this.posted.keys().next().value as string);
  }

  private async failed(claim: Claim<NotificationDoc>, err: unknown, log: Record<string, unknown>): Promise<void> {
    const { doc } = claim;
    const { logger } = this.deps;
    const now = this.clock.now();
    const failure = classifyDeliveryError(err, now);
    const error = errorText(err);
    const fields = { ...log, status: failure.status, error };

    if (failure.kind === 'permanent') {
      await this.queue.deadLetter(claim, error);
      logger.error({ ...fields, event: 'notification.dead', reason: 'permanent' }, 'notification dead-lettered: the conversation cannot receive it');
      return;
    }
    if (doc.attempts >= this.options.maxAttempts) {
      await this.queue.deadLetter(claim, error);
      logger.error({ ...fields, event: 'notification.dead', reason: 'attempts exhausted' }, 'notification dead-lettered after the last attempt');
      return;
    }
    const backoff = backoffDelay(doc.attempts, { baseMs: this.options.backoffBaseMs, maxMs: this.options.backoffMaxMs }, this.random);
    if (failure.kind === 'throttled') {
      const delayMs = failure.retryAfterMs ?? backoff;
      // Teams throttles per conversation (or per tenant): hold the whole conversation back.
      this.limiter.pauseConversation(doc.conversationId, now + delayMs);
      await this.queue.reschedule(claim, now + delayMs, { error });
      logger.warn({ ...fields, event: 'notification.throttled', delayMs, retryAfterMs: failure.retryAfterMs }, 'notification throttled; retrying after the wait Teams asked for');
      return;
    }
    const delayMs = Math.max(backoff, failure.retryAfterMs ?? 0);
    await this.queue.reschedule(claim, now + delayMs, { error });
    logger.warn({ ...fields, event: 'notification.retry', delayMs }, 'notification delivery failed; retrying');
  }
}
