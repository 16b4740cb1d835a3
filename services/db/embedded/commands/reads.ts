// find, getMore, killCursors, count, distinct.
import { Document, Long } from 'bson';
import {
  CommandContext, Handler, checkHint, collectionName, cursorId, cursorResponse, filterOf,
  optionalBoolean, optionalDocument, optionalInteger, refuseUnknownFields, refuseUnsupported, streamOf,
} from './context';
import { StoredDoc } from '../indexes';
import { cursorReply } from '../wire';
import { ErrorCodes, StoreError } from '../errors';
import { compareBySort, exactOf, hashKey, isPlainObject, parseSort, retype, serialize, valuesAtPath } from '../values';
import { compileQuery } from '../query';
import { rawProjector } from '../rawProjection';

/** The documents a filter selects, sorted, skipped and limited. */
export function select(ctx: CommandContext, name: string, filter: Document, options: { sort?: unknown; skip?: number; limit?: number } = {}): StoredDoc[] {
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) return [];
  const sort = parseSort(options.sort);
  const query = compileQuery(filter);
  const skip = options.skip ?? 0;
  const limit = options.limit ?? 0;
  // Sorted and limited: read in order from an index where one holds that order.
  let docs = sort && limit ? coll.findOrdered(filter, query, sort, skip + limit) : undefined;
  if (!docs) {
    // Without a sort, the first skip + limit matches are the answer: stop looking there.
    docs = coll.find(filter, query, !sort && limit ? skip + limit : Infinity);
    if (sort) docs.sort((a, b) => compareBySort(sort, a.view, b.view));
  }
  if (skip || limit) docs = docs.slice(skip, limit ? skip + limit : undefined);
  return docs;
}

/** Encodes a stored document for a reply: as stored, or projected with its exact types kept. */
export function encoderFor(filter: Document, projection: Document | undefined): (doc: StoredDoc) => Uint8Array {
  if (!projection || Object.keys(projection).length === 0) return (doc) => doc.raw;
  const query = compileQuery(filter);
  query.find([], projection); // refuses an invalid projection before any document is read
  const plain = rawProjector(projection);
  if (plain) return (doc) => plain(doc.raw);
  const entries = Object.entries(projection);
  const isSlice = (v: unknown) => isPlainObject(v) && Object.keys(v).length === 1 && '$slice' in v;
  // MongoDB treats a projection of only $slice (and exclusions) as "everything, arrays cut".
  const sliceOnly = entries.some(([, v]) => isSlice(v)) && entries.every(([, v]) => isSlice(v) || v === 0 || v === false);
  const exclusions = Object.fromEntries(entries.filter(([, v]) => !isSlice(v)));
  return (doc) => {
    let projected: Document;
    if (sliceOnly) {
      const [sliced] = query.find([doc.view], projection).all() as Document[];
      [projected] = query.find([doc.view], Object.keys(exclusions).length ? exclusions : { _id: 1, ...allFields(doc.view) }).all() as Document[];
      for (const [path, v] of entries) if (isSlice(v) && path in projected && path in sliced) projected[path] = sliced[path];
    } else {
      [projected] = query.find([doc.view], projection).all() as Document[];
    }
    return serialize(retype(orderLike(projected, doc.view), exactOf(doc.raw)) as Document);
  };
}

const allFields = (view: Document) => Object.fromEntries(Object.keys(view).map((k) => [k, 1]));

/** A projection keeps the stored field order (mingo follows the projection's order). */
export function orderLike(out: Document, source: Document): Document {
  const ordered: Document = {};
  for (const key of Object.keys(source)) {
    if (!(key in out)) continue;
    ordered[key] = isPlainObject(out[key]) && isPlainObject(source[key]) ? orderLike(out[key], source[key]) : out[key];
  }
  for (const key of Object.keys(out)) if (!(key in ordered)) ordered[key] = out[key];
  return ordered;
}

const FIND_FIELDS = ['filter', 'projection', 'sort', 'hint', 'skip', 'limit', 'batchSize', 'singleBatch', 'let', 'collation',
  'max', 'min', 'returnKey', 'showRecordId', 'tailable', 'oplogReplay', 'noCursorTimeout', 'awaitData', 'allowPartialResults',
  'allowDiskUse', 'readOnce', 'ntoreturn', 'rawData'];

