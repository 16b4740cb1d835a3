// One collection: documents by _id, secondary indexes, and the only code that changes them.
// Every change is checked against every unique index before anything is touched, so a refused
// write leaves no trace, and (Node being single-threaded) each change is atomic.
import { randomUUID } from 'node:crypto';
import { Binary, Document } from 'bson';
import { Query } from 'mingo';
import { Index, IndexSpec, StoredDoc, duplicateKey } from './indexes';
import { ErrorCodes, StoreError } from './errors';
import { compileQuery } from './query';
import { compareBySort, hashKey, serialize, type SortSpec } from './values';

/** Where committed changes go (the journal); absent for a memory-only store and during replay. */
export interface ChangeSink {
  put(ns: string, raw: Uint8Array): void;
  remove(ns: string, idRaw: Uint8Array): void;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, StoredDoc>();
  readonly indexes = new Map<string, Index>();
  readonly uuid = new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), Binary.SUBTYPE_UUID);

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document,
    private readonly sink: () => ChangeSink | undefined,
  ) {}

  get ns(): string { return `${this.db}.${this.name}`; }

  get(id: string): StoredDoc | undefined { return this.docs.get(id); }

  insert(doc: StoredDoc): void {
    if (this.docs.has(doc.id)) throw duplicateKey(this.ns, { name: '_id_', paths: [['_id']] }, [doc.view._id]);
    for (const index of this.indexes.values()) index.checkUnique(doc, this.ns);
    this.docs.set(doc.id, doc);
    for (const index of this.indexes.values()) index.add(doc);
    this.sink()?.put(this.ns, doc.raw);
  }

  replace(before: StoredDoc, after: StoredDoc): void {
    if (after.id !== before.id) {
      throw new StoreError(ErrorCodes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    for (const index of this.indexes.values()) index.checkUnique(after, this.ns, before.id);
    for (const index of this.indexes.values()) index.remove(before);
    this.docs.set(after.id, after);
    for (const index of this.indexes.values()) index.add(after);
    this.sink()?.put(this.ns, after.raw);
  }

  remove(doc: StoredDoc): void {
    if (!this.docs.delete(doc.id)) return;
    for (const index of this.indexes.values()) index.remove(doc);
    this.sink()?.remove(this.ns, serialize({ _id: doc.view._id }));
  }

  /** Adds an index over the existing documents; refuses (changing nothing) on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new Index(spec);
    if (spec.unique) {
      for (const doc of this.docs.values()) {
        index.checkUnique(doc, this.ns);
        index.add(doc);
      }
    } else {
      for (const doc of this.docs.values()) index.add(doc);
    }
    this.indexes.set(spec.name, index);
  }

  /**
   * The documents that may match `filter`: from the most selective usable index, else all.
   * Callers still test each one against the filter.
   */
  candidates(filter: Document): Iterable<StoredDoc> {
    const id = filter._id;
    if (id !== undefined) {
      const ids = idEqualities(id);
      if (ids) return ids.map((v) => this.docs.get(hashKey(v))).filter((d): d is StoredDoc => d !== undefined);
    }
    let best: StoredDoc[] | undefined;
    for (const index of this.indexes.values()) {
      const ranges = index.rangesFor(filter);
      if (!ranges) continue;
      const found = index.lookup(ranges);
      if (!best || found.length < best.length) best = found;
      if (best.length <= 1) break;
    }
    return best ?? this.docs.values();
  }

  /** Matching documents, in natural order or by index; at most `limit` of them when given. */
  find(filter: Document, query: Query, limit = Infinity): StoredDoc[] {
    const out: StoredDoc[] = [];
    const test = withoutIdList(filter) ?? query;
    for (const doc of this.candidates(filter)) {
      if (out.length >= limit) break;
      if (test.test(doc.view)) out.push(doc);
    }
    return out;
  }

  /**
   * The first `want` matches in `sort` order, read in that order from an index that holds them so
   * (see Index.orderedRanges) rather than collected whole and sorted: the notifier's claim (the 8
   * earliest due of a backlog of thousands) reads a few entries, not the backlog. Undefined when
   * no index serves the sort, or when the filter also narrows another index and the walk reads
   * more than WALK_BUDGET entries per match wanted (that index may well have been the cheaper way).
   */
  findOrdered(filter: Document, query: Query, sort: SortSpec, want: number): StoredDoc[] | undefined {
    if (filter._id !== undefined) return undefined; // by id: a few candidates, sorted in no time
    const indexes = [...this.indexes.values()];
    for (const index of indexes) {
      const plan = index.orderedRanges(filter, sort);
      if (!plan) continue;
      const rival = indexes.some((other) => other !== index && other.rangesFor(filter));
      let budget = rival ? WALK_BUDGET * want : Infinity;
      const out: StoredDoc[] = [];
      let gaveUp = false;
      for (const range of plan.ranges) {
        let taken = 0;
        index.walk(range, plan.reverse, (doc) => {
          if (query.test(doc.view)) taken = out.push(doc) && taken + 1;
          if (taken >= want) return false;
          budget -= 1;
          gaveUp = budget <= 0;
          return !gaveUp;
        });
        if (gaveUp) return undefined;
      }
      if (plan.ranges.length > 1) out.sort((a, b) => compareBySort(sort, a.view, b.view));
      return out.slice(0, want);
    }
    return undefined;
  }

  specs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }
}

/** Entries an ordered walk may read per match wanted while another index could answer instead. */
const WALK_BUDGET = 32;

/** Above this many values, an `_id: { $in }` is not tested again on each candidate (see withoutIdList). */
const ID_LIST_RETEST_MAX = 16;

/**
 * The filter's test without its `_id: { $in: [...] }`, for a long list: the candidates are then
 * exactly the documents with one of those ids (looked up by id), and mingo's $in builds a hash of
 * the whole list for every document it tests, so a find of n ids cost n² (a bulk decision's 1,500
 * outbox keys: over 2 million hash insertions). Undefined when the filter's own test is needed.
 */
function withoutIdList(filter: Document): Query | undefined {
  const id = filter._id as Document | undefined;
  if (!id || typeof id !== 'object' || !Array.isArray(id.$in) || id.$in.length <= ID_LIST_RETEST_MAX || !idEqualities(id)) return undefined;
  const { _id: _ignored, ...rest } = filter;
  return compileQuery(rest);
}

/** A value an _id can equal as written: a scalar, a BSON value, or a document without operators. */
function isIdValue(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || v instanceof Date || (v as { _bsontype?: string })._bsontype) return true;
  if (Array.isArray(v) || v instanceof RegExp) return false;
  return !Object.keys(v).some((k) => k.startsWith('$'));
}

/** The _id values a condition on _id allows (equality, $eq or $in), or undefined for others. */
function idEqualities(condition: unknown): unknown[] | undefined {
  if (isIdValue(condition)) return [condition];
  const c = condition as Document;
  const keys = Object.keys(c);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq' && isIdValue(c.$eq)) return [c.$eq];
  if (keys[0] === '$in' && Array.isArray(c.$in) && c.$in.every(isIdValue)) return c.$in;
  return undefined;
}
