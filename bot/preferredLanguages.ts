// Each user's stated language preference, remembered in process so that choosing the turn's
// language costs no store read on most turns (the `status` turn is already short of its
// throughput target). Bounded (least recently used goes first), and each entry is trusted for a
// short while only, since another instance may change a profile; this instance's own changes
// are written through at once.
import type { Db } from 'mongodb';
import type { Identity } from '../services/access/identity';
import { preferredLanguageOf } from './turnLanguage';

export interface PreferredLanguagesOptions {
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}

interface Entry { language: string | undefined; at: number }

export class PreferredLanguages {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly db: Db, options: PreferredLanguagesOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The stated preference (undefined: never chose), from memory when fresh, else from the store. */
  async of(who: Identity): Promise<string | undefined> {
    const key = keyOf(who);
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.ttlMs) {
      // Recently used moves to the back, so the oldest-used is evicted first.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.language;
    }
    const language = await preferredLanguageOf(this.db, who.tenantId, who.aadObjectId);
    this.remember(who, language);
    return language;
  }

  /** What this process just stored (or read) for the person. */
  remember(who: Identity, language: string | undefined): void {
    const key = keyOf(who);
    this.entries.delete(key);
    this.entries.set(key, { language, at: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

const keyOf = (who: Identity) => `${who.tenantId}:${who.aadObjectId}`;
