// Imports a transcript CSV into the certification directory (DESIGN §3), streaming: rows are
// read, checked and written in batches, and the next batch is read only once the previous one
// is stored, so 100,000 rows take the memory of one batch. Bad rows are reported with their
// line and reason and never stored; good rows are stored by their natural key (MCID, type,
// code, date), new ones inserted and corrected ones replaced, so the same file again changes
// nothing.
import type { Db } from 'mongodb';
import { systemClock, type Clock } from '../queue/clock';
import { readCsv, type CsvSource } from './transcriptCsv';
import { checkRow, mapHeader, rowSchema, type ColumnMap } from './transcriptRow';
import { TranscriptFormatError, type TranscriptProblem } from './transcriptProblems';
import { additionsOf, mergeMcidCredentials } from './mcidCredentials';
import { collections } from '../db/collections';
import type { CertificationRecord, McidDoc } from './records';
import { byNaturalKey, storeRecords } from './storeRecords';

export { TranscriptFormatError, type TranscriptFileProblem, type TranscriptProblem } from './transcriptProblems';

export interface ImportProgress {
  /** Data rows read so far (the header and blank lines excluded). */
  read: number;
  /** Good rows stored (or found already stored). */
  imported: number;
  rejected: number;
}

/** A row not stored: its line and every problem found in it (codes; the reader's language words them). */
export interface RowRejection { line: number; problems: TranscriptProblem[] }

export interface ImportSummary extends ImportProgress {
  /** Records that were new. */
  inserted: number;
  /** Records that existed with other details (name, e-mail, title) and were corrected. */
  updated: number;
  /** Good rows that changed nothing (already stored, or repeated in the file). */
  unchanged: number;
  /** MCID documents created or given new credentials. */
  mcidsChanged: number;
  /** The first rejections, in line order (see `maxRejectionsKept`). */
  rejections: RowRejection[];
  /** Rejections not kept in `rejections` (all are passed to `onRejected`). */
  rejectionsOmitted: number;
}

export interface ImportOptions {
  /** The Partner ID on whose behalf the file is imported; recorded on new records. */
  orgId?: string;
  /**
   * An organisation admin's import (from chat), not the operator's: it may add records to new
   * MCIDs and to MCIDs already held under the same e-mail and not linked to another
   * organisation. The holder's e-mail is where ownership codes go, so letting any admin change
   * it would let them link someone else's MCID; another organisation's people are not theirs to
   * edit. Only the operator import (npm run import-transcripts) may do either.
   */
  asOrganisationAdmin?: boolean;
  /** Rows per write (default 1000). */
  batchSize?: number;
  /** Called after every stored batch and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  onRejected?: (rejection: RowRejection) => void;
  /** How many rejections the summary keeps (default 1000). */
  maxRejectionsKept?: number;
  clock?: Clock;
}

export async function importTranscript(db: Db, source: CsvSource, options: ImportOptions = {}): Promise<ImportSummary> {
  const clock = options.clock ?? systemClock;
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const keep = options.maxRejectionsKept ?? 1000;
  const schema = rowSchema(new Date(clock.now()));
  const summary: ImportSummary = {
    read: 0, imported: 0, rejected: 0, inserted: 0, updated: 0, unchanged: 0, mcidsChanged: 0, rejections: [], rejectionsOmitted: 0,
  };
  const reject = (rejection: RowRejection) => {
    summary.rejected += 1;
    if (summary.rejections.length < keep) summary.rejections.push(rejection);
    else summary.rejectionsOmitted += 1;
    options.onRejected?.(rejection);
  };
  const progress = () => options.onProgress?.({ read: summary.read, imported: summary.imported, rejected: summary.rejected });

  let columns: ColumnMap | undefined;
  let batch: CertificationRecord[] = [];
  let lines: number[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (options.asOrganisationAdmin && options.orgId) {
      const refused = await refusedForOrganisation(db, batch, options.orgId);
      for (const [i, problem] of refused) reject({ line: lines[i], problems: [problem] });
      batch = batch.filter((_, i) => !refused.has(i));
    }
    lines = [];
    if (batch.length === 0) { progress(); return; }
    const written = await storeBatch(db, batch, new Date(clock.now()), options.orgId);
    summary.inserted += written.inserted;
    summary.updated += written.updated;
    summary.unchanged += batch.length - written.inserted - written.updated;
    summary.mcidsChanged += written.mcidsChanged;
    summary.imported += batch.length;
    batch = [];
    progress();
  };

  for await (const item of readCsv(source)) {
    if (item.kind === 'error') {
      if (!columns) throw new TranscriptFormatError({ code: 'unreadableHeader', problem: item.problem }, item.line);
      summary.read += 1;
      reject({ line: item.line, problems: [item.problem] });
      continue;
    }
    if (!columns) {
      columns = mapHeader(item.fields, item.line);
      continue;
    }
    summary.read += 1;
    const row = checkRow(item.fields, columns, schema);
    if (!row.ok) {
      reject({ line: item.line, problems: row.problems });
      continue;
    }
    batch.push(row.record);
    lines.push(item.line);
    if (batch.length >= batchSize) await flush();
  }
  if (!columns) {
    throw new TranscriptFormatError({ code: 'fileEmpty' });
  }
  await flush();
  progress();
  summary.rejections.sort((a, b) => a.line - b.line);
  return summary;
}

/** Index in the batch → why an organisation admin may not import that row. */
async function refusedForOrganisation(db: Db, batch: readonly CertificationRecord[], orgId: string): Promise<Map<number, TranscriptProblem>> {
  const mcids = [...new Set(batch.map((r) => r.mcid))];
  const existing = new Map<string, Pick<McidDoc, 'holder' | 'linked'>>();
  for (let i = 0; i < mcids.length; i += 200) {
    const docs = await db.collection<McidDoc>(collections.mcids)
      .find({ _id: { $in: mcids.slice(i, i + 200) } }, { projection: { holder: 1, linked: 1 } }).toArray();
    for (const doc of docs) existing.set(doc._id, doc);
  }
  const refused = new Map<number, TranscriptProblem>();
  batch.forEach((record, i) => {
    const doc = existing.get(record.mcid);
    if (!doc) return;
    if (doc.linked && doc.linked.orgId !== orgId) {
      refused.set(i, { code: 'mcidLinkedElsewhere', mcid: record.mcid });
    } else if (doc.holder.email.toLowerCase() !== record.email.toLowerCase()) {
      refused.set(i, { code: 'mcidOtherEmail', mcid: record.mcid });
    }
  });
  return refused;
}

async function storeBatch(db: Db, records: CertificationRecord[], now: Date, orgId: string | undefined) {
  const byKey = byNaturalKey(records);
  const written = await storeRecords(db, byKey, now, orgId);
  const mcidsChanged = await mergeMcidCredentials(db, additionsOf(byKey.values()));
  return { ...written, mcidsChanged };
}
