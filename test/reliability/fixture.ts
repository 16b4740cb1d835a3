// What the reliability tests share: an organisation (PPC + a global admin) written straight into
// a store the bots run on, Teams users at a connector outside every bot process, and waiting
// for the outbox to have delivered everything.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { collections, DEFAULT_DB_NAME } from '../../services/db/collections';
import type { LocalAccount, LocalConnector } from '../../bot/local/connector';
import { newAccount, TeamsUser } from '../support/botHarness';
import { startBotProcess, type BotProcess } from '../support/botProcess';
import { pollUntil } from '../support/storeAssertions';

export const TENANT = '88888888-bbbb-4000-8000-000000000008';
export const PARTNER_ID = '8888888';
export const ORG_NAME = 'Northwind Reliability Ltd';
/** Addresses on this domain are accepted at once; others wait for an approver. */
export const PRE_APPROVED = 'northwind.example';

export interface Approvers { ppc: LocalAccount; admin: LocalAccount }

export async function seedOrganisation(db: Db, connector: LocalConnector): Promise<Approvers> {
  const ppc = newAccount(connector, TENANT, 'Pia PPC', `pia@${PRE_APPROVED}`);
  const admin = newAccount(connector, TENANT, 'Gus Admin', `gus@${PRE_APPROVED}`);
  await db.collection(collections.organisations).insertOne({
    _id: PARTNER_ID as never, partnerId: PARTNER_ID, legalName: ORG_NAME, searchName: ORG_NAME.toLowerCase(), country: 'GB',
    address: '1 Reliability Road, London', tenantId: TENANT, preApprovedDomains: [PRE_APPROVED], ppcAadObjectId: ppc.aadObjectId, createdAt: new Date(),
  });
  for (const [account, roles] of [[ppc, []], [admin, ['globalAdmin']]] as const) {
    await db.collection(collections.members).insertOne({
      _id: `${TENANT}:${account.aadObjectId}` as never, tenantId: TENANT, orgId: PARTNER_ID, aadObjectId: account.aadObjectId,
      email: account.email, displayName: account.name, roles: [...roles], contactTypes: [], status: 'associated', associatedAt: new Date(),
    });
  }
  return { ppc, admin };
}

/** A Teams user talking to the bot at `botUrl` (a new one after each restart; the chat stays the same). */
export const userAt = (botUrl: string, connector: LocalConnector, account: LocalAccount) => new TeamsUser(botUrl, connector, account);

/** Until every outbox entry has reached a final state (delivered, or dead). */
export async function outboxSettled(db: Db, timeoutMs = 20_000): Promise<void> {
  await pollUntil(async () => (await db.collection(collections.outbox).countDocuments({ status: { $nin: ['done', 'dead', 'cancelled'] } })) === 0,
    { timeoutMs, intervalMs: 100, what: 'the outbox to deliver everything' });
}

/**
 * Bots in child processes, each on an embedded store in its own process with a data folder
 * under one temporary directory (kill -9 takes that store down too), plus clients to read their
 * stores; everything is killed and removed by `close()`.
 */
export class CrashLab {
  private readonly running = new Set<BotProcess>();
  private readonly clients = new Set<MongoClient>();

  private constructor(readonly dataDir: string) {}

  static async open(): Promise<CrashLab> {
    return new CrashLab(await mkdtemp(join(tmpdir(), 'mpn-crash-')));
  }

  /** A bot on `folder` (FOLLOW_UPS_GRACE_MS 0: a restarted bot finishes interrupted work at once), and its store. */
  async boot(folder: string, env: Record<string, string> = {}): Promise<{ bot: BotProcess; db: Db }> {
    const bot = await startBotProcess({ EMBEDDED_DB_PATH: join(this.dataDir, folder), FOLLOW_UPS_GRACE_MS: '0', ...env });
    this.running.add(bot);
    const client = await MongoClient.connect(bot.storeUri, { serverSelectionTimeoutMS: 5000 });
    this.clients.add(client);
    return { bot, db: client.db(DEFAULT_DB_NAME) };
  }

  /** kill -9 now. */
  async crash(bot: BotProcess): Promise<void> {
    await bot.kill9();
    this.running.delete(bot);
  }

  /** Waits for a bot to die by itself (a fault hook). */
  async died(bot: BotProcess): Promise<void> {
    await bot.exited();
    this.running.delete(bot);
  }

  async close(): Promise<void> {
    for (const c of this.clients) await c.close().catch(() => undefined);
    for (const b of this.running) await b.kill9();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Submits the association form for `user` (their Teams address, so it is proven). */
export const submitForm = (user: TeamsUser, fields: Record<string, string> = {}) =>
  user.submit({ form: 'association.profile', displayName: user.account.name, email: user.account.email, phone: '', language: 'en', mcid: '', ...fields });
