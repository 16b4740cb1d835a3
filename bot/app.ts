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
import { Scheduler } from '../services/scheduler/scheduler';
import { SchedulerWorker } from '../services/scheduler/schedulerWorker';
import { consoleCodeDelivery, graphCodeDelivery } from '../services/verification/codeDelivery';
import { Approvals } from './actions/approvals';
import { associationRequesterRoutes, showStatus } from './actions/association';
import { InvitationActions, invitationJoinRoutes } from './actions/invitations';
import { InvitationDelivery } from './actions/invitationDelivery';
import { showAudit } from './actions/audit';
import { setApprovalsChannelHere } from './actions/channel';
import { PersonReach } from './actions/reach';
import { PeopleActions } from './actions/people';
import { PpcActions } from './actions/ppc';
import { RoleRequestActions } from './actions/roleRequests';
import { CertificationActions } from './actions/certifications';
import { TranscriptImports } from './actions/transcriptImport';
import { YEAR_MS } from '../services/certifications/linkRules';
import { reminderHandlers, scheduleReminders } from './actions/reminders';
import { AssociationFollowUps, type FollowUpOptions } from './actions/associationFollowUps';
import { CompetencyActions } from './actions/competencies';
import { competencyAlertRenderer } from './actions/competencyAlerts';
import { AT_RISK_ALERT } from '../services/competencies/atRisk';
import { CatalogueError, defaultCatalogue, loadCatalogueFile, type Catalogue } from '../services/competencies/catalogue';
import { retirementHandlers, scheduleRetirementChecks } from '../services/competencies/retirementChecks';
import { RenderingDelivery } from './renderedDelivery';
import { mountReportRoute, reportLinkSecret } from './reportRoute';
import { MongoStateStorage } from '../services/db/stateStorage';
import { LocalDirectory } from '../services/demo/localDirectory';
import { seedDemo } from '../services/demo/seed';
import { createDialogs } from '../dialogs';
import { createAdapter, type BotAdapter } from './adapter';
import { CardActionRouter } from './cardActions';
import { botCardRoutes } from './cardRoutes';
import { CommandRunner } from './commandRunner';
import { ConfigError, type Config } from './config';
import { mountChatPage } from './local/chatPage';
import { LocalConnector } from './local/connector';
import { LocalDirectLine } from './local/directLine';
import { Notifier } from './notifier';
import { ProactiveDelivery } from './proactiveDelivery';
import { addPersonaAccounts } from './local/personaAccounts';
import { createServer } from './server';
import { abuseLimitsOf } from './limits';
import { TeamsBot } from './teamsBot';

export interface StartOptions {
  config: Config;
  logger: Logger;
  /** An open connection to use (tests share one store between instances); else connect() from config. */
  connection?: Connection;
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** Microsoft Graph; else built from config (tests pass one on a fake Graph server). */
  directory?: Directory;
  /** Where local mode prints one-time codes (default stdout). */
  print?: (line: string) => void;
  /** Origins files sent in chat may be downloaded from besides public https (tests serve files locally). */
  trustedFileOrigins?: string[];
  /** The sweep finishing association follow-ups a crash interrupted (tests shorten its grace). */
  followUps?: FollowUpOptions;
}

