// Keeps each MCID document's credentials in step with the records imported for it. A
// read-modify-write per MCID, guarded by the revisions read, so two imports (or an import and a
// link) at once never lose each other's changes; a document whose credentials and holder are
// already right is not written at all, which is what makes a re-import change nothing.
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { credentialKey, rosterLine, type CertificationRecord, type McidDoc } from './records';

export interface McidAdditions {
  holder: { name: string; email: string };
  credentials: Set<string>;
}

/** Groups a batch of records by MCID: what each MCID document must now include. */
export function additionsOf(records: Iterable<CertificationRecord>): Map<string, McidAdditions> {
  const byMcid = new Map<string, McidAdditions>();
  for (const r of records) {
    const entry = byMcid.get(r.mcid) ?? { holder: { name: r.name, email: r.email }, credentials: new Set<string>() };
    entry.holder = { name: r.name, email: r.email }; // the file's last row for an MCID wins
    entry.credentials.add(credentialKey(r.type, r.code));
    byMcid.set(r.mcid, entry);
  }
  return byMcid;
}

/** $in lists stay short: the embedded store tests each candidate against the whole list. */
const READ_CHUNK = 200;
const MAX_ROUNDS = 8;

/** Applies the additions; returns how many MCID documents were created or changed. */
export async function mergeMcidCredentials(db: Db, additions: Map<string, McidAdditions>): Promise<number> {
  const col = db.collection<McidDoc>(collections.mcids);
  let pending = [...additions.keys()];
  let written = 0;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === MAX_ROUNDS) throw new Error(`MCID credentials kept changing under this import (${pending.length} MCIDs); try again.`);
    const current = new Map<string, McidDoc>();
    for (let i = 0; i < pending.length; i += READ_CHUNK) {
      for (const doc of await col.find({ _id: { $in: pending.slice(i, i + READ_CHUNK) } }).toArray()) current.set(doc._id, doc);
    }
    const ops: AnyBulkWriteOperation<McidDoc>[] = [];
    for (const mcid of pending) {
      const add = additions.get(mcid)!;
      const doc = current.get(mcid);
      const merged = [...new Set([...(doc?.credentials ?? []), ...add.credentials])].sort();
      if (!doc) {
        ops.push({ insertOne: { document: { _id: mcid, holder: add.holder, credentials: merged, credRev: 1, rev: 0 } } });
        continue;
      }
      const sameCredentials = merged.length === doc.credentials.length;
      const sameHolder = doc.holder?.name === add.holder.name && doc.holder?.email === add.holder.email;
      if (sameCredentials && sameHolder) continue;
      // A replacement (cheaper than operator updates on the embedded store), so it is guarded by
      // both revisions: neither a concurrent import nor a link change can be overwritten.
      ops.push({ replaceOne: {
        filter: { _id: mcid, credRev: doc.credRev, rev: doc.rev === undefined ? { $exists: false } : doc.rev },
        replacement: {
          ...doc, holder: add.holder, credentials: merged, credRev: doc.credRev + 1,
          ...(doc.linked ? { linked: { ...doc.linked, roster: rosterLine(doc.linked.aadObjectId, mcid, merged) } } : {}),
        },
      } });
    }
    if (ops.length === 0) return written;
    const expected = ops.length;
    let done = 0;
    try {
      const result = await col.bulkWrite(ops, { ordered: false });
      done = result.insertedCount + result.modifiedCount;
    } catch (err) {
      // Another import created some of these documents first: read them again and merge.
      const partial = (err as { result?: { insertedCount: number; modifiedCount: number } }).result;
      if (!isDuplicateKey(err) && !isBulkDuplicate(err)) throw err;
      done = (partial?.insertedCount ?? 0) + (partial?.modifiedCount ?? 0);
    }
    written += done;
    // Re-check every MCID of the batch if any write lost a race; the finished ones are skipped.
    if (done === expected) return written;
  }
  return written;
}

function isBulkDuplicate(err: unknown): boolean {
  const errors = (err as { writeErrors?: unknown } | undefined)?.writeErrors;
  const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
  return list.length > 0 && list.every((e) => (e as { code?: number }).code === 11000);
}
