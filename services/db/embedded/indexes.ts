// Secondary indexes: a B+ tree of (key values…, document id) per index, so equality and range
// lookups touch only matching entries, and unique checks are a tree probe.
import BTree from 'sorted-btree';
import { Document } from 'bson';
import { Query } from 'mingo';
import { compareValues, hashKey, isPlainObject, typeRank, valuesAtPath, type SortSpec } from './values';
import { ErrorCodes, StoreError } from './errors';

export interface StoredDoc {
  /** hashKey(_id): the primary key. */
  readonly id: string;
  /** The document exactly as stored. */
  readonly raw: Uint8Array;
  /** The query engine's view of it. */
  readonly view: Document;
}

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/** A sentinel below (edge -1) or above (edge 1) every value of one BSON type rank. */
class Bound {
  constructor(readonly rank: number, readonly edge: -1 | 1) {}
}
const LOWEST = new Bound(-Infinity, -1);
const HIGHEST = new Bound(Infinity, 1);

function comparePart(a: unknown, b: unknown): number {
  if (a instanceof Bound) {
    if (b instanceof Bound) return a.rank - b.rank || a.edge - b.edge;
    return a.rank - typeRank(b) || a.edge;
  }
  if (b instanceof Bound) return -comparePart(b, a);
  return compareValues(a, b);
}

/** Tree keys: the indexed values, then the document id (so equal values still sort apart). */
type Entry = unknown[];

/** A key prefix filled up to the full entry width with a bound. */
const pad = (prefix: unknown[], width: number, bound: Bound): Entry =>
  [...prefix, ...Array(width + 1 - prefix.length).fill(bound)];

export interface Range {
  low: Entry;
  high: Entry;
}

/** Where an index's entries for a filter lie, and how many leading fields each range fixes to one value. */
interface Plan {
  ranges: Range[];
  fixed: number;
}

export class Index {
  readonly paths: string[][];
  private readonly tree: BTree<Entry, StoredDoc>;
  private readonly compare: (a: Entry, b: Entry) => number;
  private readonly partial?: Query;
  /** Set once a document holds an array on an indexed path: its entries are then per element. */
  private multikey = false;

  constructor(readonly spec: IndexSpec) {
    this.paths = Object.keys(spec.key).map((field) => field.split('.'));
    const width = this.paths.length;
    this.compare = (a, b) => {
      for (let i = 0; i <= width; i += 1) {
        const c = comparePart(a[i], b[i]);
        if (c !== 0) return c;
      }
      return 0;
    };
    this.tree = new BTree<Entry, StoredDoc>(undefined, this.compare);
    if (spec.partialFilterExpression) this.partial = new Query(spec.partialFilterExpression);
  }

  get name(): string { return this.spec.name; }
  get size(): number { return this.tree.size; }
  /** Partial and sparse indexes do not hold every document, so they cannot answer a query alone. */
  get complete(): boolean { return !this.partial && !this.spec.sparse; }

  /** Every key tuple a document has in this index (several when a field is an array), or none. */
  keysOf(view: Document): Entry[] {
    if (this.partial && !this.partial.test(view)) return [];
    const perField = this.paths.map((p) => {
      const values = valuesAtPath(view, p);
      return values.length ? values.map((v) => (v === undefined ? null : v)) : [null];
    });
    if (this.spec.sparse && this.paths.every((p) => valuesAtPath(view, p).length === 0)) return [];
    let tuples: Entry[] = [[]];
    for (const values of perField) {
      const seen = new Set<string>();
      const distinct = values.filter((v) => { const k = hashKey(v); return seen.has(k) ? false : (seen.add(k), true); });
      tuples = tuples.flatMap((t) => distinct.map((v) => [...t, v]));
    }
    return tuples;
  }

