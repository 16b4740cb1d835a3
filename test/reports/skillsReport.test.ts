// The skills report: an admin gets a link, the link opens a CSV of every exam of the
// organisation's active members with linked MCIDs and what each counts toward; it is streamed
// from the database as the reader reads.
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { MongoClient, type Db } from 'mongodb';
import type { Readable } from 'node:stream';
import { collections } from '../../services/db/collections';
import { CompetencyAccessError } from '../../services/competencies/access';
import { createSkillsReportLink, openSkillsReport, skillsReportChunks, skillsReportCsv } from '../../services/reports/skillsReport';
import { ReportLinkError } from '../../services/reports/reportLinks';
import { linkVerified, unlink } from '../../services/certifications/links';
import { importTranscript } from '../../services/certifications/importTranscript';
import { useStoreSuite } from '../support/store';
import { pollUntil } from '../support/storeAssertions';
import {
  addMember, addOrganisation, certifiedMember, CONTOSO, csvOf, FABRIKAM, freshIndexedDb, removeMember,
} from '../competencies/fixtures';
import { TEST_CATALOGUE } from '../competencies/testCatalogue';

const SECRET = 'skills-report-test-secret-0123456789abcdef';
const NOW = new Date('2026-06-01T12:00:00Z');

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

describe('reports: skills report', () => {
  const suite = useStoreSuite();
  let db: Db;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    await addOrganisation(db, CONTOSO);
    await addOrganisation(db, FABRIKAM);
  });

  it("an admin's link opens the organisation's report: every exam of its active members, with what it counts toward", async () => {
    const gabriel = await addMember(db, CONTOSO, { aadObjectId: 'gabriel', roles: ['globalAdmin'] });
    await certifiedMember(db, CONTOSO, { aadObjectId: 'ada', name: 'Lovelace, Ada', mcid: '991000001', codes: ['AZ-305', 'AZ-104', 'MS-900'] });
    await certifiedMember(db, CONTOSO, { aadObjectId: 'eve', name: '=HYPERLINK("http://evil.example","Eve")', mcid: '991000002', codes: ['DP-203'] });
    const carl = await certifiedMember(db, CONTOSO, { aadObjectId: 'carl', name: 'Carl', mcid: '991000003', codes: ['AZ-104'] });
    const dan = await certifiedMember(db, CONTOSO, { aadObjectId: 'dan', name: 'Dan', mcid: '991000004', codes: ['AZ-104'] });
    await certifiedMember(db, FABRIKAM, { aadObjectId: 'fay', name: 'Fay', mcid: '991000005', codes: ['AZ-104'] });
    await removeMember(db, carl);
    await unlink(db, dan, '991000004');

    const link = await createSkillsReportLink(db, gabriel, CONTOSO.orgId, { secret: SECRET, now: NOW });
    assert.deepEqual(link.expiresAt, new Date(NOW.getTime() + 15 * 60_000));
    const report = await openSkillsReport(db, link.token, CONTOSO.orgId, { secret: SECRET, now: NOW, catalogue: TEST_CATALOGUE });
    assert.equal(report.filename, 'skills-report-1234567-2026-06-01.csv');
    assert.equal(report.contentType, 'text/csv; charset=utf-8');
    const csv = await text(report.body);
    assert.ok(csv.startsWith('\uFEFFUser name,E-mail,MCID,Type,Code,Title,Date,Counts toward\r\n'));
    const rows = parse(csv, { bom: true }) as string[][];
    assert.deepEqual(rows.slice(1), [
      ['Lovelace, Ada', 'ada@contoso.example', '991000001', 'exam', 'AZ-104', 'Title of AZ-104', '2025-05-01', 'Cloud Platform (Silver, Gold)'],
      ['Lovelace, Ada', 'ada@contoso.example', '991000001', 'exam', 'AZ-305', 'Title of AZ-305', '2025-05-01', 'Cloud Platform (Silver, Gold)'],
      ['Lovelace, Ada', 'ada@contoso.example', '991000001', 'exam', 'MS-900', 'Title of MS-900', '2025-05-01', ''],
      ['\'=HYPERLINK("http://evil.example","Eve")', 'eve@contoso.example', '991000002', 'exam', 'DP-203', 'Title of DP-203', '2025-05-01', 'Data Analytics (Silver)'],
    ]);
  });

  it('only competency admins get a link, and a link opens nothing but its own organisation\'s report while it is valid', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    await assert.rejects(createSkillsReportLink(db, ada, CONTOSO.orgId, { secret: SECRET }), (err: unknown) => err instanceof CompetencyAccessError && err.reason === 'notAdmin');
    const maria = await addMember(db, CONTOSO, { aadObjectId: 'maria', roles: ['mpnPartnerAdmin'] });
    const { token } = await createSkillsReportLink(db, maria, CONTOSO.orgId, { secret: SECRET, now: NOW });
    const refused = (reason: string) => (err: unknown) => err instanceof ReportLinkError && err.reason === reason;
    await assert.rejects(openSkillsReport(db, token, FABRIKAM.orgId, { secret: SECRET, now: NOW }), refused('wrongOrganisation'));
    await assert.rejects(openSkillsReport(db, token, CONTOSO.orgId, { secret: SECRET, now: new Date(NOW.getTime() + 16 * 60_000) }), refused('expired'));
    await assert.rejects(openSkillsReport(db, `${token.slice(0, -2)}xx`, CONTOSO.orgId, { secret: SECRET, now: NOW }), refused('tampered'));
  });

  it("when the organisation holds nearly the whole directory (read by MCID range), another organisation's MCID in the range stays out", async () => {
    const gabriel = await addMember(db, CONTOSO, { aadObjectId: 'gabriel', roles: ['globalAdmin'] });
    for (let i = 0; i < 10; i += 1) {
      await certifiedMember(db, CONTOSO, { aadObjectId: `c${i}`, mcid: String(994000000 + i * 2), codes: ['AZ-104'] });
    }
    await certifiedMember(db, FABRIKAM, { aadObjectId: 'f1', mcid: '994000005', codes: ['AZ-104'] }); // between two of Contoso's
    const { token } = await createSkillsReportLink(db, gabriel, CONTOSO.orgId, { secret: SECRET, now: NOW });
    const report = await openSkillsReport(db, token, CONTOSO.orgId, { secret: SECRET, now: NOW, catalogue: TEST_CATALOGUE, chunkSize: 4 });
    const rows = (parse(await text(report.body), { bom: true }) as string[][]).slice(1);
    assert.equal(rows.length, 10);
    assert.ok(!rows.some((r) => r[2] === '994000005'));
    assert.deepEqual(rows.map((r) => r[2]), [...rows.map((r) => r[2])].sort(), 'people in MCID order');
  });

  it('asks for the next people\'s records before it hands over the rows it has, so the store works meanwhile', async () => {
    const people = Array.from({ length: 20 }, (_, i) => ({ aadObjectId: `q${i}`, mcid: String(995000000 + i) }));
    assert.equal((await importTranscript(db, csvOf(people.map((p) => ({ mcid: p.mcid, code: 'AZ-104' }))))).imported, 20);
    for (const p of people) await linkVerified(db, await addMember(db, CONTOSO, { aadObjectId: p.aadObjectId }), p.mcid, { now: NOW });
    const client = await MongoClient.connect(suite.store.uri, { monitorCommands: true });
    try {
      const asked: string[] = [];
      client.on('commandStarted', (e) => {
        if (e.commandName === 'find' && e.command.find === collections.certificationRecords) asked.push(e.command.filter.mcid.$gte);
      });
      const starts = [0, 5, 10, 15].map((i) => people[i].mcid); // each chunk's first MCID (read by range)
      const chunks = skillsReportChunks(client.db(db.databaseName), CONTOSO.orgId, { catalogue: TEST_CATALOGUE, now: NOW, chunkSize: 5 });
      await chunks.next(); // the header
      const handed: string[][] = [];
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        handed.push(next.value.map((row) => row[2]));
        // Each chunk comes with the next one already asked for (the last has no next).
        assert.deepEqual(asked, starts.slice(0, handed.length + 1));
      }
      assert.deepEqual(handed.flat(), people.map((p) => p.mcid));
    } finally {
      await client.close();
    }
  });

  it('streams from the database only as fast as the reader reads', async () => {
    // 200 people with four long-titled exams each (~260 KB): far more than the stream buffers (64 KB).
    const title = `Long title ${'x'.repeat(280)}`;
    const people = Array.from({ length: 200 }, (_, i) => ({ aadObjectId: `p${i}`, mcid: String(993000000 + i) }));
    const codes = ['AZ-104', 'AZ-305', 'AZ-204', 'SC-200'];
    const imported = await importTranscript(db, csvOf(people.flatMap((p) => codes.map((code) => ({ mcid: p.mcid, code, title })))));
    assert.equal(imported.imported, 800);
    for (const p of people) await linkVerified(db, await addMember(db, CONTOSO, { aadObjectId: p.aadObjectId }), p.mcid, { now: NOW });

    const client = await MongoClient.connect(suite.store.uri, { monitorCommands: true });
    try {
      let finds = 0;
      client.on('commandStarted', (e) => { if (e.commandName === 'find' && e.command.find === collections.certificationRecords) finds += 1; });
      const stream = skillsReportCsv(client.db(db.databaseName), CONTOSO.orgId, { catalogue: TEST_CATALOGUE, now: NOW, chunkSize: 5 });
      const reader = stream[Symbol.asyncIterator]();
      await reader.next();
      await pollUntil(async () => stream.readableLength >= stream.readableHighWaterMark, { what: 'the stream buffer to fill' });
      const whileIdle = finds;
      assert.ok(whileIdle < 40 / 2, `read ${whileIdle} of 40 chunks while nobody was reading`);
      let bytes = 0;
      for (let next = await reader.next(); !next.done; next = await reader.next()) bytes += Buffer.byteLength(next.value);
      assert.equal(finds, 40);
      assert.ok(bytes > 200_000);
    } finally {
      await client.close();
    }
  });
});
