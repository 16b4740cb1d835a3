// The bot in a process of its own, for the reliability tests (test/reliability) and
// bench/reliability/races.ts: the real composition root (startBot) in local mode on a free port,
// on MONGODB_URI (a store in another process, shared by several bots) or on an embedded store
// with a data folder in this process (EMBEDDED_DB_PATH: kill -9 then takes the store down too).
// Prints one line `READY {"url":…,"storeUri":…}` once it listens, and anything local mode prints
// (one-time codes) as `PRINT <line>`; logs go to stderr.
//
// Test-only fault hooks (RELIABILITY_FAULT), never in a production path: the process SIGKILLs
// itself at an exact point, to prove the bot finishes the work after a restart.
//   kill-after-decision      right after the guarded pending → approved/rejected update is
//                            stored: no membership, audit entry or notification written yet.
//   kill-after-pending-insert right after a pending request is stored: no approval card and no
//                            reminder enqueued yet.
import { Collection, type Document } from 'mongodb';
import { startBot } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { collections } from '../../services/db/collections';
import { connect, type Connection } from '../../services/db/connect';

const fault = process.env.RELIABILITY_FAULT;

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

if (fault === 'kill-after-decision') {
  const original = Collection.prototype.findOneAndUpdate as (this: Collection, ...args: unknown[]) => Promise<unknown>;
  (Collection.prototype as unknown as { findOneAndUpdate: unknown }).findOneAndUpdate = async function (this: Collection, ...args: unknown[]) {
    const result = await original.apply(this, args);
    const status = (args[1] as { $set?: { status?: unknown } } | undefined)?.$set?.status;
    if (this.collectionName === collections.associationRequests && result && (status === 'approved' || status === 'rejected')) die();
    return result;
  };
} else if (fault === 'kill-after-pending-insert') {
  const original = Collection.prototype.insertOne as (this: Collection, ...args: unknown[]) => Promise<unknown>;
  (Collection.prototype as unknown as { insertOne: unknown }).insertOne = async function (this: Collection, ...args: unknown[]) {
    const result = await original.apply(this, args);
    if (this.collectionName === collections.associationRequests && (args[0] as Document).status === 'pending') die();
    return result;
  };
} else if (fault) {
  process.stderr.write(`unknown RELIABILITY_FAULT '${fault}'\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const passThrough = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(OUTBOX_|LOG_LEVEL$|MONGODB_URI$)/.test(k)));
  const config = loadConfig({ PORT: '0', DEMO_SEED: 'false', LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '50', OUTBOX_PER_CONVERSATION_PER_SECOND: '50', ...passThrough });
  const logger = createLogger(config.LOG_LEVEL, process.stderr);
  // A data folder: the store runs here, and its URI is printed so the test can read and seed it.
  const dbPath = process.env.EMBEDDED_DB_PATH;
  const connection: Connection | undefined = !config.MONGODB_URI && dbPath ? await connect({ dbPath, env: {} }) : undefined;
  const graceMs = process.env.FOLLOW_UPS_GRACE_MS;
  const bot = await startBot({
    config, logger, connection,
    print: (line) => process.stdout.write(`PRINT ${line}\n`),
    followUps: graceMs !== undefined ? { graceMs: Number(graceMs) } : undefined,
  });
  process.stdout.write(`READY ${JSON.stringify({ url: bot.url, storeUri: connection?.uri ?? config.MONGODB_URI })}\n`);
  const stop = () => {
    bot.close().then(() => connection?.close()).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`bot process failed to start: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
