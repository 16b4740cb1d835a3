// A bot on the fake Microsoft Graph with one organisation and its people, for the people-and-roles
// tests: Priya the PPC, Gabe a global admin, Uma a user-management admin, Axel an account admin,
// Emil a plain member, each known to the tenant's directory and having opened the bot. A second
// tenant has its own organisation and global admin (Olga), to prove tenants stay apart.
import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import { createLogger } from '../../bot/logger';
import { MongoClient, type Db } from 'mongodb';
import { createDirectory } from '../../services/directory';
import { collections } from '../../services/db/collections';
import { memberId } from '../../services/people/members';
import { newAccount, startTestBot, storeUri, TeamsUser, type TestBot } from '../support/botHarness';
import { startFakeGraph, type FakeGraph } from '../support/fakeGraph';
import { openTestStore, type TestStore } from '../support/store';
import { pollUntil } from '../support/storeAssertions';

export const TENANT = '12121212-aaaa-4000-8000-000000000012';
export const OTHER_TENANT = '34343434-bbbb-4000-8000-000000000034';
export const PARTNER_ID = '5151515';
export const OTHER_PARTNER_ID = '6161616';

type Roles = ('globalAdmin' | 'accountAdmin' | 'userManagementAdmin' | 'mpnPartnerAdmin')[];

export interface PeopleFixture {
  bot: TestBot;
  graph: FakeGraph;
  /** What the Graph directory logged (bot.logs has the rest). */
  graphLogs: string[];
  db: Db;
  ppc: TeamsUser;
  admin: TeamsUser;
  uma: TeamsUser;
  accountAdmin: TeamsUser;
  member: TeamsUser;
  otherAdmin: TeamsUser;
  /** A Teams user known to the directory of `tenant`; `opened`: they have talked to the bot. */
  person(name: string, email: string, options?: { tenant?: string; opened?: boolean }): Promise<TeamsUser>;
  /** Makes `user` an associated member of the organisation of their tenant. */
  makeMember(user: TeamsUser, roles?: Roles, orgId?: string): Promise<void>;
  /** Messages the bot posted into this user's chat after `since` (proactive ones included). */
  sentTo(user: TeamsUser, since?: number): Activity[];
  waitForMessage(user: TeamsUser, pattern: RegExp): Promise<Activity>;
  close(): Promise<void>;
}

export async function startPeopleFixture(): Promise<PeopleFixture> {
  const store: TestStore = await openTestStore();
  const graph = await startFakeGraph();
  graph.addTenant(TENANT);
  graph.addTenant(OTHER_TENANT);
  const uri = storeUri(store.uri);
  // The directory logs through a logger of its own here (the bot's is made inside startBot).
  const graphLogs: string[] = [];
  const graphLogger = createLogger('trace', new Writable({ write(chunk, _enc, done) { graphLogs.push(String(chunk)); done(); } }));
  const bot = await startTestBot({
    mongoUri: uri, directory: createDirectory(graph.directoryOptions({ logger: graphLogger })),
    // Debug logs: the password test checks the most the bot ever logs.
    env: { OUTBOX_POLL_MS: '50', OUTBOX_PER_CONVERSATION_PER_SECOND: '50', LOG_LEVEL: 'debug' },
  });
  const client = await MongoClient.connect(uri);
  const db = client.db();
  const connector = bot.running.connector!;

  const person = async (name: string, email: string, options: { tenant?: string; opened?: boolean } = {}) => {
    const tenant = options.tenant ?? TENANT;
    const account = newAccount(connector, tenant, name, email);
    graph.addUser(tenant, { id: account.aadObjectId, displayName: name, mail: email, userPrincipalName: email });
    const user = new TeamsUser(bot.url, connector, account);
    if (options.opened ?? true) await user.say('help'); // their chat is now known to the bot
    return user;
  };
  const makeMember = async (user: TeamsUser, roles: Roles = [], orgId?: string) => {
    const tenantId = user.account.tenantId!;
    await db.collection(collections.members).updateOne(
      { _id: memberId(tenantId, user.account.aadObjectId!) as never },
      { $set: {
        tenantId, orgId: orgId ?? (tenantId === TENANT ? PARTNER_ID : OTHER_PARTNER_ID), aadObjectId: user.account.aadObjectId, email: user.account.email,
        displayName: user.account.name, roles, contactTypes: [], status: 'associated', associatedAt: new Date(),
      } },
      { upsert: true },
    );
  };

  const ppc = await person('Priya PPC', 'priya@fabrikam.example');
  const admin = await person('Gabe Admin', 'gabe@fabrikam.example');
  const uma = await person('Uma Usermgmt', 'uma@fabrikam.example');
  const accountAdmin = await person('Axel Account', 'axel@fabrikam.example');
  const member = await person('Emil Employee', 'emil@fabrikam.example');
  const otherAdmin = await person('Olga Other', 'olga@northwind.example', { tenant: OTHER_TENANT });
  const organisation = (id: string, tenantId: string, legalName: string, domain: string, ppcId: string) => ({
    _id: id as never, partnerId: id, legalName, searchName: legalName.toLowerCase(), country: 'FR', address: '1 rue de la Paix, Paris',
    tenantId, preApprovedDomains: [domain], ppcAadObjectId: ppcId, createdAt: new Date(),
  });
  await db.collection(collections.organisations).insertMany([
    organisation(PARTNER_ID, TENANT, 'Fabrikam Partner', 'fabrikam.example', ppc.account.aadObjectId!),
    organisation(OTHER_PARTNER_ID, OTHER_TENANT, 'Northwind Traders', 'northwind.example', otherAdmin.account.aadObjectId!),
  ]);
  await makeMember(ppc);
  await makeMember(admin, ['globalAdmin']);
  await makeMember(uma, ['userManagementAdmin']);
  await makeMember(accountAdmin, ['accountAdmin']);
  await makeMember(member);
  await makeMember(otherAdmin, ['globalAdmin']);

  const sentTo = (user: TeamsUser, since = 0) => user.conversation.activities.slice(since).filter((a) => a.from?.id !== user.account.id);
  return {
    bot, graph, graphLogs, db, ppc, admin, uma, accountAdmin, member, otherAdmin, person, makeMember, sentTo,
    async waitForMessage(user, pattern) {
      let found: Activity | undefined;
      await pollUntil(async () => {
        found = sentTo(user).find((a) => pattern.test(`${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`));
        return Boolean(found);
      }, { what: `a message matching ${pattern} for ${user.account.name}` });
      return found!;
    },
    async close() { await bot.stop(); await client.close(); await graph.close(); await store.close(); },
  };
}

/** The body of an invoke reply, as text (a card or a message). */
export const invokeText = (result: { body: unknown }) => JSON.stringify(result.body);

/** The card returned by an invoke, if any. */
export function invokeCard(result: { body: unknown }): Record<string, unknown> | undefined {
  const body = result.body as { type?: string; value?: unknown } | undefined;
  return body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value as Record<string, unknown> : undefined;
}
