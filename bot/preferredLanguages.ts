// Each user's stated language preference, remembered in process so that choosing the turn's
// language costs no store read on most turns (the `status` turn is already short of its
// throughput target). Bounded (least recently used goes first), and each entry is trusted for a
// short while only, since another instance may change a profile; this instance's own changes
// are written through at once.
import type { Db } from 'mongodb';
import type { Identity } from '../services/access/identity';
import { preferredLanguageOf } from './turnLanguage';
import { RecentCache } from './recentCache';

export interface PreferredLanguagesOptions {
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}

export class PreferredLanguages {
  private readonly cache: RecentCache<string | undefined>;

  constructor(private readonly db: Db, options: PreferredLanguagesOptions = {}) {
    this.cache = new RecentCache({ maxEntries: options.maxEntries ?? 10_000, ttlMs: options.ttlMs ?? 60_000, now: options.now });
  }

  /** The stated preference (undefined: never chose), from memory when fresh, else from the store. */
  async of(who: Identity): Promise<string | undefined> {
    const known = this.cache.get(keyOf(who));
    if (known) return known.value;
    const language = await preferredLanguageOf(this.db, who.tenantId, who.aadObjectId);
    this.remember(who, language);
    return language;
  }

  /** What this process just stored (or read) for the person. */
  remember(who: Identity, language: string | undefined): void {
    this.cache.set(keyOf(who), language);
  }

  get size(): number {
    return this.cache.size;
  }
}

const keyOf = (who: Identity) => `${who.tenantId}:${who.aadObjectId}`;
