// The skills report end to end over HTTP: `skills report` answers with a summary card and a
// signed link; the bot serves the CSV behind it (streamed, not cached); a tampered, expired,
// malformed or other organisation's link gets 403 and no data; non-admins get no link.
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { Db } from 'mongodb';
import { signReportLink } from '../../services/reports/reportLinks';
import { SKILLS_REPORT_COLUMNS } from '../../services/reports/skillsReport';
import { adaptiveCards, TeamsUser } from '../support/botHarness';
import { OTHER_TENANT, PARTNER_ID, startOrgFixture, TENANT, texts, type OrgFixture } from '../support/orgFixture';
import { addMember, addOrganisation, certifiedMember, type Org } from '../competencies/fixtures';

const SECRET = 'report-route-test-secret-0123456789abcdef';
const ORG: Org = { orgId: PARTNER_ID, tenantId: TENANT, legalName: 'Fabrikam Partner Société' };
const OTHER: Org = { orgId: '8888888', tenantId: OTHER_TENANT, legalName: 'Other Tenant Ltd' };

const facts = (card: Record<string, unknown>) => Object.fromEntries(
  ((card.body as Array<{ type: string; facts?: Array<{ title: string; value: string }> }>).find((b) => b.type === 'FactSet')?.facts ?? []).map((f) => [f.title, f.value]),
);
const openUrl = (card: Record<string, unknown>) => (card.actions as Array<{ type: string; url?: string }>).find((a) => a.type === 'Action.OpenUrl')?.url ?? '';

