// Competency evaluation benchmark (issue 5): one organisation with 10,000 active members, each
// with a linked MCID, and 50,000 exam records, on the embedded store through the driver (store
// on its own thread of this process, as `connect()` runs it for the bot; memory only). Seeds through the real import and link services, then
// measures competencyStatus (authorization + roster read + evaluation) and its parts. Prints a
// table and writes bench/out/competencies.json.
// Usage: npx tsx bench/competencies.ts [--members 10000 --records 50000 --runs 40]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { startEmbeddedStoreOnThread } from '../services/db/embedded/storeThread';
import { ensureIndexes } from '../services/db/indexes';
import { collections } from '../services/db/collections';
import { memberId, type MemberDoc } from '../services/people/members';
import type { OrganisationDoc } from '../services/organisations/organisation';
import { importTranscript } from '../services/certifications/importTranscript';
import { linkVerified } from '../services/certifications/links';
import { competencyStatus } from '../services/competencies/evaluate';
import { evaluateRoster } from '../services/competencies/evaluation';
import { loadRoster } from '../services/competencies/roster';
import { defaultCatalogue } from '../services/competencies/catalogue';

const { values } = parseArgs({ options: {
  members: { type: 'string', default: '10000' }, records: { type: 'string', default: '50000' }, runs: { type: 'string', default: '40' },
} });
const MEMBERS = Number(values.members);
const RECORDS = Number(values.records);
const RUNS = Number(values.runs);
const ORG = '1234567';
const TENANT = 'b7e1c0de-0000-4000-8000-00000000be0c';
// Catalogue exams and others that count toward nothing, as in a real transcript.
const CODES = ['AZ-104', 'AZ-305', 'AZ-204', 'DP-203', 'PL-300', 'SC-200', 'SC-100', 'AZ-500', '70-533', 'AZ-900', 'MS-900', 'AI-102', 'PL-900', 'DP-900'];

const aad = (i: number) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
const mcidOf = (i: number) => String(990_000_000 + i);
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

function transcript(): Readable {
  return Readable.from((function* rows() {
    yield 'MCID,e-mail,name,type,code,title,date\n';
    // A person's rows together, as a transcript export lists them.
    const perPerson = Math.ceil(RECORDS / MEMBERS);
    for (let r = 0; r < RECORDS; r += 1) {
      const i = Math.floor(r / perPerson);
      const code = CODES[(i * 7 + (r % perPerson) * 3) % CODES.length];
      yield `${mcidOf(i)},person${i}@outlook.example,Person ${i},exam,${code},Exam ${code},2025-${String(1 + (r % 12)).padStart(2, '0')}-10\n`;
    }
  })());
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function main(): Promise<void> {
  const store = await startEmbeddedStoreOnThread();
  const client = await MongoClient.connect(store.uri);
  const db = client.db('bench_competencies');
  await ensureIndexes(db);

  await db.collection<OrganisationDoc>(collections.organisations).insertOne({
    _id: ORG, partnerId: ORG, legalName: 'Contoso Bench Ltd', searchName: 'contoso bench ltd', country: 'GB', address: '1 Bench Street', tenantId: TENANT,
    preApprovedDomains: ['contoso.example'], ppcAadObjectId: aad(0), createdAt: new Date(),
  });
  const members: MemberDoc[] = Array.from({ length: MEMBERS }, (_, i) => ({
    _id: memberId(TENANT, aad(i)), tenantId: TENANT, orgId: ORG, aadObjectId: aad(i), email: `person${i}@contoso.example`,
    displayName: `Person ${i}`, roles: i === 0 ? ['globalAdmin'] : [], contactTypes: [], status: 'associated', associatedAt: new Date(),
  }));
  for (let i = 0; i < members.length; i += 1000) await db.collection<MemberDoc>(collections.members).insertMany(members.slice(i, i + 1000));

  let t = process.hrtime.bigint();
  const imported = await importTranscript(db, transcript());
  const importMs = ms(t);
  if (imported.imported !== RECORDS) throw new Error(`imported ${imported.imported} of ${RECORDS}`);

  t = process.hrtime.bigint();
  const now = new Date();
  await pool(Array.from({ length: MEMBERS }, (_, i) => i), 8, (i) => linkVerified(db, { tenantId: TENANT, aadObjectId: aad(i) }, mcidOf(i), { now }));
  const linkMs = ms(t);

  const admin = { tenantId: TENANT, aadObjectId: aad(0) };
  const catalogue = defaultCatalogue();
  const load = os.loadavg();
  const roster = await loadRoster(db, ORG);
  const status = await competencyStatus(db, admin, ORG);
  // The three measures take turns, run after run, so machine noise falls on all of them alike.
  const measures: Array<{ label: string; run: () => Promise<unknown> | unknown; times: number[] }> = [
    { label: 'competencyStatus (authorize + read + evaluate)', run: () => competencyStatus(db, admin, ORG, { catalogue }), times: [] },
    { label: '  roster read (2 distinct queries)', run: () => loadRoster(db, ORG), times: [] },
    { label: '  evaluation in memory', run: () => evaluateRoster(roster, catalogue, new Date()), times: [] },
  ];
  for (let i = 0; i < 5; i += 1) for (const m of measures) await m.run(); // warm-up
  for (let i = 0; i < RUNS; i += 1) {
    for (const m of measures) {
      const start = process.hrtime.bigint();
      await m.run();
      m.times.push(ms(start));
    }
  }
  const rows = measures.map(({ label, times }) => {
    times.sort((a, b) => a - b);
    return { label, median: pct(times, 0.5), p95: pct(times, 0.95), min: times[0] };
  });
  const rssMB = Math.round(process.memoryUsage().rss / 1048576);
  await client.close();
  await store.stop();

  const result = {
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, loadAverageAtStart: load },
    members: MEMBERS, records: RECORDS, countedPeople: status.countedPeople, linkedMcids: status.linkedMcids,
    met: status.competencies.flatMap((c) => c.levels.filter((l) => l.met).map((l) => `${c.name} ${l.name}`)),
    seeding: { importRowsPerSecond: Math.round(RECORDS / (importMs / 1000)), importSeconds: importMs / 1000, linksPerSecond: Math.round(MEMBERS / (linkMs / 1000)) },
    timings: rows.map((r) => ({ ...r, target: r.label.startsWith('competencyStatus') ? 'median <= 200 ms' : undefined })),
    rssMB,
  };
  console.log(`competency evaluation: ${MEMBERS.toLocaleString('en')} members with linked MCIDs, ${RECORDS.toLocaleString('en')} exam records (embedded store on its thread, memory only)`);
  console.log(`seeding: import ${result.seeding.importRowsPerSecond.toLocaleString('en')} rows/s (${result.seeding.importSeconds.toFixed(1)} s), links ${result.seeding.linksPerSecond.toLocaleString('en')}/s; load average ${load.map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log('| measure | median ms | p95 ms | min ms |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.label} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.min.toFixed(1)} |`);
  console.log(`counted people: ${status.countedPeople.toLocaleString('en')}; levels met: ${result.met.join(', ') || 'none'}; process RSS ${rssMB} MB`);
  mkdirSync(path.join(__dirname, 'out'), { recursive: true });
  writeFileSync(path.join(__dirname, 'out', 'competencies.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (rows[0].median > 200) console.log('TARGET MISSED: competencyStatus median above 200 ms');
}

main().catch((e) => { console.error(e); process.exit(1); });
