// Embedded store benchmark: insert throughput and indexed point-lookup latency at 10⁶
// documents, through the official driver over a real socket. Prints a table and writes
// bench/out/store.json. Usage: npm run bench:store [-- --docs 1000000 --lookups 5000 --dbpath DIR]
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore } from '../services/db/embedded';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '1000000' },
    lookups: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '1000' },
    journal: { type: 'boolean', default: false },
  },
});
const total = Number(values.docs);
const lookups = Number(values.lookups);
const batch = Number(values.batch);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function main(): Promise<void> {
  const dir = values.journal ? mkdtempSync(path.join(os.tmpdir(), 'store-bench-')) : undefined;
  const store = await startEmbeddedStore({ dbPath: dir });
  const client = await MongoClient.connect(store.uri);
  const coll = client.db('bench').collection<{ _id: number; email: string; org: number; createdAt: Date }>('members');
  await coll.createIndex({ email: 1 }, { unique: true });
  await coll.createIndex({ org: 1, createdAt: 1 });

  const insertStart = process.hrtime.bigint();
  for (let i = 0; i < total; i += batch) {
    const docs = [];
    for (let j = i; j < Math.min(total, i + batch); j += 1) {
      docs.push({ _id: j, email: `user${j}@contoso.example`, org: j % 1000, createdAt: new Date(1_700_000_000_000 + j) });
    }
    await coll.insertMany(docs, { ordered: false });
  }
  const insertSeconds = Number(process.hrtime.bigint() - insertStart) / 1e9;

  const measure = async (label: string, lookup: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 200; i += 1) await lookup(i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < lookups; i += 1) {
      const t = process.hrtime.bigint();
      const found = await lookup(i);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (!found) throw new Error(`${label}: lookup ${i} found nothing`);
    }
    times.sort((a, b) => a - b);
    return { label, median: percentile(times, 0.5), p99: percentile(times, 0.99) };
  };
  const pick = (i: number) => (i * 7919) % total;
  const rows = [
    await measure('findOne by unique index (email)', (i) => coll.findOne({ email: `user${pick(i)}@contoso.example` })),
    await measure('findOne by _id', (i) => coll.findOne({ _id: pick(i) })),
    await measure('range on compound index (org, createdAt), limit 20', (i) =>
      coll.find({ org: i % 1000, createdAt: { $gte: new Date(1_700_000_000_000) } }).limit(20).toArray().then((r) => r.length)),
  ];
  const rss = process.memoryUsage().rss;
  await client.close();
  await store.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });

  const result = {
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, commit: commit() },
    documents: total,
    journal: Boolean(dir),
    insert: { seconds: insertSeconds, docsPerSecond: Math.round(total / insertSeconds), batch },
    lookups: rows.map((r) => ({ ...r, target: r.label.startsWith('findOne by unique') ? 'median <= 1 ms' : undefined })),
    rssMB: Math.round(rss / 1048576),
  };
  console.log(`embedded store, ${total.toLocaleString('en')} documents${dir ? ', journal on' : ', memory only'}`);
  console.log(`insert: ${result.insert.docsPerSecond.toLocaleString('en')} docs/s (insertMany of ${batch}), ${insertSeconds.toFixed(1)} s`);
  console.log('| lookup | median ms | p99 ms |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.label} | ${r.median.toFixed(3)} | ${r.p99.toFixed(3)} |`);
  console.log(`process RSS: ${result.rssMB} MB`);
  mkdirSync(path.join(__dirname, 'out'), { recursive: true });
  writeFileSync(path.join(__dirname, 'out', 'store.json'), `${JSON.stringify(result, null, 2)}\n`);
  const miss = rows[0].median > 1;
  if (miss) console.log('TARGET MISSED: unique-index point lookup median above 1 ms');
}

function commit(): string | undefined {
  try { return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return undefined; }
}

main().catch((e) => { console.error(e); process.exit(1); });
