// Durability: an append-only journal of every change, fsync'd before the write is acknowledged
// (group commit: the writes of one event-loop turn share one fsync). At start-up it is replayed
// and compacted into a snapshot of the live data, so it never grows without bound across runs.
//
// Record: u32 length of payload, u32 CRC-32 of payload, payload = u8 kind, cstring ns, bytes.
// A torn or corrupt tail (a crash mid-append, never an acknowledged write) is cut off.
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { BSON, Document } from 'bson';
import { CatalogSink, Engine } from './engine';
import { IndexSpec } from './indexes';
import { hashKey, serialize, viewOf } from './values';

const PUT = 0x70; // 'p'
const REMOVE = 0x72; // 'r'
const CATALOG = 0x63; // 'c'

function record(kind: number, ns: string, bytes: Uint8Array): Buffer {
  const nsBytes = Buffer.from(`${ns}\0`, 'utf8');
  const payload = Buffer.concat([Buffer.from([kind]), nsBytes, bytes]);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

/** Applies one journal record to the engine (whose sink is unset during replay). */
function replayRecord(engine: Engine, kind: number, ns: string, bytes: Uint8Array): void {
  if (kind === CATALOG) {
    const entry = BSON.deserialize(bytes) as Document;
    const { db, name } = entry as { db: string; name: string };
    switch (entry.op) {
      case 'createCollection': if (!engine.collection(db, name)) engine.createCollection(db, name, entry.options ?? {}); break;
      case 'dropCollection': engine.dropCollection(db, name); break;
      case 'dropDatabase': engine.dropDatabase(db); break;
      case 'createIndex': engine.createIndex(engine.collectionForWrite(db, name), entry.spec as IndexSpec); break;
      case 'dropIndex': { const c = engine.collection(db, name); if (c) engine.dropIndex(c, entry.index); break; }
      default: throw new Error(`unknown catalog entry ${String(entry.op)}`);
    }
    return;
  }
  const [db, name] = splitNs(ns);
  const coll = engine.collectionForWrite(db, name);
  if (kind === PUT) {
    const view = viewOf(bytes);
    const doc = { id: hashKey(view._id), raw: bytes, view };
    const before = coll.get(doc.id);
    if (before) coll.replace(before, doc); else coll.insert(doc);
  } else if (kind === REMOVE) {
    const before = coll.get(hashKey(viewOf(bytes)._id));
    if (before) coll.remove(before);
  } else {
    throw new Error(`unknown journal record kind ${kind}`);
  }
}

/** Reads every intact record; returns how many bytes were valid. */
async function replay(file: string, engine: Engine): Promise<{ valid: number; size: number }> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { valid: 0, size: 0 };
    throw e;
  }
  let at = 0;
  while (at + 8 <= data.length) {
    const length = data.readUInt32LE(at);
    const end = at + 8 + length;
    if (end > data.length) break;
    const payload = data.subarray(at + 8, end);
    if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
    const nsEnd = payload.indexOf(0, 1);
    replayRecord(engine, payload[0], payload.toString('utf8', 1, nsEnd), payload.subarray(nsEnd + 1));
    at = end;
  }
  return { valid: at, size: data.length };
}

export class Journal implements CatalogSink {
  private pending: Buffer[] = [];
  private appended = 0;
  private synced = 0;
  private flushing: Promise<void> | undefined;
  private waiters: Array<{ upTo: number; resolve: () => void; reject: (e: unknown) => void }> = [];
  private failure: unknown;

  private constructor(private readonly handle: fs.FileHandle, private readonly lockFile: string) {}

  /** Replays the journal in `dir` into `engine`, compacts it, and opens it for appending. */
  static async open(dir: string, engine: Engine, log: (line: string) => void = () => undefined): Promise<Journal> {
    await fs.mkdir(dir, { recursive: true });
    const lockFile = await takeLock(dir);
    const file = path.join(dir, 'journal');
    const { valid, size } = await replay(file, engine);
    if (valid < size) log(`journal: ignored ${size - valid} bytes of an incomplete last write`);
    await compact(file, engine);
    const handle = await fs.open(file, 'a');
    const journal = new Journal(handle, lockFile);
    engine.sink = journal;
    return journal;
  }

  /** How many records have been appended so far; pass it to sync(). */
  get position(): number { return this.appended; }

  put(ns: string, raw: Uint8Array): void { this.append(record(PUT, ns, raw)); }

  remove(ns: string, idRaw: Uint8Array): void { this.append(record(REMOVE, ns, idRaw)); }

  catalog(entry: Document): void { this.append(record(CATALOG, '', serialize(entry))); }

  private append(rec: Buffer): void {
    this.pending.push(rec);
    this.appended += 1;
  }

  /** Resolves once every record up to `upTo` is on disk. */
  sync(upTo: number = this.appended): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (upTo <= this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      this.flushing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      const upTo = this.appended;
      this.pending = [];
      try {
        await this.handle.write(Buffer.concat(batch));
        await this.handle.datasync();
      } catch (e) {
        // The disk refused: every waiting and later write is refused rather than acknowledged.
        this.failure = e;
        for (const w of this.waiters.splice(0)) w.reject(e);
        break;
      }
      this.synced = upTo;
      this.waiters = this.waiters.filter((w) => (w.upTo <= upTo ? (w.resolve(), false) : true));
    }
    this.flushing = undefined;
    if (this.waiters.length) this.flushing = this.flush();
  }

  async close(): Promise<void> {
    if (this.appended > this.synced && !this.failure) await this.sync();
    await this.handle.close();
    await fs.rm(this.lockFile, { force: true });
  }
}

/** Writes the live data as a fresh journal beside the old one and swaps it in atomically. */
async function compact(file: string, engine: Engine): Promise<void> {
  const tmp = `${file}.compact`;
  const out = await fs.open(tmp, 'w');
  let chunk: Buffer[] = [];
  let bytes = 0;
  const write = async (rec: Buffer) => {
    chunk.push(rec);
    bytes += rec.length;
    if (bytes > 8 * 1024 * 1024) { await out.write(Buffer.concat(chunk)); chunk = []; bytes = 0; }
  };
  for (const db of engine.databaseNames()) {
    for (const coll of engine.collections(db)) {
      await write(record(CATALOG, '', serialize({ op: 'createCollection', db, name: coll.name, options: coll.options })));
      for (const spec of coll.specs().slice(1)) {
        await write(record(CATALOG, '', serialize({ op: 'createIndex', db, name: coll.name, spec })));
      }
      for (const doc of coll.docs.values()) await write(record(PUT, coll.ns, doc.raw));
    }
  }
  await out.write(Buffer.concat(chunk));
  await out.datasync();
  await out.close();
  await fs.rename(tmp, file);
  const dir = await fs.open(path.dirname(file), fsConstants.O_RDONLY);
  await dir.sync().catch(() => undefined);
  await dir.close();
}

/** One store process per data folder: a second one would interleave journal writes. */
async function takeLock(dir: string): Promise<string> {
  const lockFile = path.join(dir, 'store.lock');
  try {
    const holder = Number((await fs.readFile(lockFile, 'utf8')).trim());
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`the data folder ${dir} is in use by another store (process ${holder})`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await fs.writeFile(lockFile, String(process.pid));
  return lockFile;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
