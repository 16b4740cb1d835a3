// BSON values as the store sees them: MongoDB's comparison order (for sorts and indexes), an
// exact equality key (for unique indexes and _id), and the two forms a document lives in.
//
// A document is kept as its raw BSON bytes (exact types, returned as-is) and as a "view": the
// same document with numbers promoted to JS numbers, which is what the query engine reads.
import {
  Binary, BSON, Decimal128, Document, Double, Int32, Long, ObjectId, Timestamp,
} from 'bson';

type Bsontype = { _bsontype?: string };
const bsontype = (v: unknown): string | undefined =>
  (v !== null && typeof v === 'object' ? (v as Bsontype)._bsontype : undefined);

export const isNumberLike = (v: unknown): boolean => {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  const t = bsontype(v);
  return t === 'Int32' || t === 'Double' || t === 'Long' || t === 'Decimal128';
};

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (bsontype(v)) {
    case 'Int32': case 'Double': return (v as Int32 | Double).valueOf();
    case 'Long': return (v as Long).toNumber();
    case 'Decimal128': return Number((v as Decimal128).toString());
    default: return NaN;
  }
}

export const isPlainObject = (v: unknown): v is Document =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && bsontype(v) === undefined
  && !(v instanceof Date) && !(v instanceof RegExp) && !(v instanceof Uint8Array);

/** MongoDB's canonical order of BSON types. */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 2;
  if (isNumberLike(v)) return 3;
  if (typeof v === 'string') return 4;
  if (typeof v === 'boolean') return 9;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  if (Array.isArray(v)) return 6;
  switch (bsontype(v)) {
    case 'MinKey': return 1;
    case 'BSONSymbol': return 4;
    case 'Binary': return 7;
    case 'ObjectId': return 8;
    case 'Timestamp': return 11;
    case 'BSONRegExp': return 12;
    case 'Code': return 13;
    case 'MaxKey': return 100;
    default: return 5;
  }
}

const cmp = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Compares two BSON values in MongoDB's order (numbers of any width compare by value). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 3:
      if (bsontype(a) === 'Long' && bsontype(b) === 'Long') return (a as Long).compare(b as Long);
      return cmp(toNumber(a), toNumber(b));
    case 4: return cmp(String(a), String(b));
    case 5: return compareDocuments(a as Document, b as Document);
    case 6: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case 7: {
      const x = a as Binary;
      const y = b as Binary;
      return x.position - y.position || x.sub_type - y.sub_type || compareBytes(x.buffer, y.buffer);
    }
    case 8: return compareBytes((a as ObjectId).id, (b as ObjectId).id);
    case 9: return cmp(Number(a), Number(b));
    case 10: return cmp((a as Date).getTime(), (b as Date).getTime());
    case 11: return (a as Timestamp).compare(b as Timestamp);
    default: return cmp(String(a), String(b));
  }
}

function compareDocuments(a: Document, b: Document): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i += 1) {
    const c = typeRank(a[ka[i]]) - typeRank(b[kb[i]]) || cmp(ka[i], kb[i]) || compareValues(a[ka[i]], b[kb[i]]);
    if (c !== 0) return c;
  }
  return ka.length - kb.length;
}

/**
 * A string equal for exactly the values MongoDB treats as equal (1, 1.0 and Long(1) alike),
 * used to key the _id map and unique indexes.
 */
