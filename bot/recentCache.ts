// A small in-process memory of values read from the store: bounded (the least recently used goes
// first) and trusted for a short while only, since another instance may change what it copies.
export interface RecentCacheOptions {
  maxEntries: number;
  ttlMs: number;
  now?: () => number;
}

export class RecentCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: RecentCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The value when it is fresh (it then counts as used just now), else undefined. */
  get(key: string): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.now() - entry.at >= this.options.ttlMs) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { value: entry.value };
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
