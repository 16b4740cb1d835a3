// Reads of one document by _id, gathered across the turns of the same moment into one
// `_id: {$in}` query per collection and projection (see Batcher). A read is sent after it is
// asked for, never answered from memory, so it is as fresh as a findOne: rights checks may use it.
import type { Db, Document } from 'mongodb';
import { Batcher } from './batcher';

export class PointReads {
  private readonly batchers = new Map<string, Batcher<string, Document | null>>();

  constructor(private readonly db: Db) {}

  /** The document with this _id (with only the projected fields), or null. Callers of the same id in one batch share the object: don't change it. */
  get<T extends Document>(collection: string, id: string, projection?: Document): Promise<T | null> {
    const key = `${collection}\u0000${JSON.stringify(projection ?? {})}`;
    let batcher = this.batchers.get(key);
    if (!batcher) {
      batcher = new Batcher<string, Document | null>(async (ids) => {
        const docs = await this.db.collection<Document & { _id: string }>(collection).find({ _id: { $in: [...new Set(ids)] } }, { projection }).toArray();
        const byId = new Map<string, Document>(docs.map((d) => [d._id, d]));
        return ids.map((i) => byId.get(i) ?? null);
      });
      this.batchers.set(key, batcher);
    }
    return batcher.add(String(id)) as Promise<T | null>;
  }
}

const readers = new WeakMap<Db, PointReads>();

/** The database's shared PointReads (one per Db object, so every caller's reads can go together). */
export function pointReads(db: Db): PointReads {
  let reads = readers.get(db);
  if (!reads) readers.set(db, (reads = new PointReads(db)));
  return reads;
}