describe('skills report over HTTP', () => {
  let fixture: OrgFixture;
  let db: Db;
  let admin: TeamsUser;
  let url = '';

  before(async () => {
    fixture = await startOrgFixture({ REPORT_LINK_SECRET: SECRET });
    ({ db, admin } = fixture);
    await certifiedMember(db, ORG, { aadObjectId: 'ada', name: 'Ada Lovelace', mcid: '991000001', codes: ['AZ-104', 'MS-900'] });
    await certifiedMember(db, ORG, { aadObjectId: 'eve', name: 'Eve Analyst', mcid: '991000002', codes: ['DP-203'] });
    await addOrganisation(db, OTHER);
    await certifiedMember(db, OTHER, { aadObjectId: 'oz', name: 'Oz Other', mcid: '991000009', codes: ['AZ-104'] });
  });
  after(async () => { await fixture?.close(); });

  it('an admin gets a summary card with a download link that expires', async () => {
    const [card] = adaptiveCards(await admin.say('skills report'));
    assert.ok(card, 'a summary card');
    assert.deepEqual(facts(card), { Rows: '3', People: '2', 'Competencies counted': '2', 'Link expires': facts(card)['Link expires'] });
    assert.match(facts(card)['Link expires'], /^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/);
    url = openUrl(card);
    assert.match(url, new RegExp(`^${fixture.bot.url}/api/reports/skills\\?org=${PARTNER_ID}&token=v1\\.`));
    // The status card's button gives the same card.
    const clicked = await admin.execute('competency.report', { orgId: PARTNER_ID });
    assert.match(openUrl((clicked.body as { value: Record<string, unknown> }).value), /token=v1\./);
  });

  it('the link downloads the CSV: the columns of DESIGN §3, one row per exam of active members, not cached', async () => {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="skills-report-7777777-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.match(response.headers.get('cache-control') ?? '', /no-store/);
    const rows = parse(await response.text(), { bom: true }) as string[][];
    assert.deepEqual(rows[0], [...SKILLS_REPORT_COLUMNS]);
    assert.deepEqual(rows[0], ['User name', 'E-mail', 'MCID', 'Type', 'Code', 'Title', 'Date', 'Counts toward']);
    assert.deepEqual(rows.slice(1), [
      ['Ada Lovelace', 'ada@fabrikam.example', '991000001', 'exam', 'AZ-104', 'Title of AZ-104', '2025-05-01', 'Cloud Platform (Silver, Gold)'],
      ['Ada Lovelace', 'ada@fabrikam.example', '991000001', 'exam', 'MS-900', 'Title of MS-900', '2025-05-01', ''],
      ['Eve Analyst', 'eve@fabrikam.example', '991000002', 'exam', 'DP-203', 'Title of DP-203', '2025-05-01', 'Data Analytics (Silver, Gold)'],
    ]);
  });

  const refused = async (target: string, headers: Record<string, string> = {}) => {
    const response = await fetch(target, { headers });
    const body = await response.text();
    assert.equal(response.status, 403, body);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.doesNotMatch(body, /Ada|Eve|991000001|User name/);
    return body;
  };

  it('a tampered link is refused with 403 and no data', async () => {
    const token = new URL(url).searchParams.get('token')!;
    const [version, payload, signature] = token.split('.');
    const otherSig = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.match(await refused(`${fixture.bot.url}/api/reports/skills?org=${PARTNER_ID}&token=${version}.${payload}.${otherSig}`), /has been changed or was not issued by this bot/);
    // The claims changed (another organisation named inside), the signature kept.
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace(PARTNER_ID, OTHER.orgId)).toString('base64url');
    assert.match(await refused(`${fixture.bot.url}/api/reports/skills?org=${OTHER.orgId}&token=${version}.${forged}.${signature}`), /has been changed/);
  });

  it('an expired link is refused with 403 and no data', async () => {
    const expired = signReportLink({ orgId: PARTNER_ID, tenantId: TENANT, expiresAt: new Date(Date.now() - 60_000) }, SECRET);
    assert.match(await refused(`${fixture.bot.url}/api/reports/skills?org=${PARTNER_ID}&token=${expired}`), /This report link has expired/);
    // In the reader's browser language.
    assert.match(await refused(`${fixture.bot.url}/api/reports/skills?org=${PARTNER_ID}&token=${expired}`, { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' }), /Ce lien de rapport a expiré/);
  });

  it("another organisation's link, or a link signed for one tenant's organisation but another tenant, is refused", async () => {
    const others = signReportLink({ orgId: OTHER.orgId, tenantId: OTHER_TENANT, expiresAt: new Date(Date.now() + 600_000) }, SECRET);
    assert.match(await refused(`${fixture.bot.url}/api/reports/skills?org=${PARTNER_ID}&token=${others}`), /This report link is for another organisation/);
    const wrongTenant = signReportLink({ orgId: PARTNER_ID, tenantId: OTHER_TENANT, expiresAt: new Date(Date.now() + 600_000) }, SECRET);
    assert.match(await refused(`${fixture.bot.url}/api/reports/skills?org=${PARTNER_ID}&token=${wrongTenant}`), /This report link is for another organisation/);
  });

  it('a malformed request is refused: no token, two tokens, operators in the query, a bad organisation', async () => {
    const token = new URL(url).searchParams.get('token')!;
    for (const query of ['', `org=${PARTNER_ID}`, `org=${PARTNER_ID}&token=${token}&token=${token}`, `org[$gt]=&token=${token}`, `org=${PARTNER_ID}&token[$ne]=x`, `org=abc&token=${token}`, `org=${PARTNER_ID}&token=not-a-token`]) {
      assert.match(await refused(`${fixture.bot.url}/api/reports/skills?${query}`), /This report link is not valid/, query);
    }
  });

  it('no link is posted where others read it: in a channel the admin is sent to the personal chat', async () => {
    const connector = fixture.bot.running.connector!;
    const channel = connector.conversation('19:reports@thread.tacv2', 'channel', TENANT, [admin.account]);
    const inChannel = new TeamsUser(fixture.bot.url, connector, admin.account, channel);
    const said = await inChannel.say('skills report');
    assert.match(texts(said), /only given in a personal chat with me/);
    assert.doesNotMatch(JSON.stringify(said), /token=/);
    const clicked = await inChannel.execute('competency.report', { orgId: PARTNER_ID });
    assert.match(JSON.stringify(clicked.body), /only given in a personal chat with me/);
  });

  it('a plain member and another tenant\'s admin get no link', async () => {
    const member = fixture.person('Mo Member', 'mo@fabrikam.example');
    await addMember(db, ORG, { aadObjectId: member.account.aadObjectId, name: 'Mo Member' });
    const refusedMember = await member.say('skills report');
    assert.match(texts(refusedMember), /Only a global admin or an MPN partner admin/);
    assert.doesNotMatch(texts(refusedMember), /token=/);
    const forced = await member.execute('competency.report', { orgId: PARTNER_ID });
    assert.match(JSON.stringify(forced.body), /Only global admins and MPN partner admins/);
    assert.doesNotMatch(JSON.stringify(forced.body), /token=/);
    const olga = fixture.person('Olga Other', 'olga@other.example', OTHER_TENANT);
    await addMember(db, OTHER, { aadObjectId: olga.account.aadObjectId, name: 'Olga Other', roles: ['globalAdmin'] });
    const forged = await olga.execute('competency.report', { orgId: PARTNER_ID });
    assert.match(JSON.stringify(forged.body), /You can only see the competencies of the organisation you are associated with/);
    assert.doesNotMatch(JSON.stringify(forged.body), /token=/);
  });
});
