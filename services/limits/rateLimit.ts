// Per-user abuse limits (issue 7): how many association requests, invitation batches and one-time
// code e-mails one person may cause in a window. A fixed-window counter per person, kind and
// window, kept in the store (so every instance counts the same) and removed by a TTL index when
// its window is over. The numbers are configuration (bot/config.ts); the defaults are below.
import type { Db } from 'mongodb';
import type { Identity } from '../access/identity';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import type { RefusalValues } from '../refusal';

export interface RateLimit {
  /** At most this many in one window. */
  max: number;
  windowMs: number;
}

export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface AbuseLimits {
  /** Association requests one person may submit (accepted or pending) per window. */
  associationRequests: RateLimit;
  /** Invitation batches one approver may send per window. */
  invitationBatches: RateLimit;
  /** One-time code e-mails per person, per purpose (association, MCID, Partner University), per window. */
  codeSends: RateLimit;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  associationRequests: { max: 5, windowMs: DAY_MS },
  invitationBatches: { max: 20, windowMs: HOUR_MS },
  codeSends: { max: 3, windowMs: HOUR_MS },
};

/** Within the limit, or over it: the values an errors sentence needs (max, and the time HH:MM UTC the window ends). */
export type LimitCheck = { ok: true } | { ok: false; values: RefusalValues };

interface CounterDoc {
  _id: string;
  count: number;
  /** The end of the window: the TTL index removes the counter then. */
  expiresAt: Date;
}

/**
 * Counts one more `kind` for this person; not ok when that makes more than `limit.max` in the
 * current window (the caller refuses with its own error). The count is one atomic $inc, so
 * parallel requests from several instances cannot slip past the limit together.
 */
export async function consumeLimit(db: Db, who: Identity, kind: string, limit: RateLimit, now = new Date()): Promise<LimitCheck> {
  const windowStart = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  const expiresAt = new Date(windowStart + limit.windowMs);
  const _id = `${kind}:${who.tenantId}:${who.aadObjectId}:${windowStart}`;
  const col = db.collection<CounterDoc>(collections.rateLimits);
  let counter: CounterDoc | null = null;
  for (let attempt = 0; attempt < 3 && !counter; attempt++) {
    try {
      counter = await col.findOneAndUpdate({ _id }, { $inc: { count: 1 }, $setOnInsert: { expiresAt } }, { upsert: true, returnDocument: 'after' });
    } catch (err) {
      // Two first uses at once: one upsert inserts, the other meets its _id and simply retries.
      if (!isDuplicateKey(err)) throw err;
    }
  }
  if (counter && counter.count > limit.max) return { ok: false, values: { max: limit.max, time: expiresAt.toISOString().slice(11, 16) } };
  return { ok: true };
}
