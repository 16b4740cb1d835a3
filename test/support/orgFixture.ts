// A bot with one organisation (PPC + a global admin who have both opened the bot) for the
// association, approval and invitation tests, and a way to make more Teams users.
import type { Activity } from 'botbuilder';
import { MongoClient, type Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import type { LocalAccount } from '../../bot/local/connector';
import { openTestStore, type TestStore } from './store';
import { newAccount, startTestBot, storeUri, TeamsUser, textOf, type TestBot } from './botHarness';

export const TENANT = '66666666-ffff-4000-8000-000000000006';
export const OTHER_TENANT = '77777777-aaaa-4000-8000-000000000007';
export const PARTNER_ID = '7777777';

export interface OrgFixture {
  bot: TestBot;
  db: Db;
  ppc: TeamsUser;
  admin: TeamsUser;
  person(name: string, email: string, tenant?: string): TeamsUser;
  close(): Promise<void>;
}

/** `env`: extra configuration for the bot (e.g. REPORT_LINK_SECRET, CATALOGUE_FILE). */
export async function startOrgFixture(env: Record<string, string> = {}): Promise<OrgFixture> {
  const store: TestStore = await openTestStore();
  const uri = storeUri(store.uri);
  const bot = await startTestBot({ mongoUri: uri, env: { OUTBOX_POLL_MS: '50', OUTBOX_PER_CONVERSATION_PER_SECOND: '50', ...env } });
  const client = await MongoClient.connect(uri);
  const db = client.db();
  const person = (name: string, email: string, tenant = TENANT): TeamsUser => {
    const connector = bot.running.connector!;
    const account: LocalAccount = newAccount(connector, tenant, name, email);
    return new TeamsUser(bot.url, connector, account);
  };
  const ppc = person('Priya PPC', 'priya@fabrikam.example');
  const admin = person('Gabe Admin', 'gabe@fabrikam.example');
  await db.collection(collections.organisations).insertOne({
    _id: PARTNER_ID as never, partnerId: PARTNER_ID, legalName: 'Fabrikam Partner Société', searchName: 'fabrikam partner societe', country: 'FR',
    address: '1 rue de la Paix, Paris', tenantId: TENANT, preApprovedDomains: ['fabrikam.example'], ppcAadObjectId: ppc.account.aadObjectId, createdAt: new Date(),
  });
  for (const [u, roles] of [[ppc, []], [admin, ['globalAdmin']]] as const) {
    await db.collection(collections.members).insertOne({
      _id: `${TENANT}:${u.account.aadObjectId}` as never, tenantId: TENANT, orgId: PARTNER_ID, aadObjectId: u.account.aadObjectId,
      email: u.account.email, displayName: u.account.name, roles: [...roles], contactTypes: [], status: 'associated', associatedAt: new Date(),
    });
    await u.say('help'); // the approvers have opened the bot: their chats are known
  }
  return {
    bot, db, ppc, admin, person,
    async close() { await bot.stop(); await client.close(); await store.close(); },
  };
}

/** Every reply as one searchable text (message text plus card JSON). */
export const texts = (replies: Activity[]) => replies.map((r) => `${textOf(r)} ${JSON.stringify(r.attachments ?? [])}`).join('\n');