export interface RunningBot {
  url: string;
  port: number;
  db: Db;
  storeMode: Connection['mode'];
  adapter: BotAdapter;
  scheduler: Scheduler;
  schedulerWorker: SchedulerWorker;
  /** Proactive messages: write here, the notifier delivers (leased, rate-limited, idempotent). */
  outbox: Outbox;
  notifier: Notifier;
  /** Microsoft Graph, or an unavailable directory that says so when no credentials are set. */
  directory: Directory;
  /** Local mode only: the stand-in Bot Connector that carries replies to the browser chat. */
  connector?: LocalConnector;
  /** The competency catalogue in use (CATALOGUE_FILE or the bundled one): pass it wherever competencies are evaluated. */
  catalogue: Catalogue;
  /** The card-action routes in use (the security suite covers every verb it lists). */
  cardActions: CardActionRouter;
  /** Stops accepting, finishes turns in flight, then closes the store if this bot opened it. */
  close(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2000;
/**
 * How long a store operation waits for an unreachable store before failing. A turn then answers
 * "temporarily unavailable" after about this long instead of 5 s × its store calls; long enough
 * for a connection hiccup, short of Teams' 15 s limit for a bot's answer.
 */
const STORE_SELECTION_TIMEOUT_MS = 3000;

export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const catalogue = await competencyCatalogue(config);
  const connection = options.connection
    ?? await connect({
      uri: config.MONGODB_URI, dbPath: config.EMBEDDED_DB_PATH, clientOptions: { serverSelectionTimeoutMS: STORE_SELECTION_TIMEOUT_MS },
      storeLog: (line) => logger.warn({ store: 'embedded' }, line),
    });
  const { db } = connection;

  const adapter = createAdapter(config, logger, { credentialsFactory: options.credentialsFactory });
  // Local mode: the demo personas answer directory questions (who is a global administrator).
  const directory = options.directory ?? (config.localMode && config.DEMO_SEED === 'true' ? new LocalDirectory() : createDirectory({
    clientId: config.MicrosoftAppId, clientSecret: config.MicrosoftAppPassword, tokenUrlTemplate: config.GRAPH_TOKEN_URL,
    graphBaseUrl: config.GRAPH_BASE_URL, senderMailbox: config.GRAPH_SENDER_MAILBOX, teamsCatalogAppId: config.TEAMS_CATALOG_APP_ID, logger,
  }));
  const outbox = new Outbox(db);
  const scheduler = new Scheduler(db);
  const reach = new PersonReach(db, directory, logger);
  const approvals = new Approvals(db, outbox, reach, logger);
  const mcidPolicy = { maxNewLinks: config.MCID_MAX_NEW_LINKS_PER_YEAR, windowMs: YEAR_MS };
  const limits = abuseLimitsOf(config);
  const certifications = new CertificationActions(db, outbox, reach, logger, mcidPolicy, catalogue);

  const dialogState = new PrivateConversationState(new MongoStateStorage(db));
  const dialogStack = dialogState.createProperty<DialogState>('dialogState');
  const dialogs = createDialogs(db, dialogStack, {
    limits,
    directory,
    certifications: { policy: mcidPolicy, followUps: certifications },
    association: {
      // Local mode has no mailbox: the code is printed where the newcomer runs the bot.
      codes: config.localMode ? consoleCodeDelivery(options.print ?? ((line) => process.stdout.write(`${line}\n`))) : graphCodeDelivery(directory),
      onPending: async (request) => {
        await approvals.notifyPending(request);
        await scheduleReminders(scheduler, request);
      },
    },
  });
  const invitationDelivery = new InvitationDelivery({ db, directory, outbox, reach, logger, botAppId: config.MicrosoftAppId });
  const invitations = new InvitationActions(db, config.MicrosoftAppId, invitationDelivery, limits);
  // Report links point at PUBLIC_URL, or in local mode at this server once it listens.
  let ownUrl: string | undefined;
  const reportSecret = reportLinkSecret(config.REPORT_LINK_SECRET);
  const competencies = new CompetencyActions({ db, catalogue, reportSecret, reportBaseUrl: () => config.PUBLIC_URL ?? (config.localMode ? ownUrl : undefined) });
  const people = new PeopleActions(db, directory, outbox, reach, logger, catalogue);
  const ppc = new PpcActions(db, outbox, reach);
  const roleRequests = new RoleRequestActions(db, outbox, reach);
  const commands = new CommandRunner(db, {
    ...people.commands(), ...ppc.commands(), ...roleRequests.commands(),
    invite: (turn, who, args) => invitations.inviteCommand(turn, who, args),
    invitations: (turn, who) => invitations.invitationsCommand(turn, who),
    domains: (turn, who) => invitations.domainsCommand(turn, who),
    audit: (turn, who, args) => showAudit(db, turn, who, args),
    set: (turn, who, args) => setApprovalsChannelHere(db, turn, who, args),
    status: (turn, who) => showStatus(db, turn, who),
    mcid: (turn, who) => certifications.mcidCommand(turn, who),
    competencies: (turn, who, args) => competencies.command(turn, who, args),
    approvals: (turn, who) => approvals.command(turn, who),
  });
  const cardActions = new CardActionRouter([...botCardRoutes(dialogs, commands), ...associationRequesterRoutes(db), ...approvals.routes(), ...invitations.routes(), ...invitationJoinRoutes(dialogs, commands), ...certifications.routes(dialogs), ...competencies.routes(), ...people.routes(), ...ppc.routes(), ...roleRequests.routes()]);
  // Local mode adds the local connector's own origin (Web Chat uploads) once it is listening.
  const trustedFileOrigins = [...(options.trustedFileOrigins ?? [])];
  const transcripts = new TranscriptImports({
    db, logger, delivery: new ProactiveDelivery(adapter, { botAppId: config.MicrosoftAppId ?? '' }),
    download: { trustedOrigins: trustedFileOrigins, maxBytes: Math.floor(config.TRANSCRIPT_MAX_FILE_MB * 1_048_576) },
  });
  const bot = new TeamsBot({ db, logger, dialogState, dialogStack, dialogs, commands, cardActions, files: transcripts });
  const notifier = new Notifier(
    {
      db, logger, outbox,
      // Notifications stored as data (at-risk alerts) become cards in the recipient's language here.
      delivery: new RenderingDelivery(new ProactiveDelivery(adapter, { botAppId: config.MicrosoftAppId ?? '' }), { [AT_RISK_ALERT]: competencyAlertRenderer(db) }),
    },
    { pollMs: config.OUTBOX_POLL_MS, perConversationPerSecond: config.OUTBOX_PER_CONVERSATION_PER_SECOND, globalPerSecond: config.OUTBOX_GLOBAL_PER_SECOND, maxAttempts: config.OUTBOX_MAX_ATTEMPTS, concurrency: config.OUTBOX_CONCURRENCY },
  );
  // Delayed work: reminders and escalations of pending requests, once across instances.
  // Retired exams: each organisation is checked again when one stops counting.
  const schedulerWorker = new SchedulerWorker({ db, handlers: { ...reminderHandlers(db, outbox, reach), ...retirementHandlers({ db, outbox, catalogue }) }, logger });
  await scheduleRetirementChecks(scheduler, catalogue);

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
  ownUrl = url;
  mountReportRoute(server, { db, secret: reportSecret, catalogue, logger });
  if (!config.PUBLIC_URL && !config.localMode) logger.warn({ event: 'config.public_url_missing' }, 'PUBLIC_URL is not set: skills report links cannot be handed out');

  let connector: LocalConnector | undefined;
  if (config.localMode) {
    connector = new LocalConnector();
    connector.mount(server, `http://127.0.0.1:${port}`);
    trustedFileOrigins.push(`http://127.0.0.1:${port}`);
    new LocalDirectLine(connector, `http://127.0.0.1:${port}/api/messages`, logger, { maxUploadBytes: Math.floor(config.TRANSCRIPT_MAX_FILE_MB * 1_048_576) }).mount(server);
    mountChatPage(server);
    if (config.DEMO_SEED === 'true') {
      await seedDemo(db);
      addPersonaAccounts(connector);
    }
  }

  notifier.start();
  schedulerWorker.start();
  const followUps = new AssociationFollowUps({ db, approvals, scheduler, logger }, options.followUps);
  followUps.start();

  let closing: Promise<void> | undefined;
  return {
    url, port, db, storeMode: connection.mode, adapter, outbox, notifier, directory, connector, scheduler, schedulerWorker, catalogue, cardActions,
    // Stop accepting, finish turns in flight, let deliveries finish and release leases, close the store.
    close: () => (closing ??= (async () => {
      await drain();
      await transcripts.drain(); // imports answer in the background: let them finish first
      await invitationDelivery.drain(); // its summaries go through the outbox: before the notifier stops
      await followUps.stop();
      await Promise.all([notifier.stop(), schedulerWorker.stop()]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.connection) await connection.close();
    })()),
  };
}

/** CATALOGUE_FILE, or the bundled catalogue; a bad file stops start-up with one line saying where. */
async function competencyCatalogue(config: Config): Promise<Catalogue> {
  if (!config.CATALOGUE_FILE) return defaultCatalogue();
  try {
    return await loadCatalogueFile(config.CATALOGUE_FILE);
  } catch (err) {
    if (err instanceof CatalogueError) throw new ConfigError(`Configuration error: CATALOGUE_FILE is invalid: ${err.message.replace(/\s+/g, ' ')}`);
    throw err;
  }
}
