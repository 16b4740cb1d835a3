// Two approvers racing through two bot instances (issue 7): one embedded store in a process of
// its own (what `npm run db` runs), two bot processes on it, one Bot Connector stand-in outside
// both. `requests` pending requests are stored as the dialog's last step stores them
// (submitAssociation, then the approval cards and reminders, as its onPending does); then, for
// each, the PPC and a global admin click Approve at the same moment, through different
// instances. Returns what the store and the connector show, for the test (40 requests) and
// bench/reliability/races.ts (500 requests) to judge.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { Approvals } from '../../bot/actions/approvals';
import { PersonReach } from '../../bot/actions/reach';
import { scheduleReminders } from '../../bot/actions/reminders';
import { createLogger } from '../../bot/logger';
import { submitAssociation } from '../../services/associations/associate';
import { collections } from '../../services/db/collections';
import { UnavailableDirectory } from '../../services/directory/unavailableDirectory';
import { Outbox } from '../../services/outbox/outbox';
import { Scheduler } from '../../services/scheduler/scheduler';
import { adaptiveCards, newAccount, startStandaloneConnector, storeUri, TeamsUser } from './botHarness';
import { startBotProcess, type BotProcess } from './botProcess';
import { startStoreProcess, type StoreProcess } from './storeProcess';
import { pollUntil } from './storeAssertions';
import { outboxSettled, seedOrganisation, TENANT } from '../reliability/fixture';

export interface RaceOptions {
  requests: number;
  /** Requests raced at once (each is two clicks). */
  inFlight?: number;
  /** Progress lines (the bench prints them). */
  log?: (line: string) => void;
}

export interface RaceCounts {
  requests: number;
  instances: number;
  clicks: number;
  /** Clicks answered with anything but 200 and an adaptive card. */
  badAnswers: number;
  /** Pairs whose two answers named different deciders, or did not show the decision. */
  disagreements: number;
  approved: number;
  /** Approved requests that record who decided. */
  decided: number;
  audited: number;
  auditedSubjects: number;
  memberships: number;
  toldOnce: number;
  toldMoreThanOnce: number;
  notTold: number;
  /** Approval card copies in the approvers' chats, and how many show the decision without buttons. */
  cardCopies: number;
  cardCopiesFinal: number;
  deadNotifications: number;
  seconds: { setUp: number; race: number; settle: number };
}

const NOTIFIER = { OUTBOX_POLL_MS: '50', OUTBOX_PER_CONVERSATION_PER_SECOND: '200', OUTBOX_GLOBAL_PER_SECOND: '1000' };