  /** Throws E11000 if another document already holds one of these keys in a unique index. */
  checkUnique(doc: StoredDoc, ns: string, ignoreId?: string): void {
    if (!this.spec.unique) return;
    for (const key of this.keysOf(doc.view)) {
      let clash: StoredDoc | undefined;
      this.tree.forRange([...key, LOWEST], [...key, HIGHEST], true, (_k, other) => {
        if (other.id !== doc.id && other.id !== ignoreId) clash = other;
        return clash ? { break: true } : undefined;
      });
      if (clash) throw duplicateKey(ns, this, key);
    }
  }

  add(doc: StoredDoc): void {
    if (!this.multikey && this.paths.some((p) => touchesArray(doc.view, p))) this.multikey = true;
    for (const key of this.keysOf(doc.view)) this.tree.set([...key, doc.id], doc);
  }

  remove(doc: StoredDoc): void {
    for (const key of this.keysOf(doc.view)) this.tree.delete([...key, doc.id]);
  }

  /** Documents whose entries fall in the given ranges, each once. */
  lookup(ranges: Range[]): StoredDoc[] {
    const found = new Map<string, StoredDoc>();
    for (const { low, high } of ranges) {
      this.tree.forRange(low, high, true, (_k, doc) => { found.set(doc.id, doc); });
    }
    return [...found.values()];
  }

  /** Documents whose first key field holds a value below `limit` (for TTL expiry). */
  below(limit: unknown): StoredDoc[] {
    const found = new Map<string, StoredDoc>();
    const width = this.paths.length;
    const low = pad([new Bound(typeRank(limit), -1)], width, LOWEST);
    this.tree.forRange(low, pad([limit], width, LOWEST), false, (_k, doc) => { found.set(doc.id, doc); });
    return [...found.values()];
  }

  /**
   * The ranges of this index that hold every document matching `filter`, or undefined when the
   * filter does not constrain the index's first field in a way an index can answer.
   */
  rangesFor(filter: Document): Range[] | undefined {
    return this.plan(filter)?.ranges;
  }

  /**
   * Ranges whose entries, read in tree order (or backwards: `reverse`), come in `sort` order: the
   * filter fixes the leading fields to one value per range, and the sort asks for the fields that
   * follow, all in one direction. Undefined otherwise, and for a multikey index (its entries are
   * per array element, and a document sorts by its smallest or largest one).
   */
  orderedRanges(filter: Document, sort: SortSpec): { ranges: Range[]; reverse: boolean } | undefined {
    if (this.multikey) return undefined;
    const plan = this.plan(filter);
    if (!plan) return undefined;
    const fixed = new Set(this.paths.slice(0, plan.fixed).map((p) => p.join('.')));
    const rest = sort.filter(([path]) => !fixed.has(path.join('.')));
    if (rest.length > this.paths.length - plan.fixed) return undefined;
    const direction = rest[0]?.[1] ?? 1;
    const inOrder = rest.every(([path, d], i) => d === direction && path.join('.') === this.paths[plan.fixed + i].join('.'));
    return inOrder ? { ranges: plan.ranges, reverse: direction === -1 } : undefined;
  }

  /** Hands `visit` the documents of one range in tree order (or backwards) until it returns false. */
  walk(range: Range, reverse: boolean, visit: (doc: StoredDoc) => boolean): void {
    if (!reverse) {
      this.tree.forRange(range.low, range.high, true, (_k, doc) => (visit(doc) ? undefined : { break: true }));
      return;
    }
    for (const [key, doc] of this.tree.entriesReversed(range.high)) {
      if (this.compare(key, range.low) < 0 || !visit(doc)) return;
    }
  }

