// The composition root: config → store → state → dialogs → bot → adapter → server. Nothing
// else constructs infrastructure; `index.ts` and the end-to-end tests both start the bot here.
import type { AddressInfo } from 'node:net';
import { PrivateConversationState } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { DialogState } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { connect, type Connection } from '../services/db/connect';
import { createDirectory, type Directory } from '../services/directory';
import { Outbox } from '../services/outbox/outbox';
import { SchedulerWorker } from '../services/scheduler/schedulerWorker';
import { MongoStateStorage } from '../services/db/stateStorage';
import { seedDemo } from '../services/demo/seed';
import { createDialogs } from '../dialogs';
import { createAdapter, type BotAdapter } from './adapter';
import { CardActionRouter } from './cardActions';
import { botCardRoutes } from './cardRoutes';
import { CommandRunner } from './commandRunner';
import type { Config } from './config';
import { mountChatPage } from './local/chatPage';
import { LocalConnector } from './local/connector';
import { LocalDirectLine } from './local/directLine';
import { Notifier } from './notifier';
import { ProactiveDelivery } from './proactiveDelivery';
import { addPersonaAccounts } from './local/personaAccounts';
import { createServer } from './server';
import { TeamsBot } from './teamsBot';

export interface StartOptions {
  config: Config;
  logger: Logger;
  /** An open connection to use (tests share one store between instances); else connect() from config. */
  connection?: Connection;
  credentialsFactory?: ServiceClientCredentialsFactory;
}

export interface RunningBot {
  url: string;
  port: number;
  db: Db;
  storeMode: Connection['mode'];
  adapter: BotAdapter;
  /** Proactive messages: write here, the notifier delivers (leased, rate-limited, idempotent). */
  outbox: Outbox;
  notifier: Notifier;
  /** Microsoft Graph, or an unavailable directory that says so when no credentials are set. */
  directory: Directory;
  /** Local mode only: the stand-in Bot Connector that carries replies to the browser chat. */
  connector?: LocalConnector;
  /** Stops accepting, finishes turns in flight, then closes the store if this bot opened it. */
  close(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2000;

export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const connection = options.connection
    ?? await connect({ uri: config.MONGODB_URI, dbPath: config.EMBEDDED_DB_PATH, clientOptions: { serverSelectionTimeoutMS: 5000 } });
  const { db } = connection;

  const dialogState = new PrivateConversationState(new MongoStateStorage(db));
  const dialogs = createDialogs(db, dialogState.createProperty<DialogState>('dialogState'));
  const commands = new CommandRunner(db);
  const bot = new TeamsBot({ db, logger, dialogState, dialogs, commands, cardActions: new CardActionRouter(botCardRoutes(dialogs, commands)) });
  const adapter = createAdapter(config, logger, { credentialsFactory: options.credentialsFactory });
  const directory = createDirectory({
    clientId: config.MicrosoftAppId, clientSecret: config.MicrosoftAppPassword, tokenUrlTemplate: config.GRAPH_TOKEN_URL,
    graphBaseUrl: config.GRAPH_BASE_URL, senderMailbox: config.GRAPH_SENDER_MAILBOX, teamsCatalogAppId: config.TEAMS_CATALOG_APP_ID, logger,
  });
  const outbox = new Outbox(db);
  const notifier = new Notifier(
    { db, delivery: new ProactiveDelivery(adapter, { botAppId: config.MicrosoftAppId ?? '' }), logger, outbox },
    { pollMs: config.OUTBOX_POLL_MS, perConversationPerSecond: config.OUTBOX_PER_CONVERSATION_PER_SECOND, globalPerSecond: config.OUTBOX_GLOBAL_PER_SECOND, maxAttempts: config.OUTBOX_MAX_ATTEMPTS },
  );
  // Delayed work (reminders, escalations) registers its handlers here as features arrive.
  const scheduler = new SchedulerWorker({ db, handlers: {}, logger });

  const { server, drain } = createServer({
    adapter,
    logic: (turn) => bot.run(turn),
    logger,
    health: async () => {
      const ping = db.command({ ping: 1 }).then(() => true, () => false);
      const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, HEALTH_TIMEOUT_MS, false).unref());
      return { ok: await Promise.race([ping, timeout]), store: connection.mode };
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;

  let connector: LocalConnector | undefined;
  if (config.localMode) {
    connector = new LocalConnector();
    connector.mount(server, `http://127.0.0.1:${port}`);
    new LocalDirectLine(connector, `http://127.0.0.1:${port}/api/messages`, logger).mount(server);
    mountChatPage(server);
    if (config.DEMO_SEED === 'true') {
      await seedDemo(db);
      addPersonaAccounts(connector);
    }
  }

  notifier.start();
  scheduler.start();

  let closing: Promise<void> | undefined;
  return {
    url, port, db, storeMode: connection.mode, adapter, outbox, notifier, directory, connector,
    // Stop accepting, finish turns in flight, let deliveries finish and release leases, close the store.
    close: () => (closing ??= (async () => {
      await drain();
      await Promise.all([notifier.stop(), scheduler.stop()]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.connection) await connection.close();
    })()),
  };
}
