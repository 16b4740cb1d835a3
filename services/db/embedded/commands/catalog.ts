// Collections, databases and indexes.
import { Document } from 'bson';
import { Query } from 'mingo';
import {
  CommandContext, Handler, collectionName, cursorResponse, encodeDocument, filterOf, firstBatchSize,
  optionalBoolean, refuseUnsupported, streamOf,
} from './context';
import { ID_INDEX } from '../collection';
import { IndexSpec } from '../indexes';
import { ErrorCodes, StoreError } from '../errors';
import { hashKey, isPlainObject, toNumber } from '../values';
import { engineOptions } from '../engineOptions';
import { compileQuery } from '../query';

const INDEX_OPTIONS = new Set(['key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'background', 'v', 'ns', 'hidden']);

function indexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw new StoreError(ErrorCodes.TypeMismatch, 'each index specification must be an object');
  for (const option of Object.keys(raw)) {
    if (option === 'collation' || option === 'weights' || option === 'wildcardProjection') {
      throw new StoreError(ErrorCodes.NotImplemented, `index option '${option}' is not supported by the embedded store`);
    }
    if (!INDEX_OPTIONS.has(option)) {
      throw new StoreError(ErrorCodes.InvalidIndexSpecificationOption, `The field '${option}' is not valid for an index specification.`);
    }
  }
  const { key, name } = raw;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw new StoreError(ErrorCodes.CannotCreateIndex, "Index keys must be a non-empty object, e.g. { field: 1 }");
  }
  for (const [field, dir] of Object.entries(key)) {
    if (typeof dir === 'string') {
      throw new StoreError(ErrorCodes.NotImplemented, `index type '${dir}' (on ${field}) is not supported by the embedded store`);
    }
    const d = toNumber(dir);
    if (!Number.isFinite(d) || d === 0) throw new StoreError(ErrorCodes.CannotCreateIndex, `Values in the index key pattern can't be 0 or non-numeric: ${field}`);
  }
  if (typeof name !== 'string' || !name) throw new StoreError(ErrorCodes.CannotCreateIndex, 'The index specification must have a name');
  const spec: IndexSpec = { v: 2, key, name };
  if (raw.unique) spec.unique = true;
  if (raw.sparse) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression)) throw new StoreError(ErrorCodes.TypeMismatch, 'partialFilterExpression must be an object');
    new Query(raw.partialFilterExpression, engineOptions()); // refuses an invalid filter now, not on a later write
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) {
    const s = toNumber(raw.expireAfterSeconds);
    if (!Number.isInteger(s) || s < 0) throw new StoreError(ErrorCodes.CannotCreateIndex, 'expireAfterSeconds must be a non-negative whole number');
    if (Object.keys(key).length !== 1) throw new StoreError(ErrorCodes.CannotCreateIndex, 'TTL indexes are single-field indexes, compound indexes do not support TTL');
    spec.expireAfterSeconds = s;
  }
  return spec;
}

/** Two specs are the same index when everything but the name matches. */
const sameOptions = (a: IndexSpec, b: IndexSpec) =>
  hashKey({ ...a, name: '' }) === hashKey({ ...b, name: '' });

function existingCollection(ctx: CommandContext, name: string) {
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw new StoreError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  return coll;
}

