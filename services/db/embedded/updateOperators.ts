// Where MongoDB's update operators are stricter or more exact than the query engine's, the
// statement is checked and rewritten before the engine applies it:
// - $inc / $mul on a non-number and $push / $addToSet on a non-array are refused (not skipped);
// - $inc keeps exact widths (Int32 + Int32 = Int32, Long arithmetic beyond 2^53 stays exact);
// - $addToSet compares sub-documents with their field order, as BSON equality does;
// - $currentDate writes a Date, or a Timestamp when asked for one.
import { Document, Double, Int32, Long, Timestamp } from 'bson';
import { ErrorCodes, StoreError } from './errors';
import { hashKey, isPlainObject, toNumber } from './values';

type Bsontyped = { _bsontype?: string };
const typeOf = (v: unknown) => (v as Bsontyped | null)?._bsontype ?? (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The value at a plain dotted path (no positional operators), or undefined. */
function valueAt(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(part)) v = v[Number(part)];
    else if (isPlainObject(v)) v = v[part];
    else return undefined;
  }
  return v;
}

const isNumeric = (v: unknown) => typeof v === 'number' || ['Int32', 'Long', 'Double', 'Decimal128'].includes(typeOf(v));

/** Exact $inc of two numbers: widths as MongoDB widens them. */
function exactSum(current: unknown, delta: unknown): unknown {
  const types = [typeOf(current ?? new Int32(0)), typeOf(delta)];
  if (types.includes('Decimal128')) return undefined; // left to the engine
  if (types.includes('Double')) {
    return new Double(toNumber(current ?? 0) + toNumber(delta));
  }
  const toLong = (v: unknown) => (typeOf(v) === 'Long' ? (v as Long) : Long.fromNumber(toNumber(v ?? 0)));
  const sum = toLong(current).add(toLong(delta));
  if (types.includes('Long')) return sum;
  return sum.greaterThan(Long.fromNumber(2147483647)) || sum.lessThan(Long.fromNumber(-2147483648)) ? sum : new Int32(sum.toNumber());
}

const promoted = (v: unknown) => (typeOf(v) === 'Long' && Number.isSafeInteger(toNumber(v))) || ['Int32', 'Double'].includes(typeOf(v)) ? toNumber(v) : v;

export interface Modifiers {
  view: Document;
  exact: Document;
}

export function prepareModifiers(doc: Document, exactDoc: Document, { view, exact }: Modifiers, describeId: string): Modifiers {
  const out: Modifiers = { view: { ...view }, exact: { ...exact } };
  const set = (path: string, viewValue: unknown, exactValue: unknown) => {
    if (out.view.$set && path in out.view.$set) {
      throw new StoreError(ErrorCodes.ConflictingUpdateOperators, `Updating the path '${path}' would create a conflict at '${path}'`);
    }
    out.view.$set = { ...(out.view.$set ?? {}), [path]: viewValue };
    out.exact.$set = { ...(out.exact.$set ?? {}), [path]: exactValue };
  };
  const plain = (path: string) => !path.includes('$');

  for (const op of ['$inc', '$mul'] as const) {
    for (const path of Object.keys(view[op] ?? {}).filter(plain)) {
      const current = valueAt(doc, path);
      if (current !== undefined && !isNumeric(current)) {
        throw new StoreError(ErrorCodes.TypeMismatch, `Cannot apply ${op} to a value of non-numeric type. {_id: ${describeId}} has the field '${path}' of non-numeric type ${typeOf(current)}`);
      }
    }
  }
  if (isPlainObject(view.$inc)) {
    const inc: Document = { ...view.$inc };
    for (const path of Object.keys(inc).filter(plain)) {
      const result = exactSum(valueAt(exactDoc, path), exact.$inc[path]);
      if (result === undefined) continue;
      delete inc[path];
      set(path, promoted(result), result);
    }
    if (Object.keys(inc).length) out.view.$inc = inc; else delete out.view.$inc;
    delete out.exact.$inc;
  }
  for (const op of ['$push', '$addToSet'] as const) {
    for (const path of Object.keys(view[op] ?? {}).filter(plain)) {
      const current = valueAt(doc, path);
      if (current !== undefined && !Array.isArray(current)) {
        throw new StoreError(ErrorCodes.BadValue, `The field '${path}' must be an array but is of type ${typeOf(current)} in document {_id: ${describeId}}`);
      }
    }
  }
  if (isPlainObject(view.$addToSet)) {
    // As $push of the values not present yet, compared by exact BSON equality (field order too).
    const push: Document = { ...(out.view.$push ?? {}) };
    for (const [path, arg] of Object.entries(view.$addToSet)) {
      const values = isPlainObject(arg) && Array.isArray(arg.$each) ? arg.$each : [arg];
      const seen = new Set(((valueAt(doc, path) as unknown[] | undefined) ?? []).map(hashKey));
      const fresh = values.filter((v) => (seen.has(hashKey(v)) ? false : (seen.add(hashKey(v)), true)));
      if (path in push) throw new StoreError(ErrorCodes.ConflictingUpdateOperators, `Updating the path '${path}' would create a conflict at '${path}'`);
      push[path] = { $each: fresh };
    }
    out.view.$push = push;
    delete out.view.$addToSet;
  }
  if (isPlainObject(view.$currentDate)) {
    const now = new Date();
    for (const [path, how] of Object.entries(view.$currentDate)) {
      const type = isPlainObject(how) ? how.$type : 'date';
      if (how !== true && type !== 'date' && type !== 'timestamp') {
        throw new StoreError(ErrorCodes.BadValue, `The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {${path}: ...}}`);
      }
      const value = type === 'timestamp' ? new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 }) : now;
      set(path, value, value);
    }
    delete out.view.$currentDate;
    delete out.exact.$currentDate;
  }
  return out;
}
