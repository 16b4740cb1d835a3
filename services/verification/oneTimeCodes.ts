// One-time codes that prove a person controls an e-mail address (DESIGN §3: an unproven address
// never triggers pre-approval). Six digits, stored only as a salted hash, valid 10 minutes,
// 5 tries, and a limited number of sends per hour. A code is used once.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { Identity } from '../access/identity';
import { Refusal } from '../refusal';
import { DEFAULT_ABUSE_LIMITS, type RateLimit } from '../limits/rateLimit';

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
/** The default resend limit (CODE_SENDS_PER_HOUR configures it). */
export const MAX_SENDS_PER_HOUR = DEFAULT_ABUSE_LIMITS.codeSends.max;

interface CodeDoc {
  _id: string;
  purpose: string;
  target: string;
  salt: string;
  hash: string;
  attempts: number;
  expiresAt: Date;
  /** Send times within the last window (for the resend limit). */
  sends: Date[];
  /** When the store may delete the document: a window after the last send, so the limit holds. */
  purgeAt: Date;
}

/** A code cannot be sent now; `code` names why (errors catalogue), `values.time` is when (HH:MM UTC). */
export class CodeLimitError extends Refusal {}

export type CodeCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'expired' | 'locked' | 'none' };

const codeId = (who: Identity, purpose: string) => `${purpose}:${who.tenantId}:${who.aadObjectId}`;
const hashOf = (salt: string, code: string) => createHash('sha256').update(`${salt}:${code}`).digest('hex');

/**
 * Creates (or replaces) the code for this person, purpose and address; returns the code to send.
 * `limit`: sends per person and purpose in a sliding window (config CODE_SENDS_PER_HOUR).
 */
export async function issueCode(db: Db, who: Identity, purpose: string, target: string, now = new Date(), limit: RateLimit = DEFAULT_ABUSE_LIMITS.codeSends): Promise<string> {
  const col = db.collection<CodeDoc>(collections.verificationCodes);
  const windowStart = new Date(now.getTime() - limit.windowMs);
  const existing = await col.findOne({ _id: codeId(who, purpose) });
  const recentSends = (existing?.sends ?? []).filter((d) => d > windowStart);
  if (recentSends.length >= limit.max) {
    const next = new Date(recentSends[recentSends.length - limit.max].getTime() + limit.windowMs);
    throw new CodeLimitError('errors:codes.tooMany', { max: limit.max, time: next.toISOString().slice(11, 16) });
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  await col.updateOne(
    { _id: codeId(who, purpose) },
    { $set: { purpose, target, salt, hash: hashOf(salt, code), attempts: 0, expiresAt: new Date(now.getTime() + CODE_TTL_MS), sends: [...recentSends, now], purgeAt: new Date(now.getTime() + limit.windowMs) } },
    { upsert: true },
  );
  return code;
}

/** Checks a typed code for this address. Each try counts; the right code is consumed. */
export async function checkCode(db: Db, who: Identity, purpose: string, target: string, typed: string, now = new Date()): Promise<CodeCheck> {
  const col = db.collection<CodeDoc>(collections.verificationCodes);
  // Count the try first, atomically, so parallel guesses cannot exceed the limit.
  const doc = await col.findOneAndUpdate(
    { _id: codeId(who, purpose), target, attempts: { $lt: MAX_ATTEMPTS } },
    { $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  );
  if (!doc) {
    const any = await col.findOne({ _id: codeId(who, purpose), target });
    return { ok: false, reason: any ? 'locked' : 'none' };
  }
  if (doc.expiresAt <= now) return { ok: false, reason: 'expired' };
  const digits = typed.replace(/\s/g, '');
  const expected = Buffer.from(doc.hash, 'hex');
  const given = Buffer.from(hashOf(doc.salt, digits), 'hex');
  if (/^\d{6}$/.test(digits) && timingSafeEqual(expected, given)) {
    await col.updateOne({ _id: doc._id, hash: doc.hash }, { $set: { attempts: MAX_ATTEMPTS, expiresAt: now } });
    return { ok: true };
  }
  return { ok: false, reason: 'wrong', attemptsLeft: MAX_ATTEMPTS - doc.attempts };
}
