// Importing a transcript CSV into the certification directory: bad rows reported with their
// line and never stored, good rows stored once however often the file is imported.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { importTranscript, TranscriptFormatError, type ImportProgress } from '../../services/certifications/importTranscript';
import type { CertificationRecordDoc, McidDoc } from '../../services/certifications/records';
import { ManualClock } from '../../services/queue/clock';
import { useStoreSuite } from '../support/store';
import { translator } from '../../i18n';
import { formatErrorText, rejectionReason } from '../../bot/actions/transcriptWording';
import { freshIndexedDb, HEADER } from '../competencies/fixtures';

const records = (db: Db) => db.collection<CertificationRecordDoc>(collections.certificationRecords);
const mcids = (db: Db) => db.collection<McidDoc>(collections.mcids);
const english = translator('en');

// A transcript as a spreadsheet exports it: BOM, CRLF, quoted fields (a comma, a doubled quote,
// a line break), a blank line, and a few mistakes.
const MESSY = [
  '\uFEFFMCID,E-mail,Name,Type,Code,Title,Date',
  '991000001,Ada@Contoso.example,Ada Lovelace,Exam,az-104,Microsoft Azure Administrator,2025-03-14', // 2
  '991000001,ada@contoso.example,Ada Lovelace,certification,AZURE-ADMINISTRATOR-ASSOCIATE,"Microsoft Certified: Azure Administrator Associate",2025-03-20',
  '991000002,grace@contoso.example,"Hopper, Grace",exam,AZ-305,"Designing ""Azure"" Infrastructure',
  'Solutions",2024-11-02', // a quoted title over two lines (4-5)
  '',
  '12ab,bob@contoso.example,Bob,exam,AZ-104,Admin,2025-01-01', // 7: bad MCID
  '991000003,not-an-address,Carol,exam,AZ-104,Admin,2025-01-01', // 8: bad e-mail
  '991000004,dan@contoso.example,Dan,webinar,AZ-104,Admin,2025-01-01', // 9: bad type
  '991000005,erin@contoso.example,Erin,exam,AZ-104,Admin,2025-02-30', // 10: no such day
  '991000006,frank@contoso.example,Frank,exam,AZ-104,Admin,2031-01-01', // 11: future
  '991000007,gina@contoso.example,Gina,exam,AZ-104,Admin, with a comma,2025-01-01', // 12: unquoted comma
  '991000008,hal@contoso.example,,exam,AZ 104,Admin,14/03/2025', // 13: three mistakes
  '991000009,ivy@contoso.example,Ivy,assessment,SEC-ASSESS-1,Security assessment,2025-06-30', // 14
].join('\r\n');

