// A fingerprint of what is stored: sha256 over each collection's documents (canonical Extended
// JSON, sorted by _id). Two digests that are equal prove no document was added, removed or
// changed, so a test can say "this input changed nothing" without knowing where it might have.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EJSON, type Document } from 'bson';
import type { Db } from 'mongodb';

export type Digest = Record<string, string>;

export interface DigestOptions {
  /** Collections left out (per-conversation transport state a turn may rightly touch). */
  exclude?: readonly string[];
  /** Only documents this accepts are fingerprinted (e.g. one organisation's). */
  only?: (doc: Document) => boolean;
  /** Top-level fields left out of every document (bookkeeping a background timer writes). */
  ignoreFields?: readonly string[];
}

/**
 * The association follow-up sweep (bot/actions/associationFollowUps.ts) marks each request it has
 * checked, on a timer, 30 s after the request: not a change any input makes.
 */
export const TIMER_BOOKKEEPING_FIELDS = ['followUps'] as const;

/** Transport state every turn may write: dialog state and where to reach the user. */
export const TRANSPORT_COLLECTIONS = ['botState', 'conversationRefs'] as const;

const canonical = (doc: Document) => EJSON.stringify(doc, { relaxed: false });

export async function digestOf(db: Db, options: DigestOptions = {}): Promise<Digest> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const digest: Digest = {};
  for (const name of names) {
    if (options.exclude?.includes(name)) continue;
    const docs = (await db.collection(name).find({}).toArray())
      .filter((d) => !options.only || options.only(d))
      .map((d) => (options.ignoreFields ? Object.fromEntries(Object.entries(d).filter(([k]) => !options.ignoreFields!.includes(k))) : d));
    const lines = docs.map((d) => ({ id: canonical({ _id: d._id }), text: canonical(d) })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const hash = createHash('sha256');
    for (const line of lines) hash.update(line.text).update('\n');
    digest[name] = `${lines.length}:${hash.digest('hex').slice(0, 16)}`;
  }
  return digest;
}

/** Fails naming the collections whose documents differ (an empty collection counts as absent). */
export function assertSameDigest(after: Digest, before: Digest, what = 'stored data'): void {
  const drop = (d: Digest) => Object.fromEntries(Object.entries(d).filter(([, v]) => !v.startsWith('0:')));
  const a = drop(after);
  const b = drop(before);
  const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
  assert.deepEqual(changed, [], `${what} changed in: ${changed.map((k) => `${k} (${b[k] ?? 'absent'} → ${a[k] ?? 'absent'})`).join(', ')}`);
}

/** A document that mentions any of `needles` anywhere (ids, tenant ids, addresses). */
export function mentionsAny(needles: readonly string[]): (doc: Document) => boolean {
  return (doc) => {
    const text = canonical(doc);
    return needles.some((n) => text.includes(n));
  };
}
