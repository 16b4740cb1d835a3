// Two organisations in two Entra tenants on one bot (over the fake Microsoft Graph), for the
// security suite. Tenant A's organisation has something of every kind a command or card verb
// can reach: a PPC, a global admin, members, a linked MCID, a pending association request, an
// open invitation, a pending role request, audit entries, competencies, a report link. Tenant B
// has its own organisation (Olga: PPC and global admin; Bob: a member) and a newcomer.
import { Writable } from 'node:stream';
import { MongoClient, type Db } from 'mongodb';
import { createDirectory } from '../../services/directory';
import { collections } from '../../services/db/collections';
import { memberId } from '../../services/people/members';
import type { AssociationRequestDoc } from '../../services/associations/request';
import { invite } from '../../services/invitations/invitations';
import { requestRole } from '../../services/people/roleRequests';
import { linkVerified } from '../../services/certifications/links';
import { signReportLink } from '../../services/reports/reportLinks';
import { createLogger } from '../../bot/logger';
import { importRecords } from '../competencies/fixtures';
import { newAccount, startTestBot, storeUri, TeamsUser, type TestBot } from '../support/botHarness';
import { startFakeGraph, type FakeGraph } from '../support/fakeGraph';
import { openTestStore, type TestStore } from '../support/store';
import { pollUntil } from '../support/storeAssertions';

export const TENANT_A = 'a1a1a1a1-aaaa-4000-8000-0000000000a1';
export const TENANT_B = 'b2b2b2b2-bbbb-4000-8000-0000000000b2';
export const ORG_A = '5151515';
export const ORG_B = '6161616';
export const REPORT_SECRET = 'security-suite-report-link-secret-0123456789';

type Roles = ('globalAdmin' | 'accountAdmin' | 'userManagementAdmin' | 'mpnPartnerAdmin')[];

/** Tenant A's ids and names: none of them may reach a user of tenant B. */
export interface TenantAData {
  requestId: string;
  invitationId: string;
  roleRequestId: string;
  mcid: string;
  competencyIds: string[];
  reportToken: string;
  /** The invitation's code, as the PPC was shown it. */
  invitationCode: string;
  memberAadObjectIds: string[];
  /** Every string of A's that must not appear in B's replies. */
  secrets: string[];
}

export interface TwoTenants {
  bot: TestBot;
  graph: FakeGraph;
  graphLogs: string[];
  db: Db;
  a: { ppc: TeamsUser; admin: TeamsUser; member: TeamsUser; requester: TeamsUser; data: TenantAData };
  b: { admin: TeamsUser; member: TeamsUser; newcomer: TeamsUser };
  person(name: string, email: string, tenant: string, opened?: boolean): Promise<TeamsUser>;
  makeMember(user: TeamsUser, orgId: string, roles?: Roles): Promise<void>;
  close(): Promise<void>;
}

