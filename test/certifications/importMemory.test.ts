// A big transcript is imported with steady memory: the heap after 20,000 rows is about what it
// was after 5,000. The store runs in another process here (or is MONGODB_URI), so the numbers
// are the importer's and the driver's, not the store's own documents.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { MongoClient, type Db } from 'mongodb';
import { ensureIndexes } from '../../services/db/indexes';
import { collections } from '../../services/db/collections';
import { importTranscript } from '../../services/certifications/importTranscript';
import { startStoreProcess, type StoreProcess } from '../support/storeProcess';
import { HEADER } from '../competencies/fixtures';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const ROWS = 20_000;
const CODES = ['AZ-104', 'AZ-305', 'AZ-204', 'DP-203', 'PL-300', 'SC-200', 'SC-100', 'AZ-500'];

/** The file is generated as it is read: the test holds no copy of it either. */
function transcript(rows: number): Readable {
  return Readable.from((function* lines() {
    yield `${HEADER}\n`;
    for (let i = 0; i < rows; i += 1) {
      const mcid = 990_000_000 + Math.floor(i / 4);
      yield `${mcid},person${mcid}@outlook.example,Person ${mcid},exam,${CODES[i % CODES.length]},"Exam ${CODES[i % CODES.length]}, title",2024-${String(1 + (i % 12)).padStart(2, '0')}-15\n`;
    }
  })());
}

describe('certifications: a large import keeps memory steady', function () {
  this.timeout(120_000);
  let store: StoreProcess | undefined;
  let dir: string | undefined;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    let uri = process.env.MONGODB_URI;
    if (!uri) {
      dir = mkdtempSync(path.join(os.tmpdir(), 'import-memory-'));
      store = await startStoreProcess(dir);
      uri = store.uri;
    }
    client = await MongoClient.connect(uri);
    db = client.db(`t_import_memory_${process.pid}`);
    await ensureIndexes(db);
  });
  after(async () => {
    if (process.env.MONGODB_URI) await db?.dropDatabase().catch(() => undefined);
    await client?.close();
    await store?.kill9();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`imports ${ROWS.toLocaleString('en')} rows with a heap that does not grow with the rows`, async () => {
    gc();
    const start = process.memoryUsage().heapUsed;
    const settled: Array<{ imported: number; heap: number }> = [];
    let peak = start;
    const summary = await importTranscript(db, transcript(ROWS), {
      batchSize: 1000,
      onProgress: (p) => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        if (p.imported % 5000 === 0 && p.imported > 0) {
          gc();
          settled.push({ imported: p.imported, heap: process.memoryUsage().heapUsed });
        }
      },
    });
    gc();
    const end = process.memoryUsage().heapUsed;
    assert.equal(summary.imported, ROWS);
    assert.equal(summary.rejected, 0);
    assert.equal(await db.collection(collections.certificationRecords).countDocuments({}), ROWS);

    const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
    const at5k = settled.find((s) => s.imported === 5000)!.heap;
    const at20k = settled.find((s) => s.imported === ROWS)!.heap;
    console.log(`      heap: start ${mb(start)}, after 5,000 rows ${mb(at5k)}, after 20,000 rows ${mb(at20k)}, end ${mb(end)}; `
      + `peak during import ${mb(peak)} (+${mb(peak - start)}); retained after import ${mb(end - start)}`);
    // Generous bounds: a leak of even 1 KB per row would add ~15 MB between 5,000 and 20,000.
    assert.ok(at20k - at5k < 8 * 1048576, `heap grew ${mb(at20k - at5k)} between 5,000 and 20,000 rows`);
    assert.ok(end - start < 16 * 1048576, `import retained ${mb(end - start)}`);
  });
});
