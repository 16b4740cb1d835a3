// Files uploaded through the local Direct Line endpoint, kept in memory until the bot has fetched
// them: each under an unguessable id, for an hour at most, and never more than a few files' worth
// of memory in all (the oldest go first). Local mode only: one developer's browser chat.
import { randomBytes } from 'node:crypto';

export interface Upload { name: string; contentType: string; bytes: Buffer }

interface Kept extends Upload { expiresAt: number }

export interface UploadStoreOptions {
  /** The largest single file; the store holds at most `filesKept` of them in bytes. */
  maxFileBytes: number;
  filesKept?: number;
  ttlMs?: number;
  now?: () => number;
}

export class UploadStore {
  private readonly files = new Map<string, Kept>();
  private bytes = 0;

  constructor(private readonly options: UploadStoreOptions) {}

  /** Keeps `file` and returns its id (for the URL the bot downloads it from). */
  add(file: Upload): string {
    this.sweep();
    const budget = this.options.maxFileBytes * (this.options.filesKept ?? 4);
    // Map iteration is insertion order: the first entries are the oldest.
    for (const [id, kept] of this.files) {
      if (this.bytes + file.bytes.length <= budget) break;
      this.drop(id, kept);
    }
    const id = randomBytes(24).toString('base64url');
    this.files.set(id, { ...file, expiresAt: this.now() + (this.options.ttlMs ?? 3_600_000) });
    this.bytes += file.bytes.length;
    return id;
  }

  get(id: string): Upload | undefined {
    this.sweep();
    return this.files.get(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, kept] of this.files) if (kept.expiresAt <= now) this.drop(id, kept);
  }

  private drop(id: string, kept: Kept): void {
    this.files.delete(id);
    this.bytes -= kept.bytes.length;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
