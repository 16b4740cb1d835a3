// The ordered list of schema migrations. Append only: a released step is never edited or
// reordered, because databases in the field already record having run it.
import type { Db } from 'mongodb';

export interface Migration {
  /** The schema version the database is at once `up` has run; strictly increasing. */
  version: number;
  description: string;
  /**
   * Must be safe to run again: an instance that crashes mid-step leaves the version unbumped,
   * and the next start runs the step anew.
   */
  up(db: Db): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  // Version 1 is the first schema: nothing to transform, it only marks the database as ours.
  { version: 1, description: 'initial schema', up: async () => undefined },
];

/** The version this code expects the database to be at. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