export function hashKey(v: unknown): string {
  if (v === undefined || v === null) return 'z';
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (isNumberLike(v)) {
    if (bsontype(v) === 'Long' && !Number.isSafeInteger(toNumber(v))) return `n${(v as Long).toString()}`;
    const n = toNumber(v);
    return `n${Object.is(n, -0) ? 0 : n}`;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r${String(v)}`;
  if (Array.isArray(v)) return `[${v.map(hashKey).join(',')}]`;
  switch (bsontype(v)) {
    case 'ObjectId': return `o${(v as ObjectId).toHexString()}`;
    case 'Binary': return `x${(v as Binary).sub_type}:${Buffer.from((v as Binary).value()).toString('base64')}`;
    case 'Timestamp': return `t${(v as Timestamp).toString()}`;
    case 'MinKey': return 'm';
    case 'MaxKey': return 'M';
    case undefined: break;
    default: return `${bsontype(v)}${JSON.stringify(v)}`;
  }
  const doc = v as Document;
  return `{${Object.keys(doc).map((k) => `${JSON.stringify(k)}:${hashKey(doc[k])}`).join(',')}}`;
}

/** Decimal128 becomes a JS number in the view, so the query engine can compare it. */
function promoteDecimals(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i += 1) v[i] = promoteDecimals(v[i]);
    return v;
  }
  if (bsontype(v) === 'Decimal128') return toNumber(v);
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) v[k] = promoteDecimals(v[k]);
  }
  return v;
}

/** The query engine's view of raw BSON. */
export function viewOf(raw: Uint8Array): Document {
  return promoteDecimals(BSON.deserialize(raw)) as Document;
}

/** Any value from a command (filter, update, pipeline), prepared like a view. */
export const asView = <T>(value: T): T => refuseWidthQueries(promoteDecimals(value)) as T;

const WIDTH_TYPES = new Set<unknown>(['int', 'long', 'double', 'decimal', 1, 16, 18, 19]);
const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/**
 * Views hold every number as a JS number, so two questions cannot be answered faithfully:
 * "$type: 'long'" (which width is it) and a range on a Long beyond 2^53. Both are refused
 * by name rather than answered wrongly. ($type: 'number' and exact Long equality work.)
 */
function refuseWidthQueries(v: unknown): unknown {
  if (Array.isArray(v)) v.forEach(refuseWidthQueries);
  else if (isPlainObject(v)) {
    for (const [k, inner] of Object.entries(v)) {
      if (k === '$type' && (Array.isArray(inner) ? inner : [inner]).some((t) => WIDTH_TYPES.has(t))) {
        throw new Error(`NotImplemented: $type ${JSON.stringify(inner)} is not supported by the embedded store (it does not tell number widths apart in queries); use $type: 'number'`);
      }
      const beyondSafe = bsontype(inner) === 'Long'
        || (typeof inner === 'number' && Number.isInteger(inner) && Math.abs(inner) >= 2 ** 53);
      if (RANGE_OPERATORS.has(k) && beyondSafe) {
        throw new Error(`NotImplemented: ${k} on a Long at or beyond 2^53 is not supported by the embedded store`);
      }
      refuseWidthQueries(inner);
    }
  }
  return v;
}

/** The exact form of raw BSON: numbers keep their width (Int32, Long, Double, Decimal128). */
export function exactOf(raw: Uint8Array): Document {
  return BSON.deserialize(raw, { promoteValues: false, promoteLongs: false });
}

export function serialize(doc: Document): Uint8Array {
  const size = BSON.calculateObjectSize(doc);
  const out = Buffer.alloc(size);
  BSON.serializeWithBufferAndIndex(doc, out);
  return out;
}

function isExactNumber(v: unknown): boolean {
  const t = bsontype(v);
  return t === 'Int32' || t === 'Double' || t === 'Long' || t === 'Decimal128';
}

/**
 * Gives a view-shaped result (after an update or a projection) back the exact number types of
 * the document it came from: a field whose value did not change keeps its original type, a
 * changed Long or Double stays a Long or Double. New values get the driver's default types.
 */
export function retype(value: unknown, original: unknown): unknown {
  if (original === undefined) return value;
  if (isExactNumber(original) && typeof value === 'number') {
    const before = toNumber(original);
    if (Object.is(value, before) || (value === before)) return original;
    switch (bsontype(original)) {
      case 'Long': return Number.isInteger(value) ? Long.fromNumber(value) : value;
      case 'Double': return new Double(value);
      case 'Decimal128': return Decimal128.fromString(String(value));
      default: return value;
    }
  }
  if (Array.isArray(value) && Array.isArray(original)) {
    // Elements only line up when the array kept its length.
    return value.length === original.length ? value.map((v, i) => retype(v, original[i])) : value;
  }
  if (isPlainObject(value) && isPlainObject(original)) {
    const out: Document = {};
    for (const k of Object.keys(value)) out[k] = retype(value[k], original[k]);
    return out;
  }
  return value;
}

/** The values at a dotted path, expanding arrays the way MongoDB indexes them (multikey). */
export function valuesAtPath(doc: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [doc];
  if (Array.isArray(doc)) {
    const index = /^\d+$/.test(path[0]) ? Number(path[0]) : -1;
    if (index >= 0 && index < doc.length) return valuesAtPath(doc[index], path.slice(1));
    return doc.flatMap((item) => (isPlainObject(item) ? valuesAtPath(item, path) : []));
  }
  if (!isPlainObject(doc)) return [];
  const next = doc[path[0]];
  if (next === undefined) return [];
  if (path.length === 1) return Array.isArray(next) ? (next.length ? next : [undefined]) : [next];
  return valuesAtPath(next, path.slice(1));
}

/** One value for sorting: the smallest element of an array ascending, the largest descending. */
export function sortValue(doc: unknown, path: string[], direction: 1 | -1): unknown {
  const values = valuesAtPath(doc, path);
  if (values.length === 0) return null;
  let best = values[0];
  for (const v of values.slice(1)) {
    if (compareValues(v, best) * direction < 0) best = v;
  }
  return best;
}

export type SortSpec = Array<[string[], 1 | -1]>;

export function parseSort(spec: unknown): SortSpec | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainObject(spec)) throw new Error('sort must be a document');
  const out: SortSpec = [];
  for (const [field, dir] of Object.entries(spec)) {
    const d = toNumber(dir);
    if (d !== 1 && d !== -1) {
      if (isPlainObject(dir) && '$meta' in dir) throw new Error(`sort by $meta is not supported: ${field}`);
      throw new Error(`Invalid sort direction for ${field}: ${JSON.stringify(dir)}`);
    }
    out.push([field.split('.'), d]);
  }
  return out.length ? out : undefined;
}

export function compareBySort(sort: SortSpec, a: Document, b: Document): number {
  for (const [path, dir] of sort) {
    const c = compareValues(sortValue(a, path, dir), sortValue(b, path, dir));
    if (c !== 0) return c * dir;
  }
  return 0;
}
