// The bot under test, in a process of its own: the real composition root (startBot: restify +
// CloudAdapter + TeamsBot + dialogs + the outbox and notifier + the embedded store) in local mode
// on a free port. The store is fresh for every process: a temporary data folder with the journal
// (what `npm start` runs), or memory only with BENCH_STORE=memory.
//
// Bench-only controls are served on a second port of this wrapper (never by the product's
// server, see lib/controlServer.ts): the process's RSS after a forced GC (start with
// --expose-gc), CPU profiles of a phase, enqueueing notifications through the bot's own outbox,
// seeding an organisation and pending association requests through the product's own services
// (importSeed; submitAssociation, then the approval cards and reminders exactly as the dialog's
// onPending does), and counts from its store.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { collections } from '../../services/db/collections';
import { connect, type Connection } from '../../services/db/connect';
import { personalConversationOf } from '../../services/conversations/references';
import { Approvals } from '../../bot/actions/approvals';
import { PersonReach } from '../../bot/actions/reach';
import { scheduleReminders } from '../../bot/actions/reminders';
import { submitAssociation } from '../../services/associations/associate';
import { importSeed } from '../../services/organisations/importSeed';
import { Scheduler } from '../../services/scheduler/scheduler';
import { startControlServer } from '../lib/controlServer';
import { announceReady, onShutdown } from '../lib/processes';

export interface BotInfo { url: string; controlUrl: string; pid: number; store: string; notifier: NotifierSettings }
export interface NotifierSettings { perConversationPerSecond: number; perConversationBurst: number; globalPerSecond: number; globalBurst: number; concurrency: number; maxAttempts: number }
export interface EnqueueRequestBody { tenantId: string; aadObjectIds: string[]; perUser: number; keyPrefix: string; textPrefix: string; concurrency?: number }
export interface EnqueueReport { enqueued: number; missingReferences: number; enqueuedAt: Record<string, number>; ms: number }
export interface CountsReport { conversationRefs: number; botState: number; outbox: Record<string, number> }
export interface SeedPendingBody { partnerId: string; requesters: { tenantId: string; aadObjectId: string; name: string; email: string }[]; concurrency?: number }
export interface SeedPendingReport { requestIds: string[]; pending: number; accepted: number; ms: number }
export interface AssociationCounts {
  /** Requests of the organisation by status. */
  requests: Record<string, number>;
  /** Approved or rejected requests that carry who decided. */
  decided: number;
  associatedMembers: number;
  /** Audit entries of the organisation by action. */
  audit: Record<string, number>;
  /** The requester's result notifications (outbox keys association-result:*) by status. */
  resultNotifications: Record<string, number>;
}