describe('certifications: transcript import', () => {
  const suite = useStoreSuite();
  let db: Db;
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 12));
  beforeEach(async () => { db = await freshIndexedDb(suite.store); });

  it('stores the good rows and reports each bad row with its line number and reason; nothing is stored for a bad row', async () => {
    const summary = await importTranscript(db, MESSY, { clock });
    assert.equal(summary.read, 11);
    assert.equal(summary.imported, 4);
    assert.equal(summary.inserted, 4);
    assert.equal(summary.rejected, 7);
    assert.deepEqual(summary.rejections.map((r) => r.line), [7, 8, 9, 10, 11, 12, 13]);
    const reason = (line: number) => {
      const rejection = summary.rejections.find((r) => r.line === line);
      return rejection ? rejectionReason(english, rejection) : '';
    };
    assert.match(reason(7), /MCID must be 4 to 12 digits/);
    assert.match(reason(8), /e-mail is not a valid address/);
    assert.match(reason(9), /type must be exam, certification or assessment/);
    assert.match(reason(10), /2025-02-30 is not a real day/);
    assert.match(reason(11), /2031-01-01 is in the future/);
    assert.match(reason(12), /expected 7 fields like the header, found 8/);
    assert.match(reason(13), /name is empty.*code must be letters.*date must be written YYYY-MM-DD/);

    const stored = await records(db).find({}).sort({ _id: 1 }).toArray();
    assert.deepEqual(stored.map((r) => r._id), [
      '991000001|certification|AZURE-ADMINISTRATOR-ASSOCIATE|2025-03-20',
      '991000001|exam|AZ-104|2025-03-14',
      '991000002|exam|AZ-305|2024-11-02',
      '991000009|assessment|SEC-ASSESS-1|2025-06-30',
    ]);
    const grace = stored.find((r) => r.mcid === '991000002')!;
    assert.equal(grace.name, 'Hopper, Grace');
    assert.equal(grace.title, 'Designing "Azure" Infrastructure Solutions'); // the line break became a space
    assert.equal(stored[1].email, 'ada@contoso.example'); // normalised
    assert.equal(stored[1].code, 'AZ-104');
    assert.deepEqual(stored[1].date, new Date('2025-03-14T00:00:00Z'));
    for (const bad of ['991000003', '991000004', '991000005', '991000006', '991000007', '991000008']) {
      assert.equal(await records(db).countDocuments({ mcid: bad }), 0, `nothing stored for ${bad}`);
      assert.equal(await mcids(db).countDocuments({ _id: bad }), 0, `no MCID document for ${bad}`);
    }
    const ada = await mcids(db).findOne({ _id: '991000001' });
    assert.deepEqual(ada?.credentials, ['certification:AZURE-ADMINISTRATOR-ASSOCIATE', 'exam:AZ-104']);
    assert.deepEqual(ada?.holder, { name: 'Ada Lovelace', email: 'ada@contoso.example' });
  });

  it('importing the same file again changes nothing', async () => {
    await importTranscript(db, MESSY, { clock });
    const before = { records: await records(db).find({}).sort({ _id: 1 }).toArray(), mcids: await mcids(db).find({}).sort({ _id: 1 }).toArray() };
    clock.advance(3600_000);
    const again = await importTranscript(db, MESSY, { clock });
    assert.equal(again.imported, 4);
    assert.equal(again.inserted, 0);
    assert.equal(again.updated, 0);
    assert.equal(again.unchanged, 4);
    assert.equal(again.mcidsChanged, 0);
    assert.equal(again.rejected, 7);
    const after = { records: await records(db).find({}).sort({ _id: 1 }).toArray(), mcids: await mcids(db).find({}).sort({ _id: 1 }).toArray() };
    assert.deepEqual(after, before);
  });

  it('a later file adds to an MCID and corrects a title without duplicating anything', async () => {
    await importTranscript(db, `${HEADER}\n991000001,ada@contoso.example,Ada,exam,AZ-104,Azure Admin,2025-03-14\n`, { clock });
    const second = await importTranscript(db, [
      HEADER,
      '991000001,ada@contoso.example,Ada,exam,AZ-104,Microsoft Azure Administrator,2025-03-14', // corrected title
      '991000001,ada@contoso.example,Ada,exam,AZ-305,Designing Azure Infrastructure Solutions,2025-09-01',
      '991000001,ada@contoso.example,Ada,exam,AZ-305,Designing Azure Infrastructure Solutions,2025-09-01', // repeated row
    ].join('\n'), { clock });
    assert.deepEqual({ inserted: second.inserted, updated: second.updated, unchanged: second.unchanged }, { inserted: 1, updated: 1, unchanged: 1 });
    assert.equal(await records(db).countDocuments({ mcid: '991000001' }), 2);
    assert.equal((await records(db).findOne({ _id: '991000001|exam|AZ-104|2025-03-14' }))?.title, 'Microsoft Azure Administrator');
    assert.deepEqual((await mcids(db).findOne({ _id: '991000001' }))?.credentials, ['exam:AZ-104', 'exam:AZ-305']);
  });

  it('refuses a file without the header with one clear message, storing nothing', async () => {
    const refusal = async (csv: string) => {
      const err = await importTranscript(db, csv, { clock }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof TranscriptFormatError, `expected a TranscriptFormatError, got ${String(err)}`);
      return { problem: err.problem, english: formatErrorText(english, err), french: formatErrorText(translator('fr'), err) };
    };
    const noHeader = await refusal('991000001,ada@contoso.example,Ada,exam,AZ-104,Admin,2025-03-14\n');
    assert.equal(noHeader.problem.code, 'headerMissing');
    assert.match(noHeader.english, /^Line 1: the first line must be a header naming the columns MCID, e-mail, name, type, code, title, date; missing: MCID, e-mail/);
    assert.match(noHeader.french, /^Ligne 1 : la première ligne doit être un en-tête nommant les colonnes MCID, e-mail, name, type, code, title, date ; il manque : MCID, e-mail/);
    assert.match((await refusal('\uFEFF\r\n\r\n')).english, /^The file is empty/);
    assert.match((await refusal('MCID,e-mail,name,type,code,title\n1,a@b.c,x,exam,AZ-104,t\n')).english, /missing: date\.$/);
    assert.match((await refusal('MCID,e-mail,Name,NAME,type,code,title,date\n')).french, /^Ligne 1 : l'en-tête nomme deux fois la colonne « NAME »/);
    assert.equal(await records(db).countDocuments({}), 0);
  });

  it('an unclosed quote is reported at its line; the rows before it are imported', async () => {
    const summary = await importTranscript(db, [
      HEADER,
      '991000001,ada@contoso.example,Ada,exam,AZ-104,Admin,2025-03-14',
      '991000002,bob@contoso.example,Bob,exam,AZ-104,"Admin,2025-03-14',
      '991000003,cat@contoso.example,Cat,exam,AZ-104,Admin,2025-03-14',
    ].join('\n'), { clock });
    assert.equal(summary.imported, 1);
    assert.deepEqual(summary.rejections.map((r) => r.line), [3]);
    assert.match(rejectionReason(english, summary.rejections[0]), /quoted field is never closed/);
  });

  it('reports progress (rows read, imported, rejected) as it goes', async () => {
    const seen: ImportProgress[] = [];
    const rows = Array.from({ length: 7 }, (_, i) => `99100000${i},p${i}@contoso.example,P ${i},exam,AZ-104,Admin,2025-03-1${i}`);
    rows.splice(3, 0, 'bad,row');
    const summary = await importTranscript(db, [HEADER, ...rows].join('\n'), { clock, batchSize: 3, onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.map((p) => p.imported), [3, 6, 7, 7]);
    assert.ok(seen.every((p, i) => i === 0 || (p.read >= seen[i - 1].read && p.imported >= seen[i - 1].imported)), 'never goes backwards');
    assert.deepEqual(seen.at(-1), { read: 8, imported: 7, rejected: 1 });
    assert.equal(summary.read, 8);
  });

  it('reads from a stream, and two imports at once of overlapping files store each record and credential once', async () => {
    const file = (codes: string[]) => [HEADER, ...codes.flatMap((code) =>
      Array.from({ length: 30 }, (_, i) => `9920000${String(i).padStart(2, '0')},p${i}@contoso.example,P ${i},exam,${code},T,2025-01-02`))].join('\n');
    const [a, b] = await Promise.all([
      importTranscript(db, Readable.from([file(['AZ-104', 'AZ-305'])]), { clock, batchSize: 7 }),
      importTranscript(db, Readable.from([file(['AZ-305', 'SC-200'])]), { clock, batchSize: 5 }),
    ]);
    assert.equal(a.rejected + b.rejected, 0);
    assert.equal(a.inserted + b.inserted, 90);
    assert.equal(await records(db).countDocuments({}), 90);
    const docs = await mcids(db).find({}).toArray();
    assert.equal(docs.length, 30);
    for (const d of docs) assert.deepEqual(d.credentials, ['exam:AZ-104', 'exam:AZ-305', 'exam:SC-200'], d._id);
  });
});