export const catalogCommands: Record<string, Handler> = {
  create: (ctx) => {
    const name = collectionName(ctx, 'create');
    refuseUnsupported(ctx.cmd.body, ['capped', 'viewOn', 'timeseries', 'validator', 'clusteredIndex', 'collation', 'changeStreamPreAndPostImages'], 'create');
    // MongoDB 7: creating an existing collection with the same (here: no) options is a no-op.
    if (!ctx.engine.collection(ctx.db, name)) ctx.engine.createCollection(ctx.db, name, {});
    return { ok: 1 };
  },

  drop: (ctx) => {
    const name = collectionName(ctx, 'drop');
    const coll = existingCollection(ctx, name);
    const nIndexesWas = coll.indexes.size + 1;
    ctx.engine.dropCollection(ctx.db, name);
    return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
  },

  dropDatabase: (ctx) => {
    ctx.engine.dropDatabase(ctx.db);
    return { ok: 1 };
  },

  renameCollection: (ctx) => {
    if (ctx.db !== 'admin') throw new StoreError(ErrorCodes.Unauthorized, 'renameCollection may only be run against the admin database.');
    const from = String(ctx.cmd.body.renameCollection);
    const to = String(ctx.cmd.body.to);
    const split = (ns: string): [string, string] => {
      const dot = ns.indexOf('.');
      if (dot <= 0) throw new StoreError(ErrorCodes.InvalidNamespace, `Invalid namespace specified '${ns}'`);
      return [ns.slice(0, dot), ns.slice(dot + 1)];
    };
    const [fromDb, fromName] = split(from);
    const [toDb, toName] = split(to);
    ctx.engine.renameCollection(fromDb, fromName, toDb, toName, Boolean(optionalBoolean(ctx.cmd.body, 'dropTarget')));
    return { ok: 1 };
  },

  listCollections: (ctx) => {
    const filter = filterOf(ctx.cmd.body, 'filter');
    const query = compileQuery(filter);
    const nameOnly = optionalBoolean(ctx.cmd.body, 'nameOnly');
    const entries = ctx.engine.collections(ctx.db)
      .map((c) => ({
        name: c.name,
        type: 'collection',
        options: c.options,
        info: { readOnly: false, uuid: c.uuid },
        idIndex: ID_INDEX,
      }))
      .filter((e) => query.test(e))
      .map((e) => (nameOnly ? { name: e.name, type: e.type } : e));
    return cursorResponse(ctx, `${ctx.db}.$cmd.listCollections`, streamOf(entries, encodeDocument), firstBatchSize(ctx.cmd.body));
  },

  createIndexes: (ctx) => {
    const name = collectionName(ctx, 'createIndexes');
    const { indexes } = ctx.cmd.body;
    if (!Array.isArray(indexes) || indexes.length === 0) {
      throw new StoreError(ErrorCodes.BadValue, "Must specify at least one index to create in 'indexes'");
    }
    const specs = indexes.map(indexSpec);
    const existed = Boolean(ctx.engine.collection(ctx.db, name));
    const coll = ctx.engine.collectionForWrite(ctx.db, name);
    const before = coll.indexes.size + 1;
    const toCreate: IndexSpec[] = [];
    for (const spec of specs) {
      if (spec.name === ID_INDEX.name) continue;
      const sameName = coll.indexes.get(spec.name)?.spec ?? toCreate.find((s) => s.name === spec.name);
      if (sameName) {
        if (sameOptions(sameName, spec)) continue;
        throw new StoreError(ErrorCodes.IndexKeySpecsConflict, `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`);
      }
      const sameKey = [...coll.indexes.values()].map((i) => i.spec).find((s) => hashKey(s.key) === hashKey(spec.key));
      if (sameKey) {
        throw new StoreError(ErrorCodes.IndexOptionsConflict, `Index already exists with a different name: ${sameKey.name}`);
      }
      toCreate.push(spec);
    }
    for (const spec of toCreate) ctx.engine.createIndex(coll, spec);
    const reply: Document = {
      createdCollectionAutomatically: !existed,
      numIndexesBefore: before,
      numIndexesAfter: coll.indexes.size + 1,
      ok: 1,
    };
    if (toCreate.length === 0) reply.note = 'all indexes already exist';
    return reply;
  },

  listIndexes: (ctx) => {
    const name = collectionName(ctx, 'listIndexes');
    const coll = existingCollection(ctx, name);
    return cursorResponse(ctx, `${ctx.db}.$cmd.listIndexes.${name}`, streamOf<Document>(coll.specs(), encodeDocument), firstBatchSize(ctx.cmd.body));
  },

  dropIndexes: (ctx) => {
    const name = collectionName(ctx, 'dropIndexes');
    const coll = existingCollection(ctx, name);
    const nIndexesWas = coll.indexes.size + 1;
    const { index } = ctx.cmd.body;
    let names: string[];
    if (index === '*') names = [...coll.indexes.keys()];
    else if (typeof index === 'string') names = [index];
    else if (Array.isArray(index) && index.every((n) => typeof n === 'string')) names = index;
    else if (isPlainObject(index)) {
      const found = coll.specs().find((s) => hashKey(s.key) === hashKey(index));
      if (!found) throw new StoreError(ErrorCodes.IndexNotFound, `can't find index with key: ${JSON.stringify(index)}`);
      names = [found.name];
    } else {
      throw new StoreError(ErrorCodes.TypeMismatch, "BSON field 'index' must be a string, an array of strings or a key pattern");
    }
    for (const n of names) {
      if (n !== ID_INDEX.name && !coll.indexes.has(n)) throw new StoreError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
    }
    for (const n of names) ctx.engine.dropIndex(coll, n);
    return { nIndexesWas, ok: 1 };
  },
};
