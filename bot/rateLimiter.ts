// Token buckets that keep proactive traffic under Teams' bot rate limits: one bucket per
// conversation and one for the whole instance. A bucket holds up to `burst` tokens and refills
// at `perSecond`; a message to a conversation takes one token from each. Buckets live in this
// process: with several instances, each keeps its own (size the global rate accordingly).
import type { Clock } from '../services/queue/clock';

export interface BucketOptions {
  /** Sustained rate, tokens per second (fractions allowed). */
  perSecond: number;
  /** Most tokens held at once: how many may go back to back after a quiet spell. */
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** Nothing may be taken before this time (a 429's Retry-After). */
  private blockedUntil = 0;

  constructor(private readonly options: BucketOptions, now: number) {
    this.tokens = options.burst;
    this.updatedAt = now;
  }

  available(now: number): number {
    this.refill(now);
    return now < this.blockedUntil ? 0 : this.tokens;
  }

  tryTake(now: number): boolean {
    if (this.available(now) < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** ms until one token is available (0 if one is now). */
  msUntilToken(now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now; // one token waits at the end of the block
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.options.perSecond) * 1000);
  }

  /** Takes nothing until `until`, then starts again from a single token (after a 429). */
  blockUntil(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
    this.tokens = 1;
    this.updatedAt = Math.max(this.updatedAt, this.blockedUntil);
  }

  isFull(now: number): boolean {
    return this.available(now) >= this.options.burst;
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return; // no time has passed, or blocked until updatedAt
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.options.perSecond);
    this.updatedAt = now;
  }
}

export interface RateLimiterOptions {
  perConversation: BucketOptions;
  global: BucketOptions;
}

/** Idle conversations' buckets are dropped once this many are tracked (a full bucket is no state). */
const PRUNE_ABOVE = 5_000;

export class RateLimiter {
  private readonly global: TokenBucket;
  private readonly conversations = new Map<string, TokenBucket>();

  constructor(private readonly options: RateLimiterOptions, private readonly clock: Clock) {
    this.global = new TokenBucket(options.global, clock.now());
  }

  /** Whether the instance-wide bucket has a token (claiming more work is pointless otherwise). */
  globalReady(): boolean {
    return this.global.available(this.clock.now()) >= 1;
  }

  /** Conversations that have no token now: the notifier does not claim their messages yet. */
  exhaustedConversations(): string[] {
    const now = this.clock.now();
    const out: string[] = [];
    for (const [id, bucket] of this.conversations) if (bucket.available(now) < 1) out.push(id);
    return out;
  }

  /** Takes a token from the global and the conversation's bucket, or from neither. */
  tryAcquire(conversationId: string): boolean {
    const now = this.clock.now();
    const bucket = this.bucket(conversationId, now);
    if (this.global.available(now) < 1 || bucket.available(now) < 1) return false;
    this.global.tryTake(now);
    bucket.tryTake(now);
    return true;
  }

  /** Teams said 429 for this conversation: send nothing more there until `until`. */
  pauseConversation(conversationId: string, until: number): void {
    this.bucket(conversationId, this.clock.now()).blockUntil(until);
  }

  /** ms until some held-back work could go: the sooner of the global and any conversation refill. */
  msUntilNextToken(): number | undefined {
    const now = this.clock.now();
    let soonest = this.global.msUntilToken(now) || undefined;
    for (const bucket of this.conversations.values()) {
      const wait = bucket.msUntilToken(now);
      if (wait > 0 && (soonest === undefined || wait < soonest)) soonest = wait;
    }
    return soonest;
  }

  private bucket(conversationId: string, now: number): TokenBucket {
    let bucket = this.conversations.get(conversationId);
    if (!bucket) {
      if (this.conversations.size >= PRUNE_ABOVE) this.prune(now);
      bucket = new TokenBucket(this.options.perConversation, now);
      this.conversations.set(conversationId, bucket);
    }
    return bucket;
  }

  private prune(now: number): void {
    for (const [id, bucket] of this.conversations) if (bucket.isFull(now)) this.conversations.delete(id);
  }
}
