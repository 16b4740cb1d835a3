// The MongoDB wire protocol, as far as the official driver uses it: OP_MSG for commands and
// replies, legacy OP_QUERY / OP_REPLY for the first handshake. Compression is never offered, so
// OP_COMPRESSED never arrives.
import { BSON, Document, Long } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_BYTES = 16 * 1024 * 1024;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface Command {
  /** The command document, values promoted as the driver would read them. */
  body: Document;
  /** The raw bytes of the command document. */
  raw: Uint8Array;
  /** OP_MSG kind-1 sections: identifier → raw documents. */
  sequences: Map<string, Uint8Array[]>;
  /** The client does not want a reply (unacknowledged write). */
  moreToCome: boolean;
  /** Whether the reply must be OP_REPLY (the request was OP_QUERY). */
  legacy: boolean;
}

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

function readCString(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new Error('unterminated cstring');
  return [buf.toString('utf8', at, end), end + 1];
}

function bsonAt(buf: Buffer, at: number, limit: number): Uint8Array {
  if (at + 5 > limit) throw new Error('truncated BSON document');
  const size = buf.readInt32LE(at);
  if (size < 5 || at + size > limit) throw new Error('invalid BSON document size');
  return buf.subarray(at, at + size);
}

/** Parses one complete OP_MSG or OP_QUERY message. */
export function parseMessage(msg: Buffer): Command {
  const header = readHeader(msg);
  if (header.opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
    let at = 20;
    let raw: Uint8Array | undefined;
    const sequences = new Map<string, Uint8Array[]>();
    while (at < end) {
      const kind = msg[at];
      at += 1;
      if (kind === 0) {
        raw = bsonAt(msg, at, end);
        at += raw.length;
      } else if (kind === 1) {
        const size = msg.readInt32LE(at);
        const sectionEnd = at + size;
        let [identifier, p] = readCString(msg, at + 4);
        const docs: Uint8Array[] = [];
        while (p < sectionEnd) {
          const doc = bsonAt(msg, p, sectionEnd);
          docs.push(doc);
          p += doc.length;
        }
        sequences.set(identifier, docs);
        at = sectionEnd;
      } else {
        throw new Error(`unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!raw) throw new Error('OP_MSG without a body section');
    return { body: BSON.deserialize(raw), raw, sequences, moreToCome: Boolean(flags & MORE_TO_COME), legacy: false };
  }
  if (header.opCode === OP_QUERY) {
    const [collection, p] = readCString(msg, 20);
    const raw = bsonAt(msg, p + 8, msg.length);
    let body = BSON.deserialize(raw);
    if (!collection.endsWith('.$cmd')) throw new Error(`legacy OP_QUERY on ${collection} is not supported`);
    if (body.$query && typeof body.$query === 'object') body = body.$query as Document;
    body.$db ??= collection.slice(0, -'.$cmd'.length);
    return { body, raw, sequences: new Map(), moreToCome: false, legacy: true };
  }
  throw new Error(`opCode ${header.opCode} is not supported`);
}

function frame(opCode: number, requestId: number, responseTo: number, parts: Uint8Array[]): Buffer {
  const length = 16 + parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return Buffer.concat([head, ...parts], length);
}

/** The reply to a command, in the framing the request came in. */
export function replyMessage(reply: Uint8Array, requestId: number, responseTo: number, legacy: boolean): Buffer {
  if (legacy) {
    const prefix = Buffer.alloc(20);
    prefix.writeInt32LE(8, 0); // responseFlags: AwaitCapable; cursorID and startingFrom stay 0
    prefix.writeInt32LE(1, 16); // numberReturned
    return frame(OP_REPLY, requestId, responseTo, [prefix, reply]);
  }
  const prefix = Buffer.alloc(5); // flagBits 0, section kind 0
  return frame(OP_MSG, requestId, responseTo, [prefix, reply]);
}

// --- Building replies that carry stored documents without decoding them again ---------------

function cstring(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function element(type: number, name: string, value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([type]), cstring(name), value]);
}

function documentOf(elements: Uint8Array[]): Buffer {
  const size = 4 + elements.reduce((n, e) => n + e.length, 0) + 1;
  const head = Buffer.alloc(4);
  head.writeInt32LE(size, 0);
  return Buffer.concat([head, ...elements, Buffer.from([0])], size);
}

function stringValue(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const out = Buffer.alloc(4 + bytes.length + 1);
  out.writeInt32LE(bytes.length + 1, 0);
  bytes.copy(out, 4);
  return out;
}

/** { cursor: { firstBatch | nextBatch: [...docs], id, ns }, ok: 1 } with docs as given bytes. */
export function cursorReply(docs: Uint8Array[], id: Long, ns: string, batch: 'firstBatch' | 'nextBatch'): Buffer {
  const array = documentOf(docs.map((d, i) => element(0x03, String(i), d)));
  const idBytes = Buffer.alloc(8);
  idBytes.writeInt32LE(id.low, 0);
  idBytes.writeInt32LE(id.high, 4);
  const cursor = documentOf([
    element(0x04, batch, array),
    element(0x12, 'id', idBytes),
    element(0x02, 'ns', stringValue(ns)),
  ]);
  const ok = Buffer.alloc(8);
  ok.writeDoubleLE(1, 0);
  return documentOf([element(0x03, 'cursor', cursor), element(0x01, 'ok', ok)]);
}

// --- Reading one array of documents out of a raw command, byte-exact -------------------------

function valueSize(buf: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: return 8;
    case 0x02: case 0x0d: case 0x0e: return 4 + buf.readInt32LE(at);
    case 0x03: case 0x04: case 0x0f: return buf.readInt32LE(at);
    case 0x05: return 4 + 1 + buf.readInt32LE(at);
    case 0x06: case 0x0a: case 0xff: case 0x7f: return 0;
    case 0x07: return 12;
    case 0x08: return 1;
    case 0x0b: {
      const a = buf.indexOf(0, at);
      const b = buf.indexOf(0, a + 1);
      return b + 1 - at;
    }
    case 0x0c: return 4 + buf.readInt32LE(at) + 12;
    case 0x10: return 4;
    case 0x13: return 16;
    default: throw new Error(`unknown BSON type 0x${type.toString(16)}`);
  }
}

/** The raw bytes of each document in the top-level array `field` of a raw BSON document. */
export function rawArrayDocuments(raw: Uint8Array, field: string): Uint8Array[] {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const end = buf.readInt32LE(0) - 1;
  let at = 4;
  while (at < end) {
    const type = buf[at];
    const [name, valueAt] = readCString(buf, at + 1);
    const size = valueSize(buf, type, valueAt);
    if (name === field && type === 0x04) {
      const docs: Uint8Array[] = [];
      const arrayEnd = valueAt + size - 1;
      let p = valueAt + 4;
      while (p < arrayEnd) {
        const t = buf[p];
        const [, v] = readCString(buf, p + 1);
        const s = valueSize(buf, t, v);
        if (t !== 0x03) throw new Error(`${field} must contain only documents`);
        docs.push(buf.subarray(v, v + s));
        p = v + s;
      }
      return docs;
    }
    at = valueAt + size;
  }
  return [];
}