  /**
   * Equalities on the leading fields (one range per combination of their values), then a range
   * on the next field when the filter bounds it, as MongoDB builds index bounds.
   */
  private plan(filter: Document): Plan | undefined {
    if (!this.complete) return undefined;
    const conditions = this.paths.map((p) => conditionOn(filter, p.join('.')));
    const width = this.paths.length;
    let prefixes: unknown[][] = [[]];
    let fixed = 0;
    for (; fixed < width; fixed += 1) {
      const eq = conditions[fixed] === undefined ? undefined : equalityValues(conditions[fixed]);
      if (!eq || (fixed > 0 && prefixes.length * eq.length > 64)) break;
      prefixes = prefixes.flatMap((p) => eq.map((v) => [...p, v]));
    }
    const next = fixed < width ? conditions[fixed] : undefined;
    const range = next === undefined ? undefined : rangeBounds(next, this.multikey);
    if (fixed === 0 && !range) return undefined;
    const ranges = prefixes.map((p) => (range
      ? { low: pad([...p, range[0]], width, LOWEST), high: pad([...p, range[1]], width, HIGHEST) }
      : { low: pad(p, width, LOWEST), high: pad(p, width, HIGHEST) }));
    return { ranges, fixed };
  }
}

/** Whether the path passes through (or ends on) an array in this document. */
function touchesArray(doc: unknown, path: string[]): boolean {
  let value = doc;
  for (const part of path) {
    if (Array.isArray(value)) return true;
    if (!isPlainObject(value)) return false;
    value = value[part];
  }
  return Array.isArray(value);
}

export function duplicateKey(ns: string, index: { name: string; paths: string[][] }, key: unknown[]): StoreError {
  const keyValue: Document = {};
  const keyPattern: Document = {};
  index.paths.forEach((p, i) => { keyValue[p.join('.')] = key[i]; keyPattern[p.join('.')] = 1; });
  const shown = Object.entries(keyValue).map(([k, v]) => `${k}: ${JSON.stringify(v) ?? 'null'}`).join(', ');
  return new StoreError(
    ErrorCodes.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${shown} }`,
    { keyPattern, keyValue },
  );
}

/** The condition a filter puts on one field, looking through a top-level $and. */
function conditionOn(filter: Document, field: string): unknown {
  if (field in filter) return filter[field];
  if (Array.isArray(filter.$and)) {
    for (const clause of filter.$and) {
      if (isPlainObject(clause)) {
        const c = conditionOn(clause, field);
        if (c !== undefined) return c;
      }
    }
  }
  return undefined;
}

const isOperatorObject = (v: unknown): v is Document =>
  isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

const isIndexableScalar = (v: unknown) => !Array.isArray(v) && !(v instanceof RegExp)
  && !(isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$')))
  && (v as { _bsontype?: string } | null)?._bsontype !== 'BSONRegExp';

function equalityValues(condition: unknown): unknown[] | undefined {
  if (!isOperatorObject(condition)) return isIndexableScalar(condition) ? [condition] : undefined;
  const keys = Object.keys(condition);
  if (keys.length === 1 && keys[0] === '$eq' && isIndexableScalar(condition.$eq)) return [condition.$eq];
  if (keys.length === 1 && keys[0] === '$in' && Array.isArray(condition.$in)
    && condition.$in.length <= 256 && condition.$in.every(isIndexableScalar)) return condition.$in;
  return undefined;
}

/**
 * [low, high] covering $gt/$gte/$lt/$lte on one value type, as MongoDB brackets types. On a
 * multikey index only one side bounds: each operator may be met by a different array element.
 */
function rangeBounds(condition: unknown, multikey: boolean): [unknown, unknown] | undefined {
  if (!isOperatorObject(condition)) return undefined;
  let low: unknown;
  let high: unknown;
  for (const [op, v] of Object.entries(condition)) {
    if (!isIndexableScalar(v) || isPlainObject(v)) return undefined;
    if (op === '$gt' || op === '$gte') low = v;
    else if (op === '$lt' || op === '$lte') high = v;
  }
  if (low === undefined && high === undefined) return undefined;
  if (low !== undefined && high !== undefined && typeRank(low) !== typeRank(high)) return undefined;
  if (multikey && low !== undefined) high = undefined;
  const rank = typeRank(low ?? high);
  return [low ?? new Bound(rank, -1), high ?? new Bound(rank, 1)];
}
