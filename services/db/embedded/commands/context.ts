// What every command handler receives, and the small argument checks they share, so a bad
// argument gets the same precise error whichever command it came with.
import { BSON, Document, Long } from 'bson';
import { Engine, ResultStream } from '../engine';
import { Command, cursorReply, rawArrayDocuments } from '../wire';
import { ErrorCodes, StoreError } from '../errors';
import { asView, exactOf, hashKey, isPlainObject, serialize, toNumber } from '../values';

export interface CommandContext {
  engine: Engine;
  cmd: Command;
  /** The command's database ($db). */
  db: string;
  connectionId: number;
}

/** A reply document, or raw reply bytes built without re-encoding stored documents. */
export type Reply = Document | Uint8Array;
export type Handler = (ctx: CommandContext) => Reply;

const typeError = (message: string) => new StoreError(ErrorCodes.TypeMismatch, message);

export function collectionName(ctx: CommandContext, command: string): string {
  const name = ctx.cmd.body[command];
  if (typeof name !== 'string' || name.length === 0) {
    throw new StoreError(ErrorCodes.InvalidNamespace, `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function optionalDocument(body: Document, field: string): Document | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw typeError(`BSON field '${field}' is the wrong type '${typeof v}', expected type 'object'`);
  return v;
}

/** A filter as the query engine reads it; never a string or array in place of a document. */
export const filterOf = (body: Document, field: string): Document => asView(optionalDocument(body, field) ?? {});

export function optionalInteger(body: Document, field: string, min = 0): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = toNumber(v);
  if (!Number.isInteger(n)) throw typeError(`BSON field '${field}' is the wrong type, expected a whole number`);
  if (n < min) throw new StoreError(ErrorCodes.BadValue, `BSON field '${field}' value must be >= ${min}, actual value '${n}'`);
  return n;
}

export function optionalBoolean(body: Document, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw typeError(`BSON field '${field}' is the wrong type '${typeof v}', expected type 'bool'`);
}

/** A hint must name an existing index (by name or key pattern); the store then plans itself. */
export function checkHint(ctx: CommandContext, name: string, hint: unknown): void {
  if (hint === undefined || hint === null) return;
  const specs = ctx.engine.collection(ctx.db, name)?.specs() ?? [];
  const found = typeof hint === 'string'
    ? specs.some((s) => s.name === hint)
    : isPlainObject(hint) && (Object.keys(hint).length === 0 || '$natural' in hint || specs.some((s) => hashKey(s.key) === hashKey(hint)));
  if (!found) {
    throw new StoreError(ErrorCodes.BadValue, 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
  }
}

/** Fields any command may carry (sessions, read/write concern, API version, tracing). */
const GENERIC_FIELDS = ['$db', 'lsid', '$clusterTime', '$readPreference', 'comment', 'maxTimeMS', 'readConcern', 'writeConcern',
  'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'txnNumber', 'autocommit', 'startTransaction', '$audit', 'mayBypassWriteBlocking'];

/** Refuses a field the command does not know, as mongod does (40415), instead of ignoring it. */
export function refuseUnknownFields(body: Document, command: string, known: string[]): void {
  for (const field of Object.keys(body)) {
    if (field !== command && !known.includes(field) && !GENERIC_FIELDS.includes(field)) {
      throw new StoreError(ErrorCodes.UnknownField, `BSON field '${command}.${field}' is an unknown field.`);
    }
  }
}

export function refuseUnsupported(body: Document, fields: string[], command: string): void {
  for (const field of fields) {
    if (body[field] !== undefined && body[field] !== false) {
      throw new StoreError(ErrorCodes.NotImplemented, `${command} option '${field}' is not supported by the embedded store`);
    }
  }
}

/** A cursor id as the client sent it (a number when small enough, else a Long). */
export function cursorId(v: unknown): Long {
  if (typeof v === 'number' && Number.isInteger(v)) return Long.fromNumber(v);
  if ((v as { _bsontype?: string } | null)?._bsontype === 'Long') return v as Long;
  throw typeError('cursor id must be a long');
}

/** Replies with the first batch and keeps a cursor open for the rest, if any remains. */
export function cursorResponse(ctx: CommandContext, ns: string, stream: ResultStream, firstBatch: number, singleBatch = false): Uint8Array {
  const { docs, done } = stream.take(firstBatch);
  const id = done || singleBatch ? Long.ZERO : ctx.engine.openCursor(ns, stream).id;
  return cursorReply(docs, id, ns, 'firstBatch');
}

export function firstBatchSize(body: Document): number {
  const cursor = optionalDocument(body, 'cursor');
  const size = cursor ? optionalInteger(cursor, 'batchSize') : optionalInteger(body, 'batchSize');
  return size ?? 101;
}

/** A stream over an array, each item encoded only when its batch is sent. */
export function streamOf<T>(items: T[], encode: (item: T) => Uint8Array): ResultStream {
  let i = 0;
  return new ResultStream(() => (i < items.length ? encode(items[i++]) : undefined));
}

export const encodeDocument = (doc: Document): Uint8Array => serialize(doc);

/**
 * The statements of a write command (documents, updates, deletes), from the command body or
 * an OP_MSG document sequence, each in both the promoted and the exact form.
 */
export function statements(ctx: CommandContext, field: string): Array<{ view: Document; exact: Document; raw: Uint8Array }> {
  const raws = ctx.cmd.sequences.get(field) ?? rawArrayDocuments(ctx.cmd.raw, field);
  if (raws.length === 0 && ctx.cmd.body[field] !== undefined && !Array.isArray(ctx.cmd.body[field])) {
    throw typeError(`BSON field '${field}' is the wrong type, expected type 'array'`);
  }
  if (raws.length === 0) throw new StoreError(ErrorCodes.InvalidLength, 'Write batch sizes must be between 1 and 100000. Got 0 operations.');
  if (raws.length > 100_000) throw new StoreError(ErrorCodes.InvalidLength, `Write batch sizes must be between 1 and 100000. Got ${raws.length} operations.`);
  return raws.map((raw) => ({ raw, view: asView(BSON.deserialize(raw)), exact: exactOf(raw) }));
}
