// Starts the real bot (restify + CloudAdapter + handler + dialogs) in process on a free port,
// over a real store, and lets tests talk to it as Teams users through the local connector: every
// message is a real HTTP POST to /api/messages, every reply a real HTTP call back to the connector.
import { appendFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import type { Activity } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { startBot, type RunningBot } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { LocalConnector, type LocalAccount, type LocalConversation } from '../../bot/local/connector';
import type { Directory } from '../../services/directory';

export interface TestBotOptions {
  /** A store URI with the database in its path (see `storeUri`). */
  mongoUri: string;
  env?: Record<string, string>;
  credentialsFactory?: ServiceClientCredentialsFactory;
  directory?: Directory;
  /** Origins files sent in chat may be downloaded from (a test's local file server). */
  trustedFileOrigins?: string[];
}

export interface TestBot {
  running: RunningBot;
  url: string;
  /** Everything the bot logged, one JSON line each. */
  logs: string[];
  /** What local mode printed on its console (one-time codes). */
  printed: string[];
  stop(): Promise<void>;
}

/** The test store's URI with a database name of its own in the path. */
export function storeUri(baseUri: string, dbName = `t_${randomBytes(6).toString('hex')}`): string {
  const url = new URL(baseUri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

export async function startTestBot(options: TestBotOptions): Promise<TestBot> {
  const logs: string[] = [];
  // bench/security/logScan.ts runs the suite with TEST_LOG_LEVEL=debug and every line copied to
  // TEST_LOG_FILE, then scans that file for secrets.
  const copyTo = process.env.TEST_LOG_FILE;
  const sink = new Writable({ write(chunk, _enc, done) {
    logs.push(String(chunk));
    if (copyTo) appendFileSync(copyTo, String(chunk));
    done();
  } });
  const config = loadConfig({ PORT: '0', DEMO_SEED: 'false', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info', MONGODB_URI: options.mongoUri, ...options.env });
  const printed: string[] = [];
  const running = await startBot({
    config, logger: createLogger(config.LOG_LEVEL, sink), credentialsFactory: options.credentialsFactory,
    directory: options.directory, print: (line) => printed.push(line), trustedFileOrigins: options.trustedFileOrigins,
  });
  return { running, url: running.url, logs, printed, stop: () => running.close() };
}

/** A Bot Connector stand-in on its own port, for bots that are not in local mode. */
export async function startStandaloneConnector(): Promise<{ connector: LocalConnector; close(): Promise<void> }> {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connector = new LocalConnector();
  connector.mount(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return { connector, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let accountSequence = 0;

/** A Teams user of `tenantId`, known to the connector's member lookups. */
export function newAccount(connector: LocalConnector, tenantId: string, name = 'Test User', email?: string): LocalAccount {
  const n = ++accountSequence;
  const aadObjectId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const mail = email ?? `user${n}@contoso.example`;
  return connector.addAccount({ id: `29:test-${n}`, name, aadObjectId, email: mail, userPrincipalName: mail, tenantId });
}

export interface PostResult { status: number; body: unknown; replies: Activity[] }

/** Talks to the bot as one Teams user in one conversation. */
export class TeamsUser {
  readonly conversation: LocalConversation;

  constructor(
    private readonly botUrl: string,
    private readonly connector: LocalConnector,
    readonly account: LocalAccount,
    conversation?: LocalConversation,
    private readonly authorize?: () => Promise<string>,
  ) {
    this.conversation = conversation ?? connector.personalConversation(account);
  }

  /** Sends a message; resolves with what the bot posted in reply during that turn. */
  async say(text: string): Promise<Activity[]> {
    const result = await this.send({ type: 'message', text });
    if (result.status !== 200) throw new Error(`the bot answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result.replies;
  }

  /** An Action.Execute click (an `adaptiveCard/action` invoke). */
  execute(verb: unknown, data: unknown): Promise<PostResult> {
    return this.send({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
  }

  /** An Action.Submit click: a message whose value carries the card's data. */
  submit(value: Record<string, unknown>, replyToId?: string): Promise<PostResult> {
    return this.send({ type: 'message', value, replyToId });
  }

  async send(fields: Partial<Activity>, headers: Record<string, string> = {}): Promise<PostResult> {
    const activity = this.connector.userActivity(this.conversation, this.account, fields);
    this.connector.recordUserActivity(activity);
    const before = this.conversation.activities.length;
    const authorization = this.authorize ? await this.authorize() : undefined;
    const response = await fetch(`${this.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...headers },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    const replies = this.conversation.activities.slice(before).filter((a) => a.from?.id !== this.account.id);
    return { status: response.status, body: text ? JSON.parse(text) : undefined, replies };
  }
}

/** The plain text of a reply, including a hero card's text and buttons (choice prompts). */
export function textOf(activity: Activity): string {
  const parts = [activity.text ?? ''];
  for (const attachment of activity.attachments ?? []) {
    const content = attachment.content as { text?: string; buttons?: { title?: string }[] } | undefined;
    if (content?.text) parts.push(content.text);
    for (const b of content?.buttons ?? []) if (b.title) parts.push(`[${b.title}]`);
  }
  return parts.filter(Boolean).join('\n');
}

/** The adaptive card contents among the replies. */
export function adaptiveCards(replies: Activity[]): Record<string, unknown>[] {
  return replies.flatMap((a) => a.attachments ?? [])
    .filter((att) => att.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((att) => att.content as Record<string, unknown>);
}
