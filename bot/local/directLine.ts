// A Direct Line 3.0-compatible endpoint for the local browser chat (Web Chat over polling). It
// turns what Web Chat sends into the activities a Teams client would send, through the local
// connector, so the bot sees a persona exactly as it sees a Teams user. Local mode only.
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { BOT_ACCOUNT, type LocalAccount, type LocalConnector, type LocalConversation } from './connector';

interface Session { token: string; account: LocalAccount; conversation: LocalConversation }

/** Web Chat cannot send Action.Execute: the chat page turns it into an Action.Submit carrying this. */
interface ExecuteMarker { verb?: unknown; data?: unknown; activityId?: unknown }

const TOKEN_LIFETIME_SECONDS = 3600;

export class LocalDirectLine {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly connector: LocalConnector,
    private readonly botMessagesUrl: string,
    private readonly logger: Logger,
  ) {}

  mount(server: Server, prefix = '/v3/directline'): void {
    server.post(`${prefix}/tokens/generate`, async (req: Request, res: Response) => this.generate(req, res));
    server.post(`${prefix}/tokens/refresh`, async (req: Request, res: Response) => this.withSession(req, res, (s) => res.send(200, this.describe(s))));
    server.post(`${prefix}/conversations`, async (req: Request, res: Response) => this.start(req, res));
    server.get(`${prefix}/conversations/:conversationId`, async (req: Request, res: Response) => this.withSession(req, res, (s) => res.send(200, this.describe(s))));
    server.get(`${prefix}/conversations/:conversationId/activities`, async (req: Request, res: Response) => this.poll(req, res));
    server.post(`${prefix}/conversations/:conversationId/activities`, async (req: Request, res: Response) => this.receive(req, res));
  }

  private generate(req: Request, res: Response): void {
    const userId = (req.body as { user?: { id?: unknown } } | undefined)?.user?.id;
    const account = typeof userId === 'string' ? this.connector.account(userId) : undefined;
    if (!account) { res.send(400, { error: { code: 'BadArgument', message: 'Pick one of the demo personas.' } }); return; }
    const token = randomBytes(24).toString('base64url');
    const session = { token, account, conversation: this.connector.personalConversation(account) };
    this.sessions.set(token, session);
    res.send(200, this.describe(session));
  }

  private async start(req: Request, res: Response): Promise<void> {
    const session = this.session(req);
    if (!session) { res.send(403, { error: { code: 'TokenInvalid', message: 'Unknown or missing token.' } }); return; }
    if (session.conversation.log.length === 0) {
      // What Teams sends when a user installs the bot in personal scope: the bot says hello.
      await this.toBot(session, { type: 'conversationUpdate', membersAdded: [BOT_ACCOUNT, { id: session.account.id, name: session.account.name, aadObjectId: session.account.aadObjectId }] });
    }
    res.send(201, this.describe(session));
  }

  private poll(req: Request, res: Response): void {
    this.withSession(req, res, (session) => {
      const log = session.conversation.log;
      const from = Math.min(Math.max(Number.parseInt(String(req.query?.watermark ?? '0'), 10) || 0, 0), log.length);
      const shown = new Set(log.map((a) => a.id ?? ''));
      res.send(200, { activities: log.slice(from).map((a) => forClient(a, session.account, shown)), watermark: String(log.length) });
    });
  }

  private async receive(req: Request, res: Response): Promise<void> {
    const session = this.session(req);
    if (!session || session.conversation.id !== req.params.conversationId) { res.send(403, { error: { code: 'TokenInvalid', message: 'Unknown or missing token.' } }); return; }
    const incoming = (req.body ?? {}) as Partial<Activity>;
    if (incoming.type !== 'message') { res.send(200, { id: `ignored-${Date.now()}` }); return; }
    const clientActivityID = (incoming.channelData as { clientActivityID?: string } | undefined)?.clientActivityID;
    const value = isObject(incoming.value) ? incoming.value : undefined;
    const activity = this.connector.userActivity(session.conversation, session.account, {
      text: typeof incoming.text === 'string' ? incoming.text : undefined,
      value,
      locale: typeof incoming.locale === 'string' ? incoming.locale : 'en-GB',
      channelData: { tenant: { id: session.conversation.tenantId }, clientActivityID, postBack: (incoming.channelData as { postBack?: boolean } | undefined)?.postBack },
    });
    this.connector.recordUserActivity(activity);

    // Like the Direct Line service, answer once the bot has taken the activity (its turn is over).
    const marker = value && isObject(value.__execute) ? (value.__execute as ExecuteMarker) : undefined;
    if (marker) {
      const { __execute: _ignored, ...inputs } = value as Record<string, unknown>;
      await this.execute(session, marker, inputs);
    } else {
      await this.toBot(session, { ...activity, id: undefined });
    }
    res.send(200, { id: activity.id });
  }

  /** An Action.Execute click, as Teams sends it: an invoke whose response replaces the card or shows a message. */
  private async execute(session: Session, marker: ExecuteMarker, inputs: Record<string, unknown>): Promise<void> {
    const activityId = typeof marker.activityId === 'string' ? marker.activityId : undefined;
    const data = { ...(isObject(marker.data) ? marker.data : {}), ...inputs };
    const response = await this.toBot(session, {
      type: 'invoke', name: 'adaptiveCard/action', replyToId: activityId,
      value: { action: { type: 'Action.Execute', verb: marker.verb, data }, trigger: 'manual' },
    });
    const body = response?.body as { type?: string; value?: unknown } | undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive' && activityId && isObject(body.value)) {
      this.connector.updateActivity(session.conversation.id, activityId, { attachments: [{ contentType: body.type, content: body.value }] });
    } else if (body?.type === 'application/vnd.microsoft.activity.message' && typeof body.value === 'string') {
      this.connector.addBotMessage(session.conversation.id, body.value);
    } else if (body?.type === 'application/vnd.microsoft.error' && isObject(body.value)) {
      this.connector.addBotMessage(session.conversation.id, String(body.value.message ?? 'That action failed.'));
    }
  }

  private async toBot(session: Session, fields: Partial<Activity>): Promise<{ status: number; body: unknown } | undefined> {
    const activity = this.connector.userActivity(session.conversation, session.account, fields);
    try {
      const response = await fetch(this.botMessagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    } catch (err) {
      this.logger.warn({ err }, 'local chat could not reach the bot');
      return undefined;
    }
  }

  private session(req: Request): Session | undefined {
    const header = req.header('authorization') ?? '';
    return this.sessions.get(header.replace(/^Bearer\s+/i, ''));
  }

  private withSession(req: Request, res: Response, then: (session: Session) => void): void {
    const session = this.session(req);
    if (!session || (req.params.conversationId && req.params.conversationId !== session.conversation.id)) {
      res.send(403, { error: { code: 'TokenInvalid', message: 'Unknown or missing token.' } });
      return;
    }
    then(session);
  }

  private describe(session: Session) {
    return { conversationId: session.conversation.id, token: session.token, expires_in: TOKEN_LIFETIME_SECONDS };
  }
}

/**
 * Web Chat tells its own messages from the bot's by `from.role`, and holds back a reply to an
 * activity it never saw (an invoke's replies point at the invoke): such a replyToId is dropped.
 */
function forClient(activity: Activity, self: LocalAccount, shown: ReadonlySet<string>): Activity {
  const replyToId = activity.replyToId && shown.has(activity.replyToId) ? activity.replyToId : undefined;
  return { ...activity, replyToId, from: { ...activity.from, role: activity.from?.id === self.id ? 'user' : 'bot' } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