export async function raceAcrossInstances(options: RaceOptions): Promise<RaceCounts> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'mpn-races-'));
  const standalone = await startStandaloneConnector();
  const connector = standalone.connector;
  let store: StoreProcess | undefined;
  const bots: BotProcess[] = [];
  let client: MongoClient | undefined;
  try {
    store = await startStoreProcess(join(dataDir, 'db'));
    const uri = storeUri(store.uri, 'races');
    bots.push(...await Promise.all([0, 1].map(() => startBotProcess({ MONGODB_URI: uri, ...NOTIFIER }))));
    log(`store ${store.uri}, bots ${bots.map((b) => b.url).join(' and ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
    const db = client.db();

    const { ppc, admin } = await seedOrganisation(db, connector);
    const approver = (account: typeof ppc, bot: BotProcess) => new TeamsUser(bot.url, connector, account);
    for (const a of [ppc, admin]) await approver(a, bots[0]).say('help'); // their chats are known
    const requesters = Array.from({ length: options.requests }, (_, i) => {
      const n = String(i).padStart(4, '0');
      return newAccount(connector, TENANT, `Requester ${n}`, `requester${n}@elsewhere.example`);
    });
    // Each requester has talked to the bot once (through either instance): it knows where to tell them.
    await inParallel(requesters, 8, (r, i) => new TeamsUser(bots[i % 2].url, connector, r).say('status').then(() => undefined));

    log(`requesters known (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    // The dialog's last step, as bot/app.ts wires it: store the request, then the cards and reminders.
    const sink = new Writable({ write(_chunk, _enc, done) { done(); } });
    const logger = createLogger('warn', sink);
    const outbox = new Outbox(db);
    const approvals = new Approvals(db, outbox, new PersonReach(db, new UnavailableDirectory(), logger), logger);
    const scheduler = new Scheduler(db);
    const requestIds: string[] = new Array(requesters.length);
    await inParallel(requesters, 8, async (r, i) => {
      const result = await submitAssociation(db, { tenantId: TENANT, aadObjectId: r.aadObjectId, name: r.name },
        { partnerId: '8888888', displayName: r.name, email: r.email, emailProven: true, language: 'en' });
      if (result.outcome !== 'pending') throw new Error(`request ${i} was ${result.outcome}, not pending`);
      requestIds[i] = result.request._id;
      await approvals.notifyPending(result.request);
      await scheduleReminders(scheduler, result.request);
    });
    log(`requests stored, cards enqueued (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    await outboxSettled(db, 120_000); // every approval card is in the approvers' chats
    log(`${requesters.length} pending requests, ${2 * requesters.length} approval cards delivered`);
    const setUp = Date.now();

    // The race: for each request both approvers click at once, each through a different instance.
    let badAnswers = 0;
    let disagreements = 0;
    await inParallel(requestIds, options.inFlight ?? 8, async (requestId, i) => {
      const answers = await Promise.all([
        approver(ppc, bots[i % 2]).execute('association.approve', { requestId }),
        approver(admin, bots[(i + 1) % 2]).execute('association.approve', { requestId }),
      ]);
      const deciders = answers.map((a) => {
        const body = a.body as { statusCode?: number; type?: string; value?: unknown } | undefined;
        if (a.status !== 200 || body?.type !== 'application/vnd.microsoft.card.adaptive') { badAnswers++; return undefined; }
        return /Approved by (Pia PPC|Gus Admin)/.exec(JSON.stringify(body.value))?.[1];
      });
      if (!deciders[0] || deciders[0] !== deciders[1]) disagreements++;
    });
    const raced = Date.now();
    log(`${2 * requestIds.length} clicks answered`);

    await outboxSettled(db, 120_000);
    const names = requesters.map((r) => r.name);
    const copies = [ppc, admin].flatMap((a) => adaptiveCards(connector.personalConversation(a).activities))
      .map((card) => JSON.stringify(card)).filter((json) => names.some((n) => json.includes(n)));
    // Card updates are the notifier's last step: wait until none shows buttons any more (bounded).
    await pollUntil(async () => [ppc, admin].flatMap((a) => adaptiveCards(connector.personalConversation(a).activities))
      .every((card) => !JSON.stringify(card).includes('"verb":"association.approve"')), { timeoutMs: 30_000, what: 'every card copy updated' }).catch(() => undefined);
    const finalCopies = [ppc, admin].flatMap((a) => adaptiveCards(connector.personalConversation(a).activities))
      .map((card) => JSON.stringify(card)).filter((json) => names.some((n) => json.includes(n)))
      .filter((json) => /Approved by (Pia PPC|Gus Admin)/.test(json) && !json.includes('"verb":"association.approve"'));
    const told = requesters.map((r) => connector.personalConversation(r).activities.filter((a) => /was approved by (Pia PPC|Gus Admin)/.test(a.text ?? '')).length);
    const requests = db.collection(collections.associationRequests);
    const aadIds = requesters.map((r) => r.aadObjectId);
    const auditSubjects = await db.collection(collections.audit).distinct('subject', { orgId: '8888888', action: 'association.approved' });
    return {
      requests: requestIds.length,
      instances: bots.length,
      clicks: 2 * requestIds.length,
      badAnswers,
      disagreements,
      approved: await requests.countDocuments({ _id: { $in: requestIds as never[] }, status: 'approved' }),
      decided: await requests.countDocuments({ _id: { $in: requestIds as never[] }, status: 'approved', 'decidedBy.aadObjectId': { $in: [ppc.aadObjectId, admin.aadObjectId] } }),
      audited: await db.collection(collections.audit).countDocuments({ orgId: '8888888', action: 'association.approved' }),
      auditedSubjects: auditSubjects.length,
      memberships: await db.collection(collections.members).countDocuments({ aadObjectId: { $in: aadIds }, orgId: '8888888', status: 'associated' }),
      toldOnce: told.filter((n) => n === 1).length,
      toldMoreThanOnce: told.filter((n) => n > 1).length,
      notTold: told.filter((n) => n === 0).length,
      cardCopies: copies.length,
      cardCopiesFinal: finalCopies.length,
      deadNotifications: await db.collection(collections.outbox).countDocuments({ status: 'dead' }),
      seconds: { setUp: (setUp - started) / 1000, race: (raced - setUp) / 1000, settle: (Date.now() - raced) / 1000 },
    };
  } catch (err) {
    for (const b of bots) process.stderr.write(`bot ${b.url} log tail: ${b.stderr().slice(-1500)}\n`);
    throw err;
  } finally {
    await client?.close().catch(() => undefined);
    await Promise.all(bots.map((b) => b.kill9()));
    await store?.kill9();
    await standalone.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  }));
}
