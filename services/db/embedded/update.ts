// Applying one update statement to one document: operator updates and pipelines through the
// query engine (mingo), replacements as given, and the document an upsert inserts.
import { Document, ObjectId } from 'bson';
import { Aggregator } from 'mingo';
import { StoredDoc } from './indexes';
import { ErrorCodes, StoreError, badValue } from './errors';
import { exactOf, hashKey, isPlainObject, retype, serialize, toNumber, viewOf } from './values';
import { engineOptions } from './engineOptions';
import { prepareModifiers } from './updateOperators';
import { applyOperators } from './applyOperators';

export interface UpdateSpec {
  /** As the query engine reads it (numbers promoted). */
  view: Document | Document[];
  /** The same statement with exact number types, for the values it writes. */
  exact: Document | Document[];
  arrayFilters?: Document[];
}

export type NewDocument = Pick<StoredDoc, 'raw' | 'view'>;

export const isOperatorUpdate = (u: Document | Document[]): u is Document =>
  !Array.isArray(u) && Object.keys(u).length > 0 && Object.keys(u).every((k) => k.startsWith('$'));

export function validateUpdate(u: unknown): void {
  if (Array.isArray(u)) {
    if (!u.every(isPlainObject)) throw badValue('an update pipeline must be an array of stages');
    return;
  }
  if (!isPlainObject(u)) throw new StoreError(ErrorCodes.FailedToParse, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length && ops.length !== keys.length) {
    throw new StoreError(ErrorCodes.FailedToParse, `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  for (const op of ops) {
    if (!isPlainObject(u[op])) {
      throw new StoreError(ErrorCodes.FailedToParse, `Modifiers operate on fields but we found type ${typeof u[op]} instead. For example: {$mod: {<field>: ...}} not {$set: ${JSON.stringify(u[op])}}`);
    }
  }
}

/** The document an update produces from `before`; `inserting` when it is an upsert's new one. */
export function updatedDocument(before: NewDocument, spec: UpdateSpec, filter: Document, inserting: boolean): NewDocument {
  const original = exactOf(before.raw);
  let exact: Document;
  if (Array.isArray(spec.view)) {
    const [out] = new Aggregator(spec.view, engineOptions()).run([viewOf(before.raw)]) as Document[];
    if (!out) throw badValue('the update pipeline removed the document');
    exact = retype(out, original) as Document;
  } else if (!isOperatorUpdate(spec.view)) {
    const { _id: newId, ...rest } = spec.exact as Document;
    if (newId !== undefined && original._id !== undefined && hashKey(newId) !== hashKey(original._id)) {
      throw new StoreError(ErrorCodes.ImmutableField, "After applying the update, the (immutable) field '_id' was found to have been altered");
    }
    exact = { _id: original._id ?? newId, ...rest };
    if (exact._id === undefined) delete exact._id;
  } else {
    let modifier: Document = { ...spec.view };
    let exactModifier: Document = { ...(spec.exact as Document) };
    if (modifier.$setOnInsert) {
      if (inserting) {
        modifier.$set = { ...modifier.$setOnInsert, ...(modifier.$set ?? {}) };
        exactModifier.$set = { ...exactModifier.$setOnInsert, ...(exactModifier.$set ?? {}) };
      }
      delete modifier.$setOnInsert;
      delete exactModifier.$setOnInsert;
    }
    const view = viewOf(before.raw);
    ({ view: modifier, exact: exactModifier } = prepareModifiers(view, original, { view: modifier, exact: exactModifier }, JSON.stringify(view._id) ?? 'null'));
    if (Object.keys(modifier).length) applyOperators(view, modifier, spec.arrayFilters, inserting ? undefined : filter);
    exact = retype(view, original) as Document;
    keepExactSetValues(exact, view, exactModifier.$set);
  }
  if (exact._id === undefined) exact = { _id: new ObjectId(), ...exact };
  const raw = serialize(exact);
  return { raw, view: viewOf(raw) };
}

/** `$set: { n: Double(1) }` writes a Double, not the Int32 the promoted value would become. */
function keepExactSetValues(exact: Document, view: Document, set: unknown): void {
  if (!isPlainObject(set)) return;
  for (const [path, value] of Object.entries(set)) {
    if (path.includes('$') || typeof value !== 'object' || value === null) continue;
    const parts = path.split('.');
    let target: unknown = exact;
    let seen: unknown = view;
    for (const part of parts.slice(0, -1)) {
      target = (target as Document | undefined)?.[part];
      seen = (seen as Document | undefined)?.[part];
    }
    const last = parts[parts.length - 1];
    const numeric = ['Int32', 'Double', 'Long', 'Decimal128'].includes((value as { _bsontype?: string })._bsontype ?? '');
    if (numeric && isPlainObject(target) && toNumber((seen as Document)?.[last]) === toNumber(value)) target[last] = value;
  }
}

/** What an upsert starts from: the filter's equality conditions, as fields. */
export function upsertBase(filter: Document): Document {
  const base: Document = {};
  const take = (f: Document) => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) { value.filter(isPlainObject).forEach(take); continue; }
      if (key.startsWith('$')) continue;
      let v: unknown = value;
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
        if (!('$eq' in value)) continue;
        v = value.$eq;
      }
      if (v instanceof RegExp) continue;
      setPath(base, key.split('.'), v);
    }
  };
  take(filter);
  return base;
}

function setPath(doc: Document, path: string[], value: unknown): void {
  let target = doc;
  for (const part of path.slice(0, -1)) {
    if (!isPlainObject(target[part])) target[part] = {};
    target = target[part] as Document;
  }
  target[path[path.length - 1]] = value;
}