async function main(): Promise<void> {
  /** Set with --store-process: the embedded store runs in a process of its own (bench/servers/storeServer.ts). */
  const externalUri = process.env.BENCH_MONGODB_URI;
  const memoryStore = !externalUri && process.env.BENCH_STORE === 'memory';
  const dataDir = memoryStore || externalUri ? undefined : mkdtempSync(path.join(os.tmpdir(), 'mpn-bench-db-'));
  const passThrough = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('OUTBOX_')));
  const config = loadConfig({
    ...passThrough, PORT: '0', DEMO_SEED: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...(dataDir ? { EMBEDDED_DB_PATH: dataDir } : {}),
    ...(externalUri ? { MONGODB_URI: externalUri } : {}),
  });
  const logger = createLogger(config.LOG_LEVEL, process.stderr);
  // BENCH_COUNT_COMMANDS=1: the driver reports every command, counted by name (costs a little per
  // command, so only a calibration process runs with it). The connection is then opened here,
  // with the same settings startBot would use.
  const countCommands = process.env.BENCH_COUNT_COMMANDS === '1';
  const commandCounts: Record<string, number> = {};
  const connection: Connection | undefined = memoryStore || countCommands
    ? await connect({
      ...(externalUri ? { uri: externalUri } : memoryStore ? { memoryOnly: true } : { dbPath: dataDir }),
      env: {},
      clientOptions: { serverSelectionTimeoutMS: 5000, ...(countCommands ? { monitorCommands: true } : {}) },
    })
    : undefined;
  // Counted by command and collection ("find associationRequests"), so a figure says what it read.
  connection?.client.on('commandStarted', (event) => {
    const target: unknown = event.command[event.commandName];
    const key = typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName;
    commandCounts[key] = (commandCounts[key] ?? 0) + 1;
  });
  const bot = await startBot({ config, logger, connection });
  const { db, outbox, notifier } = bot;
  // The same classes the composition root wires for the dialog's onPending (bot/app.ts).
  const approvals = new Approvals(db, outbox, new PersonReach(db, bot.directory, logger), logger);
  const scheduler = new Scheduler(db);
  const byField = async (name: string, field: string, match: object) => Object.fromEntries(
    (await db.collection(name).aggregate<{ _id: string; n: number }>([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }]).toArray()).map((g) => [g._id, g.n]));

  const control = await startControlServer({
    'GET /commands': async () => ({ ...commandCounts }),
    'POST /commands/reset': async () => { for (const k of Object.keys(commandCounts)) delete commandCounts[k]; return {}; },
    // What outboxSettled polls: counted on the status index, where /counts groups every notification.
    'GET /outbox/undelivered': async () => ({
      undelivered: await db.collection(collections.outbox).countDocuments({ status: { $in: ['pending', 'leased'] } }),
    }),
    'GET /counts': async () => {
      const byStatus = await db.collection(collections.outbox).aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
      const report: CountsReport = {
        conversationRefs: await db.collection(collections.conversationRefs).countDocuments(),
        botState: await db.collection(collections.botState).countDocuments(),
        outbox: Object.fromEntries(byStatus.map((s) => [s._id, s.n])),
      };
      return report;
    },
    // An organisation, its PPC and members, through the seed import (validated as `npm run seed` does).
    'POST /seed/organisation': async (_url, raw) => {
      const report = await importSeed(db, raw);
      if (report.problems.length) throw new Error(`seed refused: ${report.problems.join('; ')}`);
      return report;
    },
    // Pending requests as the dialog's last step makes them: submitAssociation (every rule), then
    // the approval cards to the approvers and the reminders (the dialog's onPending in bot/app.ts).
    'POST /seed/pending': async (_url, raw) => {
      const body = raw as SeedPendingBody;
      const started = Date.now();
      const requestIds: string[] = new Array(body.requesters.length);
      let pending = 0;
      let next = 0;
      await Promise.all(Array.from({ length: Math.max(1, body.concurrency ?? 8) }, async () => {
        while (next < body.requesters.length) {
          const i = next++;
          const r = body.requesters[i];
          const result = await submitAssociation(db, { tenantId: r.tenantId, aadObjectId: r.aadObjectId, name: r.name },
            { partnerId: body.partnerId, displayName: r.name, email: r.email, emailProven: true, language: 'en' });
          requestIds[i] = result.request._id;
          if (result.outcome !== 'pending') continue;
          pending++;
          await approvals.notifyPending(result.request);
          await scheduleReminders(scheduler, result.request);
        }
      }));
      const report: SeedPendingReport = { requestIds, pending, accepted: body.requesters.length - pending, ms: Date.now() - started };
      return report;
    },
    'GET /associations': async (url) => {
      const orgId = url.searchParams.get('partnerId') ?? '';
      const requests = collections.associationRequests;
      const report: AssociationCounts = {
        requests: await byField(requests, 'status', { orgId }),
        decided: await db.collection(requests).countDocuments({ orgId, status: { $in: ['approved', 'rejected'] }, 'decidedBy.aadObjectId': { $exists: true } }),
        associatedMembers: await db.collection(collections.members).countDocuments({ orgId, status: 'associated' }),
        audit: await byField(collections.audit, 'action', { orgId }),
        resultNotifications: await byField(collections.outbox, 'status', { _id: { $regex: '^association-result:' } }),
      };
      return report;
    },
    'POST /enqueue': async (_url, raw) => {
      const body = raw as EnqueueRequestBody;
      const references = await Promise.all(body.aadObjectIds.map((id) => personalConversationOf(db, body.tenantId, id)));
      const enqueuedAt: Record<string, number> = {};
      const started = Date.now();
      // Round-robin over the users, as events for many people would arrive, with up to
      // `concurrency` enqueues in flight (features enqueue from many turns at once).
      const jobs: { key: string; reference: NonNullable<(typeof references)[number]> }[] = [];
      let missing = 0;
      for (let n = 0; n < body.perUser; n++) {
        for (let u = 0; u < references.length; u++) {
          const reference = references[u];
          if (reference) jobs.push({ key: `${body.keyPrefix}${u}-${n}`, reference });
          else missing++;
        }
      }
      let next = 0;
      await Promise.all(Array.from({ length: Math.max(1, body.concurrency ?? 1) }, async () => {
        while (next < jobs.length) {
          const { key, reference } = jobs[next++];
          await outbox.enqueue({ key, target: { tenantId: body.tenantId, reference }, activity: { type: 'message', text: `${body.textPrefix}${key}` } });
          enqueuedAt[key] = Date.now(); // stored (and on disk, with the journal): delivery may start
        }
      }));
      const report: EnqueueReport = { enqueued: Object.keys(enqueuedAt).length, missingReferences: missing, enqueuedAt, ms: Date.now() - started };
      return report;
    },
  });

  const o = notifier.options;
  const info: BotInfo = {
    url: bot.url,
    controlUrl: control.url,
    pid: process.pid,
    store: externalUri ? `embedded, in its own process (${process.env.BENCH_STORE === 'memory' ? 'memory only' : 'journal'})`
      : memoryStore ? 'embedded, memory only' : 'embedded, journal in a temporary folder',
    notifier: {
      perConversationPerSecond: o.perConversationPerSecond, perConversationBurst: o.perConversationBurst,
      globalPerSecond: o.globalPerSecond, globalBurst: o.globalBurst, concurrency: o.concurrency, maxAttempts: o.maxAttempts,
    },
  };
  announceReady(info);

  onShutdown(async () => {
    await control.close();
    await bot.close();
    await connection?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench bot failed to start: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