export const readCommands: Record<string, Handler> = {
  find: (ctx) => {
    const name = collectionName(ctx, 'find');
    const { body } = ctx.cmd;
    refuseUnknownFields(body, 'find', FIND_FIELDS);
    refuseUnsupported(body, ['collation', 'tailable', 'awaitData', 'min', 'max', 'returnKey', 'showRecordId'], 'find');
    checkHint(ctx, name, body.hint);
    const filter = filterOf(body, 'filter');
    const projection = optionalDocument(body, 'projection');
    const rawLimit = optionalInteger(body, 'limit', -Infinity) ?? 0;
    const docs = select(ctx, name, filter, {
      sort: optionalDocument(body, 'sort'),
      skip: optionalInteger(body, 'skip'),
      limit: Math.abs(rawLimit),
    });
    const singleBatch = Boolean(optionalBoolean(body, 'singleBatch')) || rawLimit < 0;
    const batch = optionalInteger(body, 'batchSize') ?? 101;
    return cursorResponse(ctx, `${ctx.db}.${name}`, streamOf(docs, encoderFor(filter, projection)), batch, singleBatch);
  },

  getMore: (ctx) => {
    const id = cursorId(ctx.cmd.body.getMore);
    const name = ctx.cmd.body.collection;
    if (typeof name !== 'string') throw new StoreError(ErrorCodes.TypeMismatch, "BSON field 'getMore.collection' is missing or not a string");
    const ns = `${ctx.db}.${name}`;
    const cursor = ctx.engine.cursor(id, ns);
    const { docs, done } = cursor.stream.take(optionalInteger(ctx.cmd.body, 'batchSize') || Infinity);
    if (done) ctx.engine.closeCursor(id);
    return cursorReply(docs, done ? Long.ZERO : id, ns, 'nextBatch');
  },

  killCursors: (ctx) => {
    collectionName(ctx, 'killCursors');
    const ids = ctx.cmd.body.cursors;
    if (!Array.isArray(ids)) throw new StoreError(ErrorCodes.TypeMismatch, "BSON field 'cursors' must be an array");
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = cursorId(raw);
      (ctx.engine.closeCursor(id) ? killed : notFound).push(id);
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },

  count: (ctx) => {
    const name = collectionName(ctx, 'count');
    const { body } = ctx.cmd;
    refuseUnsupported(body, ['collation'], 'count');
    checkHint(ctx, name, body.hint);
    const filter = filterOf(body, 'query');
    const coll = ctx.engine.collection(ctx.db, name);
    const skip = optionalInteger(body, 'skip') ?? 0;
    const limit = Math.abs(optionalInteger(body, 'limit', -Infinity) ?? 0);
    let n = !coll ? 0 : Object.keys(filter).length === 0 ? coll.docs.size : coll.find(filter, compileQuery(filter)).length;
    n = Math.max(0, n - skip);
    return { n: limit ? Math.min(n, limit) : n, ok: 1 };
  },

  distinct: (ctx) => {
    const name = collectionName(ctx, 'distinct');
    const { key } = ctx.cmd.body;
    if (typeof key !== 'string') throw new StoreError(ErrorCodes.TypeMismatch, "BSON field 'distinct.key' is missing or not a string");
    refuseUnsupported(ctx.cmd.body, ['collation'], 'distinct');
    const docs = select(ctx, name, filterOf(ctx.cmd.body, 'query'));
    // Strings (the common case: the roster reads 10,000 long ones) are their own key; other
    // values are keyed by what MongoDB counts as equal (1, 1.0 and Long(1) alike). MongoDB
    // promises no order, so strings come first.
    const strings = new Set<string>();
    const others = new Map<string, unknown>();
    const path = key.split('.');
    const add = (value: unknown) => {
      if (typeof value === 'string') strings.add(value);
      else if (value !== undefined) {
        const k = hashKey(value);
        if (!others.has(k)) others.set(k, value);
      }
    };
    for (const doc of docs) {
      for (const v of valuesAtPath(doc.view, path)) {
        if (Array.isArray(v)) v.forEach(add);
        else add(v);
      }
    }
    return { values: [...strings, ...others.values()], ok: 1 };
  },
};
