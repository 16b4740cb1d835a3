// insert, update, delete, findAndModify. A failing statement becomes a write error with its
// index; ordered batches stop there, unordered ones go on, as MongoDB does.
import { Document, ObjectId } from 'bson';
import {
  CommandContext, Handler, collectionName, filterOf, optionalBoolean, optionalDocument, statements,
} from './context';
import { encoderFor, select } from './reads';
import { Collection } from '../collection';
import { StoredDoc } from '../indexes';
import { ErrorCodes, StoreError, fromEngineError } from '../errors';
import { UpdateSpec, isOperatorUpdate, updatedDocument, upsertBase, validateUpdate } from '../update';
import { asView, exactOf, hashKey, isPlainObject, serialize, viewOf } from '../values';
import { MAX_BSON_BYTES } from '../wire';
import { compileQuery } from '../query';

interface WriteError { index: number; code: number; codeName: string; errmsg: string; [extra: string]: unknown }

function runStatements<T>(ctx: CommandContext, items: T[], run: (item: T, index: number) => void): WriteError[] {
  const ordered = optionalBoolean(ctx.cmd.body, 'ordered') ?? true;
  const errors: WriteError[] = [];
  for (let i = 0; i < items.length; i += 1) {
    try {
      run(items[i], i);
    } catch (e) {
      const err = fromEngineError(e);
      errors.push({ index: i, code: err.code, codeName: err.codeName, errmsg: err.message, ...err.extra });
      if (ordered) break;
    }
  }
  return errors;
}

const withErrors = (reply: Document, errors: WriteError[]) => (errors.length ? { ...reply, writeErrors: errors } : reply);

function checkId(id: unknown): void {
  if (Array.isArray(id)) throw new StoreError(ErrorCodes.BadValue, "can't use an array for _id");
  if (id instanceof RegExp) throw new StoreError(ErrorCodes.BadValue, "can't use a regex for _id");
}

/** A new document ready to store: _id first (generated when missing), size checked. */
function storable(raw: Uint8Array): StoredDoc {
  if (raw.length > MAX_BSON_BYTES) {
    throw new StoreError(ErrorCodes.BSONObjectTooLarge, `object to insert too large. size in bytes: ${raw.length}, max size: ${MAX_BSON_BYTES}`);
  }
  let view = viewOf(raw);
  if (view._id === undefined || !idComesFirst(raw)) {
    // MongoDB stores _id as the first field (drivers append a generated one at the end).
    const { _id, ...rest } = exactOf(raw);
    raw = serialize({ _id: _id ?? new ObjectId(), ...rest });
    view = viewOf(raw);
  }
  checkId(view._id);
  return { id: hashKey(view._id), raw, view };
}

/** Whether the first element of a raw document is named _id. */
const idComesFirst = (raw: Uint8Array) => raw.length > 9 && raw[5] === 0x5f && raw[6] === 0x69 && raw[7] === 0x64 && raw[8] === 0;

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** Applies one update to one stored document. */
function updateOne(coll: Collection, doc: StoredDoc, spec: UpdateSpec, filter: Document): { after: StoredDoc; changed: boolean } {
  const next = updatedDocument(doc, spec, filter, false);
  checkId(next.view._id);
  const after = { id: hashKey(next.view._id), ...next };
  const changed = !sameBytes(after.raw, doc.raw);
  if (changed) coll.replace(doc, after);
  return { after, changed };
}

function upsert(coll: Collection, spec: UpdateSpec, filter: Document): StoredDoc {
  const baseRaw = serialize(upsertBase(filter));
  const next = updatedDocument({ raw: baseRaw, view: viewOf(baseRaw) }, spec, filter, true);
  const doc = storable(next.raw);
  coll.insert(doc);
  return doc;
}

function updateSpecOf(statement: { view: Document; exact: Document }, field: string): UpdateSpec {
  const u = statement.view[field];
  validateUpdate(u);
  const arrayFilters = statement.view.arrayFilters;
  if (arrayFilters !== undefined && !(Array.isArray(arrayFilters) && arrayFilters.every(isPlainObject))) {
    throw new StoreError(ErrorCodes.TypeMismatch, 'arrayFilters must be an array of objects');
  }
  return { view: asView(u), exact: statement.exact[field], arrayFilters: arrayFilters as Document[] | undefined };
}

function refuseCollation(statement: Document): void {
  if (statement.collation !== undefined) {
    throw new StoreError(ErrorCodes.NotImplemented, "option 'collation' is not supported by the embedded store");
  }
}

