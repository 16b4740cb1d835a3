// Group commit for store work that many turns do at once (a click's decision writes and
// follow-ups). Each store command costs the bot about as much CPU for one document as for
// dozens, and under load that per-command cost was most of a click's. Calls are gathered and
// done together, one batch at a time per batcher: a call made while the batcher is idle starts
// a batch after the calls of the same moment (one event-loop turn) have joined it; calls made
// while a batch runs go together in the next. Alone, a call waits for nothing.

export interface BatcherOptions {
  /** Most items in one batch (default 200); the rest wait for the next. */
  maxBatch?: number;
}

/**
 * What `run` answers for each item, at the same index: a value, or an Error for that item alone
 * (e.g. one write of a bulk refused). Throwing fails every item of the batch.
 */
export type BatchRun<T, R> = (items: T[]) => Promise<Array<R | Error>>;

export class Batcher<T, R> {
  private waiting: Array<{ item: T; resolve: (value: R) => void; reject: (err: unknown) => void }> = [];
  private busy = false;
  private readonly maxBatch: number;

  constructor(private readonly run: BatchRun<T, R>, options: BatcherOptions = {}) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 200);
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((b) => b.item));
        if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${results.length} results`);
        batch.forEach((b, i) => {
          const result = results[i];
          if (result instanceof Error) b.reject(result);
          else b.resolve(result as R);
        });
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.busy = false;
  }
}
