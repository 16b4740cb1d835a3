// Skills report benchmark (issue 5): 100,000 report rows streamed as CSV to a sink that keeps
// nothing, from one organisation on the embedded store (on its own thread of this process, as
// `connect()` runs it for the bot; memory only). Seeds through the real import and link
// services, then measures the time to stream the whole report and how far the process's RSS
// rises above where it was before (sampled at every write and every 5 ms). Targets: <= 3 s,
// <= 100 MB peak RSS growth. Prints a table and writes bench/out/skillsReport.json.
// Usage: npx tsx bench/skillsReport.ts [--people 10000 --per-person 10]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { MongoClient } from 'mongodb';
import { startEmbeddedStoreOnThread } from '../services/db/embedded/storeThread';
import { ensureIndexes } from '../services/db/indexes';
import { collections } from '../services/db/collections';
import { memberId, type MemberDoc } from '../services/people/members';
import type { OrganisationDoc } from '../services/organisations/organisation';
import { importTranscript } from '../services/certifications/importTranscript';
import { linkVerified } from '../services/certifications/links';
import { skillsReportCsv } from '../services/reports/skillsReport';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const { values } = parseArgs({ options: { people: { type: 'string', default: '10000' }, 'per-person': { type: 'string', default: '10' } } });
const PEOPLE = Number(values.people);
const PER_PERSON = Number(values['per-person']);
const ROWS = PEOPLE * PER_PERSON;
const ORG = '1234567';
const TENANT = 'b7e1c0de-0000-4000-8000-00000000be0c';
const CODES = ['AZ-104', 'AZ-305', 'AZ-204', 'DP-203', 'PL-300', 'SC-200', 'SC-100', 'AZ-500', '70-533', 'AZ-900', 'MS-900', 'AI-102', 'PL-900', 'DP-900'];
const aad = (i: number) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
const mcidOf = (i: number) => String(990_000_000 + i);
const MB = 1048576;

function transcript(): Readable {
  return Readable.from((function* rows() {
    yield 'MCID,e-mail,name,type,code,title,date\n';
    for (let i = 0; i < PEOPLE; i += 1) {
      for (let k = 0; k < PER_PERSON; k += 1) {
        const code = CODES[(i + k) % CODES.length];
        // Distinct dates keep every row a record of its own (a retake is a new record).
        yield `${mcidOf(i)},person${i}@outlook.example,"Person ${i}",exam,${code},"Exam ${code}: a realistic, longer title",20${10 + k}-0${1 + (i % 9)}-1${k % 10}\n`;
      }
    }
  })());
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => { while (next < items.length) await work(items[next++]); }));
}

async function main(): Promise<void> {
  const store = await startEmbeddedStoreOnThread();
  const client = await MongoClient.connect(store.uri);
  const db = client.db('bench_skills_report');
  await ensureIndexes(db);
  await db.collection<OrganisationDoc>(collections.organisations).insertOne({
    _id: ORG, partnerId: ORG, legalName: 'Contoso Bench Ltd', searchName: 'contoso bench ltd', country: 'GB', address: '1 Bench Street',
    tenantId: TENANT, preApprovedDomains: [], ppcAadObjectId: aad(0), createdAt: new Date(),
  });
  const members: MemberDoc[] = Array.from({ length: PEOPLE }, (_, i) => ({
    _id: memberId(TENANT, aad(i)), tenantId: TENANT, orgId: ORG, aadObjectId: aad(i), email: `person${i}@contoso.example`,
    displayName: i % 50 === 0 ? `=Person ${i}, "quoted"` : `Person ${i}`, roles: [], contactTypes: [], status: 'associated', associatedAt: new Date(),
  }));
  for (let i = 0; i < members.length; i += 1000) await db.collection<MemberDoc>(collections.members).insertMany(members.slice(i, i + 1000));
  let t = Date.now();
  const imported = await importTranscript(db, transcript());
  if (imported.imported !== ROWS) throw new Error(`imported ${imported.imported} of ${ROWS}: ${JSON.stringify(imported.rejections.slice(0, 3))}`);
  const importSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const now = new Date();
  await pool(Array.from({ length: PEOPLE }, (_, i) => i), 8, (i) => linkVerified(db, { tenantId: TENANT, aadObjectId: aad(i) }, mcidOf(i), { now }));
  const linkSeconds = (Date.now() - t) / 1000;

  gc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  // RSS at every write (cheap); the heap every 5 ms (memoryUsage() costs more).
  const sampleRss = () => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); };
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const timer = setInterval(sample, 5);
  let bytes = 0;
  let lines = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
      sampleRss();
      done();
    },
  });
  const start = process.hrtime.bigint();
  await pipeline(skillsReportCsv(db, ORG), sink);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(timer);
  sample();
  await client.close();
  await store.stop();

  const rows = lines - 1;
  if (rows !== ROWS) throw new Error(`the report has ${rows} rows, expected ${ROWS}`);
  const result = {
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
    people: PEOPLE, rows, bytes,
    seeding: { importSeconds, linkSeconds },
    stream: {
      seconds, rowsPerSecond: Math.round(rows / seconds), target: '<= 3 s',
      peakRssGrowthMB: Math.round(((peakRss - before.rss) / MB) * 10) / 10, rssTarget: '<= 100 MB',
      peakHeapGrowthMB: Math.round(((peakHeap - before.heapUsed) / MB) * 10) / 10,
      rssBeforeMB: Math.round(before.rss / MB),
    },
  };
  console.log(`skills report: ${rows.toLocaleString('en')} rows (${(bytes / MB).toFixed(1)} MB of CSV) from ${PEOPLE.toLocaleString('en')} people, embedded store on its thread, memory only`);
  console.log(`seeding: import ${importSeconds.toFixed(1)} s, ${PEOPLE.toLocaleString('en')} links ${linkSeconds.toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| measure | result | target |');
  console.log('|---|---|---|');
  console.log(`| time to stream the report | ${seconds.toFixed(2)} s (${result.stream.rowsPerSecond.toLocaleString('en')} rows/s) | <= 3 s |`);
  console.log(`| peak RSS growth while streaming | ${result.stream.peakRssGrowthMB} MB (from ${result.stream.rssBeforeMB} MB) | <= 100 MB |`);
  console.log(`| peak heap growth while streaming | ${result.stream.peakHeapGrowthMB} MB | |`);
  mkdirSync(path.join(__dirname, 'out'), { recursive: true });
  writeFileSync(path.join(__dirname, 'out', 'skillsReport.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (seconds > 3) console.log('TARGET MISSED: the report took more than 3 s');
  if (result.stream.peakRssGrowthMB > 100) console.log('TARGET MISSED: RSS grew more than 100 MB');
}

main().catch((e) => { console.error(e); process.exit(1); });
