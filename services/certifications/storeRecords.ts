// Writes one batch of checked transcript records: new ones inserted, changed ones (a corrected
// name, e-mail or title) replaced, the rest left alone, so a re-import writes nothing. Reading
// the batch's existing records first and writing plain inserts and replacements (not upserts
// with update operators) is several times faster on the embedded store, whose operator updates
// go through the query engine one by one.
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { collections } from '../db/collections';
import { recordKey, type CertificationRecord, type CertificationRecordDoc } from './records';

export interface StoredBatch { inserted: number; updated: number }

/** $in lists stay short: the embedded store tests each candidate against the whole list. */
const READ_CHUNK = 200;
const MAX_ROUNDS = 5;

const sameDetails = (a: CertificationRecordDoc, b: CertificationRecord) => a.email === b.email && a.name === b.name && a.title === b.title;

export async function storeRecords(db: Db, records: Map<string, CertificationRecord>, now: Date, orgId: string | undefined): Promise<StoredBatch> {
  const col = db.collection<CertificationRecordDoc>(collections.certificationRecords);
  const result: StoredBatch = { inserted: 0, updated: 0 };
  let pending = [...records.keys()];
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === MAX_ROUNDS) throw new Error(`Transcript records kept changing under this import (${pending.length} records); try again.`);
    const existing = new Map<string, CertificationRecordDoc>();
    for (let i = 0; i < pending.length; i += READ_CHUNK) {
      for (const doc of await col.find({ _id: { $in: pending.slice(i, i + READ_CHUNK) } }).toArray()) existing.set(doc._id, doc);
    }
    const inserts: CertificationRecordDoc[] = [];
    const replacements: AnyBulkWriteOperation<CertificationRecordDoc>[] = [];
    for (const key of pending) {
      const r = records.get(key)!;
      const doc = existing.get(key);
      const fields = { mcid: r.mcid, email: r.email, name: r.name, type: r.type, code: r.code, title: r.title, date: r.date };
      if (!doc) inserts.push({ _id: key, ...fields, importedAt: now, ...(orgId ? { importedFor: orgId } : {}) });
      else if (!sameDetails(doc, r)) replacements.push({ replaceOne: { filter: { _id: key }, replacement: { ...doc, ...fields } } });
    }
    pending = [];
    if (replacements.length) result.updated += (await col.bulkWrite(replacements, { ordered: false })).modifiedCount;
    if (inserts.length) {
      try {
        result.inserted += (await col.insertMany(inserts, { ordered: false })).insertedCount;
      } catch (err) {
        // Another import inserted some of these first: look at those again next round.
        const e = err as { code?: number; insertedCount?: number; writeErrors?: unknown; result?: { insertedCount?: number } };
        const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
        if (errors.length === 0 || !errors.every((w) => (w as { code?: number }).code === 11000)) throw err;
        result.inserted += e.insertedCount ?? e.result?.insertedCount ?? inserts.length - errors.length;
        pending = errors.map((w) => inserts[(w as { index: number }).index]._id);
      }
    }
  }
  return result;
}

/** The batch keyed by natural key: a record repeated in one file is one write (the later row wins). */
export function byNaturalKey(records: readonly CertificationRecord[]): Map<string, CertificationRecord> {
  const map = new Map<string, CertificationRecord>();
  for (const r of records) map.set(recordKey(r), r);
  return map;
}