export async function startTwoTenants(env: Record<string, string> = {}): Promise<TwoTenants> {
  const store: TestStore = await openTestStore();
  const graph = await startFakeGraph();
  graph.addTenant(TENANT_A);
  graph.addTenant(TENANT_B);
  // The mailbox invitations and codes are sent from.
  graph.addUser(TENANT_A, { displayName: 'MPN bot', mail: 'mpn-bot@fabrikam.example', userPrincipalName: 'mpn-bot@fabrikam.example' });
  const uri = storeUri(store.uri);
  const graphLogs: string[] = [];
  const graphLogger = createLogger(env.LOG_LEVEL ?? 'info', new Writable({ write(chunk, _enc, done) { graphLogs.push(String(chunk)); done(); } }));
  const bot = await startTestBot({
    mongoUri: uri, directory: createDirectory(graph.directoryOptions({ logger: graphLogger, senderMailbox: 'mpn-bot@fabrikam.example' })),
    env: { OUTBOX_POLL_MS: '50', OUTBOX_PER_CONVERSATION_PER_SECOND: '50', REPORT_LINK_SECRET: REPORT_SECRET, ...env },
  });
  const client = await MongoClient.connect(uri);
  const db = client.db();
  const connector = bot.running.connector!;

  const person = async (name: string, email: string, tenant: string, opened = true) => {
    const account = newAccount(connector, tenant, name, email);
    graph.addUser(tenant, { id: account.aadObjectId, displayName: name, mail: email, userPrincipalName: email });
    const user = new TeamsUser(bot.url, connector, account);
    if (opened) await user.say('help');
    return user;
  };
  const makeMember = async (user: TeamsUser, orgId: string, roles: Roles = []) => {
    const tenantId = user.account.tenantId!;
    await db.collection(collections.members).insertOne({
      _id: memberId(tenantId, user.account.aadObjectId!) as never, tenantId, orgId, aadObjectId: user.account.aadObjectId,
      email: user.account.email, displayName: user.account.name, roles, contactTypes: [], status: 'associated', associatedAt: new Date(),
    });
  };
  const organisation = (id: string, tenantId: string, legalName: string, domain: string, ppcId: string) => ({
    _id: id as never, partnerId: id, legalName, searchName: legalName.toLowerCase(), country: 'FR', address: `${legalName} HQ, 1 rue de la Paix, Paris`,
    tenantId, preApprovedDomains: [domain], ppcAadObjectId: ppcId, createdAt: new Date(),
  });

  // Tenant A.
  const ppc = await person('Priya Fabrikam-PPC', 'priya@fabrikam.example', TENANT_A);
  const admin = await person('Gabe Fabrikam-Admin', 'gabe@fabrikam.example', TENANT_A);
  const member = await person('Emil Fabrikam-Member', 'emil@fabrikam.example', TENANT_A);
  const requester = await person('Rita Fabrikam-Requester', 'rita@rita-home.example', TENANT_A);
  // Tenant B.
  const bAdmin = await person('Olga Northwind', 'olga@northwind.example', TENANT_B);
  const bMember = await person('Bob Northwind', 'bob@northwind.example', TENANT_B);
  const newcomer = await person('Nina Northwind', 'nina@northwind.example', TENANT_B);

  await db.collection(collections.organisations).insertMany([
    organisation(ORG_A, TENANT_A, 'Fabrikam Secretive', 'fabrikam.example', ppc.account.aadObjectId!),
    organisation(ORG_B, TENANT_B, 'Northwind Traders', 'northwind.example', bAdmin.account.aadObjectId!),
  ]);
  await makeMember(ppc, ORG_A);
  await makeMember(admin, ORG_A, ['globalAdmin', 'mpnPartnerAdmin']);
  await makeMember(member, ORG_A);
  await makeMember(bAdmin, ORG_B, ['globalAdmin', 'mpnPartnerAdmin', 'userManagementAdmin']);
  await makeMember(bMember, ORG_B);

  const idOf = (u: TeamsUser) => ({ tenantId: u.account.tenantId!, aadObjectId: u.account.aadObjectId!, name: u.account.name });
  const mcid = '771000101';
  await importRecords(db, [
    { mcid, code: 'AZ-104', email: 'emil.cert@learn.example', name: 'Emil Fabrikam-Member' },
    { mcid: '772000202', code: 'AZ-104', email: 'bob.cert@learn.example', name: 'Bob Northwind' },
  ]);
  await linkVerified(db, idOf(member), mcid);
  // Rita asks through the dialog, so her request has its approval cards and reminders (nothing left for a sweep to finish).
  await requester.say('associate');
  await requester.say(ORG_A);
  await requester.submit({ form: 'association.profile', displayName: requester.account.name, email: 'rita@rita-home.example', phone: '', language: 'en', mcid: '' });
  await requester.say('Yes');
  const pending = { request: (await db.collection<AssociationRequestDoc>(collections.associationRequests).findOne({ 'requester.aadObjectId': requester.account.aadObjectId, status: 'pending' }))! };
  if (!pending.request) throw new Error('fixture: the pending request was not made');
  const invited = await invite(db, idOf(ppc), { addresses: 'ivy.invitee@fabrikam.example', language: 'en' });
  const invitation = await db.collection(collections.invitations).findOne({ batchId: invited.batchId });
  const roleRequest = await requestRole(db, idOf(member), { roles: ['accountAdmin'], note: 'Emil would like to manage the account' });
  const reportToken = signReportLink({ orgId: ORG_A, tenantId: TENANT_A, expiresAt: new Date(Date.now() + 10 * 60_000) }, REPORT_SECRET);
  const competencyIds = bot.running.catalogue.competencies.map((c) => c.id);
  // The approval cards are delivered before any test takes a digest of tenant A's data.
  await pollUntil(async () => (await db.collection(collections.outbox).countDocuments({ status: { $in: ['pending', 'leased'] } })) === 0, { timeoutMs: 15_000, what: 'the outbox delivered' });

  const aPeople = [ppc, admin, member, requester];
  const data: TenantAData = {
    requestId: pending.request._id, invitationId: String(invitation!._id), roleRequestId: roleRequest.request._id, mcid, competencyIds, reportToken, invitationCode: invited.code!,
    memberAadObjectIds: aPeople.map((u) => u.account.aadObjectId!),
    secrets: [
      'Fabrikam Secretive', 'fabrikam.example', 'rita-home.example', 'emil.cert', 'ivy.invitee', mcid, reportToken,
      pending.request._id, String(invitation!._id), roleRequest.request._id, TENANT_A,
      ...aPeople.flatMap((u) => [u.account.name.split(' ')[1], u.account.aadObjectId!]),
    ],
  };
  return {
    bot, graph, graphLogs, db, person, makeMember,
    a: { ppc, admin, member, requester, data },
    b: { admin: bAdmin, member: bMember, newcomer },
    async close() { await bot.stop(); await client.close(); await graph.close(); await store.close(); },
  };
}
