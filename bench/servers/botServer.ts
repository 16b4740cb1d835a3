// The bot under test, in a process of its own: the real composition root (startBot: restify +
// CloudAdapter + TeamsBot + dialogs + the outbox and notifier + the embedded store) in local mode
// on a free port. The store is fresh for every process: a temporary data folder with the journal
// (what `npm start` runs), or memory only with BENCH_STORE=memory.
//
// Bench-only controls are served on a second port of this wrapper (never by the product's
// server, see lib/controlServer.ts): the process's RSS after a forced GC (start with
// --expose-gc), CPU profiles of a phase, enqueueing notifications through the bot's own outbox,
// and counts from its store.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { collections } from '../../services/db/collections';
import { connect, type Connection } from '../../services/db/connect';
import { personalConversationOf } from '../../services/conversations/references';
import { startControlServer } from '../lib/controlServer';
import { announceReady, onShutdown } from '../lib/processes';

export interface BotInfo { url: string; controlUrl: string; pid: number; store: string; notifier: NotifierSettings }
export interface NotifierSettings { perConversationPerSecond: number; perConversationBurst: number; globalPerSecond: number; globalBurst: number; concurrency: number; maxAttempts: number }
export interface EnqueueRequestBody { tenantId: string; aadObjectIds: string[]; perUser: number; keyPrefix: string; textPrefix: string; concurrency?: number }
export interface EnqueueReport { enqueued: number; missingReferences: number; enqueuedAt: Record<string, number>; ms: number }
export interface CountsReport { conversationRefs: number; botState: number; outbox: Record<string, number> }

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
  connection?.client.on('commandStarted', (event) => { commandCounts[event.commandName] = (commandCounts[event.commandName] ?? 0) + 1; });
  const bot = await startBot({ config, logger, connection });
  const { db, outbox, notifier } = bot;

  const control = await startControlServer({
    'GET /commands': async () => ({ ...commandCounts }),
    'POST /commands/reset': async () => { for (const k of Object.keys(commandCounts)) delete commandCounts[k]; return {}; },
    'GET /counts': async () => {
      const byStatus = await db.collection(collections.outbox).aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
      const report: CountsReport = {
        conversationRefs: await db.collection(collections.conversationRefs).countDocuments(),
        botState: await db.collection(collections.botState).countDocuments(),
        outbox: Object.fromEntries(byStatus.map((s) => [s._id, s.n])),
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
