// The embedded store on a worker thread (what connect() starts): the driver reaches it over its
// socket as ever, its data and journal survive a restart, what it notices reaches the caller's
// log, and a store that cannot start says why.
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedStoreOnThread } from '../../services/db/embedded/storeThread';

describe('embedded store on a worker thread', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'mpn-thread-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  async function withClient<T>(uri: string, work: (client: MongoClient) => Promise<T>): Promise<T> {
    const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
    try { return await work(client); } finally { await client.close(); }
  }

  it('serves the driver, keeps its journal across a restart, and reports a torn last write it cut off', async () => {
    const first = await startEmbeddedStoreOnThread({ dbPath: dir });
    await withClient(first.uri, (c) => c.db('t').collection('kept').insertOne({ _id: 'a' as never, n: 1 }));
    await first.stop();
    await appendFile(join(dir, 'journal'), Buffer.from([0x40, 0, 0, 0, 1, 2, 3])); // a write cut short

    const lines: string[] = [];
    const second = await startEmbeddedStoreOnThread({ dbPath: dir, log: (line) => lines.push(line) });
    try {
      const doc = await withClient(second.uri, (c) => c.db('t').collection('kept').findOne({ _id: 'a' as never }));
      assert.equal(doc?.n, 1);
      assert.deepEqual(lines, ['journal: ignored 7 bytes of an incomplete last write']);
    } finally {
      await second.stop();
    }
  });

  it('stops once however often it is asked, and frees its port', async () => {
    const store = await startEmbeddedStoreOnThread();
    await Promise.all([store.stop(), store.stop()]);
    await assert.rejects(MongoClient.connect(store.uri, { serverSelectionTimeoutMS: 300 }), /ECONNREFUSED|Server selection timed out/);
  });

  it('rejects with the reason when the store cannot start', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    await assert.rejects(startEmbeddedStoreOnThread({ dbPath: file }), /EEXIST|ENOTDIR|not a directory|file already exists/);
  });
});