export const writeCommands: Record<string, Handler> = {
  insert: (ctx) => {
    const coll = ctx.engine.collectionForWrite(ctx.db, collectionName(ctx, 'insert'));
    const docs = statements(ctx, 'documents');
    let n = 0;
    const errors = runStatements(ctx, docs, ({ raw }) => { coll.insert(storable(raw)); n += 1; });
    return withErrors({ n, ok: 1 }, errors);
  },

  update: (ctx) => {
    const coll = ctx.engine.collectionForWrite(ctx.db, collectionName(ctx, 'update'));
    let n = 0;
    let nModified = 0;
    const upserted: Document[] = [];
    const errors = runStatements(ctx, statements(ctx, 'updates'), (statement, index) => {
      refuseCollation(statement.view);
      const filter = asView(optionalDocument(statement.view, 'q') ?? {});
      const spec = updateSpecOf(statement, 'u');
      const multi = Boolean(statement.view.multi);
      if (multi && !Array.isArray(spec.view) && !isOperatorUpdate(spec.view)) {
        throw new StoreError(ErrorCodes.FailedToParse, 'multi update is not supported for replacement-style update');
      }
      const query = compileQuery(filter);
      const matched = coll.find(filter, query, multi ? Infinity : 1);
      for (const doc of matched) {
        if (updateOne(coll, doc, spec, filter).changed) nModified += 1;
        n += 1;
      }
      if (matched.length === 0 && statement.view.upsert) {
        const doc = upsert(coll, spec, filter);
        upserted.push({ index, _id: exactOf(doc.raw)._id });
        n += 1;
      }
    });
    const reply: Document = { n, nModified, ok: 1 };
    if (upserted.length) reply.upserted = upserted;
    return withErrors(reply, errors);
  },

  delete: (ctx) => {
    const name = collectionName(ctx, 'delete');
    const coll = ctx.engine.collection(ctx.db, name);
    let n = 0;
    const errors = runStatements(ctx, statements(ctx, 'deletes'), (statement) => {
      refuseCollation(statement.view);
      const filter = asView(optionalDocument(statement.view, 'q') ?? {});
      const limit = Number(statement.view.limit ?? 0);
      if (limit !== 0 && limit !== 1) throw new StoreError(ErrorCodes.FailedToParse, 'The limit field in delete objects must be 0 or 1');
      if (!coll) return;
      const matched = coll.find(filter, compileQuery(filter), limit === 1 ? 1 : Infinity);
      for (const doc of matched) coll.remove(doc);
      n += matched.length;
    });
    return withErrors({ n, ok: 1 }, errors);
  },

  findAndModify: (ctx) => {
    const name = collectionName(ctx, 'findAndModify');
    const { body } = ctx.cmd;
    refuseCollation(body);
    const filter = filterOf(body, 'query');
    const remove = Boolean(optionalBoolean(body, 'remove'));
    const returnNew = Boolean(optionalBoolean(body, 'new'));
    const wantsUpsert = Boolean(optionalBoolean(body, 'upsert'));
    if (remove === (body.update !== undefined)) {
      throw new StoreError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
    }
    if (remove && (returnNew || wantsUpsert)) {
      throw new StoreError(ErrorCodes.FailedToParse, 'Cannot specify both new=true and remove=true; or upsert=true and remove=true');
    }
    const encode = encoderFor(filter, optionalDocument(body, 'fields'));
    const reply = (value: StoredDoc | undefined, lastErrorObject: Document) => ({
      lastErrorObject,
      value: value ? exactOf(encode(value)) : null,
      ok: 1,
    });
    const [doc] = select(ctx, name, filter, { sort: optionalDocument(body, 'sort'), limit: 1 });
    if (remove) {
      if (doc) ctx.engine.collection(ctx.db, name)?.remove(doc);
      return reply(doc, { n: doc ? 1 : 0 });
    }
    const spec = updateSpecOf({ view: body, exact: exactOf(ctx.cmd.raw) }, 'update');
    const coll = ctx.engine.collectionForWrite(ctx.db, name);
    if (doc) {
      const { after } = updateOne(coll, doc, spec, filter);
      return reply(returnNew ? after : doc, { n: 1, updatedExisting: true });
    }
    if (!wantsUpsert) return reply(undefined, { n: 0, updatedExisting: false });
    const created = upsert(coll, spec, filter);
    return reply(returnNew ? created : undefined, { n: 1, updatedExisting: false, upserted: exactOf(created.raw)._id });
  },
};
