// Brings the database to the schema version this code expects, safely when several bot
// instances start together: each step is claimed with a lease on the schema-version document
// (a findOneAndUpdate guarded by the expected prior version), so exactly one instance runs it
// and the others wait for the bump instead of running it too.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from 'mongodb';
import { collections } from './collections';
import { isDuplicateKey } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

export const SCHEMA_VERSION_ID = 'schemaVersion';

export interface SchemaVersionDoc {
  _id: string;
  version: number;
  updatedAt: Date;
  /** Present while an instance runs the step to `to`; expires so a crashed instance does not block forever. */
  migrating?: { to: number; by: string; until: Date };
}

export interface MigrateOptions {
  migrations?: readonly Migration[];
  /** How long a claimed step may run before another instance may take it over (default 5 min). */
  leaseMs?: number;
  /** How often a waiting instance re-reads the version (default 250 ms). */
  pollMs?: number;
}

export interface MigrateResult {
  from: number;
  to: number;
  /** Versions this instance ran itself (others may have run the rest). */
  applied: number[];
}

export async function migrate(db: Db, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = checkOrder(options.migrations ?? MIGRATIONS);
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 250;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const meta = db.collection<SchemaVersionDoc>(collections.meta);
  const owner = randomUUID();

  // A fresh database starts at version 0; $setOnInsert leaves an existing document alone.
  try {
    await meta.updateOne(
      { _id: SCHEMA_VERSION_ID },
      { $setOnInsert: { version: 0, updatedAt: new Date() } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another instance inserted it first: fine
  }

  const applied: number[] = [];
  let from: number | undefined;
  for (;;) {
    const doc = await meta.findOne({ _id: SCHEMA_VERSION_ID });
    const current = doc?.version ?? 0;
    from ??= current;
    if (current > latest) {
      // Newer code has migrated this database; running old code on it could corrupt data.
      throw new Error(`Database schema version ${current} is newer than this code's ${latest}; deploy the newer bot version.`);
    }
    const next = migrations.find((m) => m.version > current);
    if (!next) return { from, to: current, applied };

    const now = new Date();
    const claimed = await meta.findOneAndUpdate(
      { _id: SCHEMA_VERSION_ID, version: current, $or: [{ migrating: { $exists: false } }, { 'migrating.until': { $lt: now } }] },
      { $set: { migrating: { to: next.version, by: owner, until: new Date(now.getTime() + leaseMs) } } },
    );
    if (!claimed) {
      // Another instance holds the step (or just bumped the version): look again shortly.
      await delay(pollMs);
      continue;
    }

    try {
      await next.up(db);
    } catch (err) {
      // Release at once so a retry (here or elsewhere) need not wait for the lease to expire.
      await meta
        .updateOne({ _id: SCHEMA_VERSION_ID, 'migrating.by': owner }, { $unset: { migrating: '' } })
        .catch(() => undefined);
      throw err;
    }

    const bumped = await meta.findOneAndUpdate(
      { _id: SCHEMA_VERSION_ID, version: current, 'migrating.by': owner },
      { $set: { version: next.version, updatedAt: new Date() }, $unset: { migrating: '' } },
    );
    if (!bumped) {
      throw new Error(`Migration to schema version ${next.version} outlived its lease and was taken over by another instance.`);
    }
    applied.push(next.version);
  }
}

function checkOrder(migrations: readonly Migration[]): readonly Migration[] {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && m.version <= migrations[i - 1]!.version)) {
      throw new Error(`Migrations must have strictly increasing positive integer versions (at index ${i}: ${m.version}).`);
    }
  });
  return migrations;
}
