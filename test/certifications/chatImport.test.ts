// Transcript import in chat, end to end over HTTP: an admin sends a CSV as Teams sends a file
// (file.download.info with a downloadUrl) or as Web Chat does (contentUrl); the bot downloads it
// from a small local file server, streams it into the directory, shows progress, and posts a
// summary with the rejected rows by line. A second import changes nothing. Non-admins, non-CSV
// files, too-large files, failed downloads and URLs outside the allowed origins are refused.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { MongoClient, type Db } from 'mongodb';
import { TEAMS_FILE_DOWNLOAD_INFO } from '../../bot/actions/transcriptImport';
import { collections } from '../../services/db/collections';
import { memberId } from '../../services/people/members';
import { pollUntil } from '../support/storeAssertions';
import { adaptiveCards, newAccount, startTestBot, storeUri, TeamsUser, textOf, type TestBot } from '../support/botHarness';
import { openTestStore, type TestStore } from '../support/store';

const TENANT = '99999999-eeee-4000-8000-000000000009';
const PARTNER_ID = '5550001';

interface Served { body: string | Buffer; status?: number; chunked?: boolean }

/** A file server of the test's own, recording which paths were asked for. */
async function fileServer(files: Map<string, Served>): Promise<{ origin: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const file = files.get(req.url ?? '');
    if (!file) { res.writeHead(404); res.end('not found'); return; }
    const body = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
    if (file.chunked) {
      res.writeHead(file.status ?? 200, { 'content-type': 'text/csv' });
      for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.subarray(i, i + 64 * 1024));
      res.end();
      return;
    }
    res.writeHead(file.status ?? 200, { 'content-type': 'text/csv', 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const HEADER = 'MCID,e-mail,name,type,code,title,date';
const row = (mcid: number | string, code = 'AZ-104', date = '2025-05-01') => `${mcid},holder${mcid}@learn.example,Holder ${mcid},exam,${code},Title of ${code},${date}`;
const csv = (rows: string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`;

describe('transcript import in chat', () => {
  let store: TestStore;
  let client: MongoClient;
  let db: Db;
  let bot: TestBot;
  let admin: TeamsUser;
  let employee: TeamsUser;
  const files = new Map<string, Served>();
  let server: Awaited<ReturnType<typeof fileServer>>;
  let untrusted: Awaited<ReturnType<typeof fileServer>>;

  before(async () => {
    server = await fileServer(files);
    untrusted = await fileServer(files);
    store = await openTestStore();
    const uri = storeUri(store.uri);
    bot = await startTestBot({
      mongoUri: uri, env: { OUTBOX_POLL_MS: '50', TRANSCRIPT_MAX_FILE_MB: '1' }, trustedFileOrigins: [server.origin],
    });
    client = await MongoClient.connect(uri);
    db = client.db();
    const connector = bot.running.connector!;
    admin = new TeamsUser(bot.url, connector, newAccount(connector, TENANT, 'Ines Admin', 'ines@tailwind.example'));
    employee = new TeamsUser(bot.url, connector, newAccount(connector, TENANT, 'Eli Employee', 'eli@tailwind.example'));
    await db.collection(collections.organisations).insertOne({
      _id: PARTNER_ID as never, partnerId: PARTNER_ID, legalName: 'Tailwind Traders', searchName: 'tailwind traders', country: 'GB',
      address: '3 Way', tenantId: TENANT, preApprovedDomains: [], ppcAadObjectId: 'nobody', createdAt: new Date(),
    });
    for (const [user, roles] of [[admin, ['mpnPartnerAdmin']], [employee, []]] as const) {
      await db.collection(collections.members).insertOne({
        _id: memberId(TENANT, user.account.aadObjectId) as never, tenantId: TENANT, orgId: PARTNER_ID, aadObjectId: user.account.aadObjectId,
        email: user.account.email, displayName: user.account.name, roles: [...roles], contactTypes: [], status: 'associated', associatedAt: new Date(),
      });
    }
  });
  after(async () => {
    await bot?.stop();
    await client?.close();
    await store?.close();
    await server?.close();
    await untrusted?.close();
  });

  /** A file as Teams delivers it (beside the text/html copy of the message Teams also attaches). */
  const teamsFile = (name: string, url: string): Partial<Activity> => ({
    type: 'message', text: '',
    attachments: [
      { contentType: 'text/html', content: '<p></p>' },
      { contentType: TEAMS_FILE_DOWNLOAD_INFO, name, content: { downloadUrl: url, uniqueId: 'e6b1-4e1f', fileType: name.split('.').pop() } },
    ],
  });

  const summaries = (user: TeamsUser) => adaptiveCards(user.conversation.activities).filter((c) => JSON.stringify(c).includes('Transcript imported'));
  const records = () => db.collection(collections.certificationRecords).countDocuments();
  const saidTo = (user: TeamsUser, pattern: RegExp) => user.conversation.activities.some((a) => pattern.test(textOf(a)));

  it('imports a Teams file attachment row by row, reports bad rows by line, and a re-import changes nothing', async () => {
    files.set('/transcript.csv', { body: csv([row(4000001), row(4000002, 'AZ-305'), row(4000003, 'AZ-104', '2026-13-01'), row(4000004), row('12ab'), row(4000005, 'DP-203')]) });
    const first = await admin.send(teamsFile('transcript.csv', `${server.origin}/transcript.csv`));
    assert.equal(first.status, 200);
    assert.match(first.replies.map(textOf).join('\n'), /Importing \*\*transcript\.csv\*\*/);
    await pollUntil(async () => summaries(admin).length === 1, { what: 'the import summary', timeoutMs: 15_000 });
    const card = JSON.stringify(summaries(admin)[0]);
    assert.match(card, /"title":"Rows read","value":"6"/);
    assert.match(card, /"title":"New records","value":"4"/);
    assert.match(card, /"title":"Rejected","value":"2"/);
    assert.match(card, /Line 4: date 2026-13-01 is not a real day/);
    assert.match(card, /Line 6: MCID must be 4 to 12 digits/);
    assert.equal(await records(), 4);
    assert.equal((await db.collection(collections.certificationRecords).findOne({ mcid: '4000001' }))?.importedFor, PARTNER_ID);

    await admin.send(teamsFile('transcript.csv', `${server.origin}/transcript.csv`));
    await pollUntil(async () => summaries(admin).length === 2, { what: 'the second summary', timeoutMs: 15_000 });
    const again = JSON.stringify(summaries(admin)[1]);
    assert.match(again, /"title":"New records","value":"0"/);
    assert.match(again, /"title":"Corrected records","value":"0"/);
    assert.match(again, /"title":"Unchanged","value":"4"/);
    assert.equal(await records(), 4);
  });

  it("an admin's import cannot change the e-mail an MCID's codes go to, nor touch another organisation's linked MCID", async () => {
    // 4300001 is someone's, held under their own address; 4300002 is linked to another organisation.
    await db.collection(collections.mcids).insertMany([
      { _id: '4300001' as never, holder: { name: 'Real Owner', email: 'owner@learn.example' }, credentials: ['exam:AZ-104'], credRev: 1, rev: 0 },
      { _id: '4300002' as never, holder: { name: 'Holder 4300002', email: 'holder4300002@learn.example' }, credentials: [], credRev: 1, rev: 1,
        linked: { orgId: '5550099', tenantId: 'another-tenant', aadObjectId: 'x', member: 'another-tenant:x', at: new Date() } },
    ]);
    files.set('/takeover.csv', { body: csv([row(4300001, 'AZ-305'), row(4300002, 'DP-203'), row(4300003)]) });
    const before = summaries(admin).length;
    await admin.send(teamsFile('takeover.csv', `${server.origin}/takeover.csv`));
    await pollUntil(async () => summaries(admin).length === before + 1, { what: 'the summary', timeoutMs: 15_000 });
    const card = JSON.stringify(summaries(admin).at(-1));
    assert.match(card, /Line 2: MCID 4300001 is in the certification directory with another e-mail/);
    assert.match(card, /Line 3: MCID 4300002 is linked to another organisation/);
    assert.match(card, /"title":"New records","value":"1"/);
    const owner = await db.collection(collections.mcids).findOne({ _id: '4300001' as never });
    assert.equal(owner?.holder.email, 'owner@learn.example');
    assert.deepEqual(owner?.credentials, ['exam:AZ-104']);
    assert.deepEqual((await db.collection(collections.mcids).findOne({ _id: '4300002' as never }))?.credentials, []);
    assert.equal(await db.collection(collections.certificationRecords).countDocuments({ mcid: { $in: ['4300001', '4300002'] } }), 0);
  });

  it("a French admin's summary card and the reasons of its rejected rows are in French; so is a refused file", async () => {
    await db.collection(collections.mcids).insertOne(
      { _id: '4400001' as never, holder: { name: 'Real Owner', email: 'owner@learn.example' }, credentials: [], credRev: 1, rev: 0 },
    );
    files.set('/releve.csv', { body: csv([row(4400002), row('12ab'), row(4400003, 'AZ-104', '2026-13-01'), `4400004,x@y.example,,exam,AZ 104,T,2025-01-01`, row(4400001)]) });
    const french = (name: string, url: string) => ({ ...teamsFile(name, url), locale: 'fr-FR' });
    const frenchSummaries = () => adaptiveCards(admin.conversation.activities).filter((c) => JSON.stringify(c).includes('Relevé importé'));
    const reply = await admin.send(french('releve.csv', `${server.origin}/releve.csv`));
    assert.match(reply.replies.map(textOf).join('\n'), /Import de \*\*releve\.csv\*\* en cours/);
    await pollUntil(async () => frenchSummaries().length === 1, { what: 'the French summary', timeoutMs: 15_000 });
    const card = JSON.stringify(frenchSummaries()[0]);
    assert.match(card, /Relevé importé : releve\.csv/);
    assert.match(card, /"title":"Lignes lues","value":"5"/);
    assert.match(card, /"title":"Refusées","value":"4"/);
    assert.match(card, /Ligne 3 : le MCID doit compter de 4 à 12 chiffres/);
    assert.match(card, /Ligne 4 : la date 2026-13-01 n'existe pas/);
    assert.match(card, /Ligne 5 : la colonne name est vide ; le code ne doit contenir que des lettres, des chiffres et des tirets, comme AZ-104/);
    assert.match(card, /Ligne 6 : le MCID 4400001 figure dans l'annuaire des certifications avec un autre e-mail/);
    assert.doesNotMatch(card, /must be|is not a real day|is empty|another e-mail/, 'no English reason in a French summary');

    files.set('/sans-entete.csv', { body: `${row(4400005)}\r\n` });
    await admin.send(french('sans-entete.csv', `${server.origin}/sans-entete.csv`));
    await pollUntil(async () => saidTo(admin, /Je n'ai pas pu importer sans-entete\.csv : Ligne 1 : la première ligne doit être un en-tête nommant les colonnes MCID, e-mail, name, type, code, title, date ; il manque : MCID, e-mail, name, type, code, title, date\./), { what: 'the French refusal' });
    assert.equal(await db.collection(collections.certificationRecords).countDocuments({ mcid: { $in: ['4400001', '4400005'] } }), 0);
  });

  it('shows progress every 10,000 rows by updating its message, then the summary', async () => {
    const rows = Array.from({ length: 10_500 }, (_, i) => row(6_000_000 + i));
    files.set('/big.csv', { body: csv(rows) });
    const before = summaries(admin).length;
    await admin.send(teamsFile('big.csv', `${server.origin}/big.csv`));
    await pollUntil(async () => summaries(admin).length === before + 1, { what: 'the summary of the big file', timeoutMs: 60_000 });
    const log = admin.conversation.log.map(textOf).join('\n');
    assert.match(log, /Importing \*\*big\.csv\*\*… 10,000 rows read, 10,000 imported, 0 rejected so far/);
    assert.match(log, /Imported \*\*big\.csv\*\*: 10,500 rows read/);
    assert.match(JSON.stringify(summaries(admin).at(-1)), /"title":"New records","value":"10,500"/);
  });

  it('takes a Web Chat / Direct Line attachment (contentUrl) too', async () => {
    files.set('/webchat.csv', { body: csv([row(4100001)]) });
    const before = summaries(admin).length;
    await admin.send({ type: 'message', attachments: [{ contentType: 'text/csv', name: 'webchat.csv', contentUrl: `${server.origin}/webchat.csv` }] });
    await pollUntil(async () => summaries(admin).length === before + 1, { what: 'the summary', timeoutMs: 15_000 });
    assert.match(JSON.stringify(summaries(admin).at(-1)), /Every row was imported/);
  });

  it("a non-admin's file is refused and never downloaded", async () => {
    files.set('/employee.csv', { body: csv([row(4200001)]) });
    const reply = await employee.send(teamsFile('employee.csv', `${server.origin}/employee.csv`));
    assert.match(reply.replies.map(textOf).join('\n'), /Only a global admin or an MPN partner admin of your organisation can import transcripts/);
    assert.equal(server.hits.includes('/employee.csv'), false);
    assert.equal(await db.collection(collections.certificationRecords).countDocuments({ mcid: '4200001' }), 0);
  });

  it('a file that is not CSV is refused', async () => {
    const reply = await admin.send(teamsFile('photo.png', `${server.origin}/photo.png`));
    assert.match(reply.replies.map(textOf).join('\n'), /photo\.png is not a CSV file/);
    assert.equal(server.hits.includes('/photo.png'), false);
  });

  it('a file over the size limit is refused: at once when its size is declared, else once it is passed', async () => {
    const many = Array.from({ length: 18_000 }, (_, i) => row(7_000_000 + i));
    files.set('/huge.csv', { body: csv(many) });
    await admin.send(teamsFile('huge.csv', `${server.origin}/huge.csv`));
    await pollUntil(async () => saidTo(admin, /That file is larger than 1 MB/), { what: 'the refusal' });
    assert.equal(await db.collection(collections.certificationRecords).countDocuments({ mcid: { $gte: '7000000', $lt: '8000000' } }), 0);

    files.set('/streamed.csv', { body: csv(many), chunked: true });
    await admin.send(teamsFile('streamed.csv', `${server.origin}/streamed.csv`));
    await pollUntil(async () => saidTo(admin, /streamed\.csv turned out larger than 1 MB, so I stopped/), { what: 'the partial refusal', timeoutMs: 30_000 });
  });

  it('a download that fails is reported', async () => {
    await admin.send(teamsFile('gone.csv', `${server.origin}/gone.csv`));
    await pollUntil(async () => saidTo(admin, /I could not download that file/), { what: 'the failure' });
  });

  it('a URL outside the allowed origins (SSRF) is refused without any request', async () => {
    files.set('/secret.csv', { body: csv([row(4300001)]) });
    for (const url of [`${untrusted.origin}/secret.csv`, 'https://169.254.169.254/latest/meta-data', 'file:///etc/passwd', 'https://10.0.0.7/x.csv']) {
      const reply = await admin.send(teamsFile('secret.csv', url));
      assert.match(reply.replies.map(textOf).join('\n'), /I can't download files from where this one is stored/, url);
    }
    assert.deepEqual(untrusted.hits, []);
    assert.equal(await db.collection(collections.certificationRecords).countDocuments({ mcid: '4300001' }), 0);
  });

  it('outside the personal chat files are not imported', async () => {
    const connector = bot.running.connector!;
    const channel = new TeamsUser(bot.url, connector, admin.account, connector.conversation('19:tailwind-channel', 'channel', TENANT, [admin.account]));
    const reply = await channel.send(teamsFile('transcript.csv', `${server.origin}/transcript.csv`));
    assert.match(reply.replies.map(textOf).join('\n'), /Send transcript files to me in our personal chat/);
  });
});
