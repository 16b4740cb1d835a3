// The common projection, top-level fields kept or dropped ({a: 1, b: 1, _id: 0} or {c: 0}),
// done on the stored BSON bytes: the kept elements are copied as they are, in stored order, so
// nothing is decoded, matched or re-encoded, and every type stays exactly as stored. The general
// path (mingo, then re-typing) costs several times more than sending the whole document, which
// made asking for fewer fields slower than asking for all of them.
import { BSON } from 'bson';
import type { Document } from 'bson';

type Keep = (name: string) => boolean;

/** A byte-level projector for a plain top-level projection, or undefined for any other. */
export function rawProjector(projection: Document): ((raw: Uint8Array) => Uint8Array) | undefined {
  const keep = plainKeep(projection);
  return keep && ((raw) => project(raw, keep));
}

function plainKeep(projection: Document): Keep | undefined {
  const included = new Set<string>();
  const excluded = new Set<string>();
  let idKept = true;
  let idNamed = false;
  for (const [name, value] of Object.entries(projection)) {
    // Paths, operators and positional forms, and values other than plain 1/0, take the general path.
    if (name.includes('.') || name.startsWith('$') || name === '') return undefined;
    if (value !== 1 && value !== 0 && value !== true && value !== false) return undefined;
    const on = value === 1 || value === true;
    if (name === '_id') { idKept = on; idNamed = true; }
    else (on ? included : excluded).add(name);
  }
  if (included.size && excluded.size) return undefined; // MongoDB refuses it: the general path says so
  // {_id: 1} alone is an inclusion of _id only; {_id: 1, c: 0} an exclusion that keeps it.
  if (included.size || (idNamed && idKept && !excluded.size)) return (name) => (name === '_id' ? idKept : included.has(name));
  return (name) => (name === '_id' ? idKept : !excluded.has(name));
}

function project(raw: Uint8Array, keep: Keep): Uint8Array {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const kept: Array<[number, number]> = [];
  let size = 5; // length prefix and terminator
  // Each element: [type, nameOffset, nameLength, valueOffset, valueLength]; its bytes start at
  // the type byte, just before the name.
  for (const [, nameOffset, nameLength, valueOffset, valueLength] of BSON.onDemand.parseToElements(bytes)) {
    if (!keep(bytes.toString('utf8', nameOffset, nameOffset + nameLength))) continue;
    kept.push([nameOffset - 1, valueOffset + valueLength]);
    size += valueOffset + valueLength - (nameOffset - 1);
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let at = 4;
  for (const [start, end] of kept) at += bytes.copy(out, at, start, end);
  out[at] = 0;
  return out;
}
