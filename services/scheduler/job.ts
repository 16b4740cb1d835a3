// A delayed job as stored: the shared queue fields plus which handler to run and its data.
import type { QueueFields } from '../queue/leaseQueue';

/** Job data: small plain JSON (ids, not documents), with MongoDB-safe field names. */
export type JobData = Record<string, unknown>;

export interface JobDoc extends QueueFields {
  /** The handler to run, by name (handlers are registered with the worker). */
  name: string;
  runAt: Date;
  data: JobData;
  /** Cancelled while running: the run finishes, but it is not retried. */
  cancelRequested?: boolean;
}

/** What a handler receives. */
export interface JobRun {
  key: string;
  name: string;
  data: JobData;
  runAt: Date;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
}

/** Runs one job; throwing schedules a retry with backoff. Must be idempotent: a crash mid-run runs it again. */
export type JobHandler = (job: JobRun) => Promise<void>;
