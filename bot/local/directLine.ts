// A Direct Line 3.0-compatible endpoint for the local browser chat (Web Chat over polling). It
// turns what Web Chat sends into the activities a Teams client would send, through the local
// connector, so the bot sees a persona exactly as it sees a Teams user. Local mode only.
import { randomBytes } from 'node:crypto';
import type { Activity, Attachment } from 'botbuilder';
import type { Logger } from 'pino';
import type { Next, Request, Response, Server } from 'restify';
import { translator } from '../../i18n';
import { BOT_ACCOUNT, type LocalAccount, type LocalConnector, type LocalConversation } from './connector';
import { UploadStore, type Upload } from './uploads';

interface Session { token: string; account: LocalAccount; conversation: LocalConversation }

/** Web Chat cannot send Action.Execute: the chat page turns it into an Action.Submit carrying this. */
interface ExecuteMarker { verb?: unknown; data?: unknown; activityId?: unknown }

const TOKEN_LIFETIME_SECONDS = 3600;

/** Room for the activity part and the multipart framing beside the files themselves. */
const UPLOAD_OVERHEAD_BYTES = 256 * 1024;

export interface LocalDirectLineOptions {
  /** The largest file the upload endpoint takes (the bot's TRANSCRIPT_MAX_FILE_MB). */
  maxUploadBytes: number;
}

export class LocalDirectLine {
  private readonly sessions = new Map<string, Session>();
  private readonly uploads: UploadStore;
  private attachmentsUrl = '';

  constructor(
    private readonly connector: LocalConnector,
    private readonly botMessagesUrl: string,
    private readonly logger: Logger,
    private readonly options: LocalDirectLineOptions,
  ) {
    this.uploads = new UploadStore({ maxFileBytes: options.maxUploadBytes });
  }

  mount(server: Server, prefix = '/v3/directline'): void {
    // Files are served from the bot's own origin (the one fileDownload trusts in local mode), under
    // an unguessable id: the bot fetches them without any credential, as it fetches Teams' links.
    this.attachmentsUrl = `${new URL(this.botMessagesUrl).origin}${prefix}/attachments/`;
    const uploadPath = new RegExp(`^${prefix.replace(/[/.]/g, '\\$&')}/conversations/[^/]+/upload$`);
    // The server's body parser would write multipart files to disk, unbounded: this route reads
    // its own body, within the size limit (restify's parsers skip a request marked as read).
    server.pre((req: Request, _res: Response, next: Next) => {
      if (req.method === 'POST' && uploadPath.test(new URL(req.url ?? '/', 'http://local').pathname)) {
        Object.assign(req, { _readBody: true, _parsedBody: true });
      }
      next();
    });
    server.post(`${prefix}/conversations/:conversationId/upload`, async (req: Request, res: Response) => this.upload(req, res));
    server.get(`${prefix}/attachments/:uploadId`, async (req: Request, res: Response) => this.serveUpload(req, res));
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

  /**
   * POST …/conversations/:id/upload (Direct Line 3.0 "send attachments by upload"): a multipart
   * body with an optional `activity` part (application/vnd.microsoft.activity, the message the
   * files go with) and one part per file; or a bare body that is the file itself. Each file is
   * kept in memory and the activity reaches the bot with one attachment per file whose contentUrl
   * points back here, as the Direct Line service does with its own storage.
   */
  private async upload(req: Request, res: Response): Promise<void> {
    const session = this.session(req);
    if (!session || session.conversation.id !== req.params.conversationId) {
      req.resume(); // drop the body
      res.send(403, { error: { code: 'TokenInvalid', message: 'Unknown or missing token.' } });
      return;
    }
    const limit = this.options.maxUploadBytes + UPLOAD_OVERHEAD_BYTES;
    const body = await readBounded(req, limit);
    if (body === 'tooLarge') { this.refuseTooLarge(req, res, session); return; }
    let parsed: { activity: Record<string, unknown>; files: Upload[] } | 'tooLarge' | undefined;
    try {
      parsed = await parseUpload(req, body, this.options.maxUploadBytes);
    } catch (err) {
      this.logger.warn({ err }, 'local chat: unreadable upload');
      parsed = undefined;
    }
    if (parsed === 'tooLarge') { this.refuseTooLarge(req, res, session); return; }
    if (!parsed || parsed.files.length === 0) {
      res.send(400, { error: { code: 'BadArgument', message: 'Expected multipart/form-data with at least one file part.' } });
      return;
    }
    const attachments: Attachment[] = parsed.files.map((file) => ({
      contentType: file.contentType, name: file.name, contentUrl: `${this.attachmentsUrl}${this.uploads.add(file)}`,
    }));
    const incoming = parsed.activity;
    const clientActivityID = isObject(incoming.channelData) && typeof incoming.channelData.clientActivityID === 'string' ? incoming.channelData.clientActivityID : undefined;
    const activity = this.connector.userActivity(session.conversation, session.account, {
      text: typeof incoming.text === 'string' ? incoming.text : undefined,
      attachments,
      locale: typeof incoming.locale === 'string' ? incoming.locale : 'en-GB',
      channelData: { tenant: { id: session.conversation.tenantId }, clientActivityID },
    });
    this.connector.recordUserActivity(activity);
    await this.toBot(session, { ...activity, id: undefined });
    res.send(200, { id: activity.id });
  }

  /**
   * Over the limit: refused before anything is stored. Web Chat only shows "send failed", so the
   * chat also shows the bot's own sentence for a file too large to import (in the browser's
   * language, the only one known here).
   */
  private refuseTooLarge(req: Request, res: Response, session: Session): void {
    const max = String(Math.round((this.options.maxUploadBytes / 1_048_576) * 10) / 10);
    const t = translator(req.header('accept-language')?.split(',')[0]);
    this.connector.addBotMessage(session.conversation.id, t('certifications:import.tooLarge', { max }));
    res.send(413, { error: { code: 'MessageSizeTooBig', message: `Files over ${max} MB are not accepted.` } });
  }

  private serveUpload(req: Request, res: Response): void {
    const file = this.uploads.get(String(req.params.uploadId ?? ''));
    if (!file) { res.send(404, { error: { code: 'NotFound', message: 'No such upload (or it has expired).' } }); return; }
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.bytes.length,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(file.bytes);
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

/**
 * The request body, or 'tooLarge' once it passes `limit` bytes: from then on the rest is read and
 * dropped (never kept), so the client gets its 413 rather than a reset connection.
 */
function readBounded(req: Request, limit: number): Promise<Buffer | 'tooLarge'> {
  const declared = Number(req.header('content-length'));
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number.isFinite(declared) && declared > limit;
  return new Promise((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (size > limit * 4) { req.destroy(); resolve('tooLarge'); return; } // not worth draining
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(tooLarge ? 'tooLarge' : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** The upload's activity part and files (multipart), or the bare body as the one file. */
async function parseUpload(req: Request, body: Buffer, maxFileBytes: number): Promise<{ activity: Record<string, unknown>; files: Upload[] } | 'tooLarge'> {
  const contentType = req.header('content-type') ?? 'application/octet-stream';
  const files: Upload[] = [];
  let activity: Record<string, unknown> = { type: 'message' };
  if (/^multipart\/form-data\b/i.test(contentType)) {
    // The platform's own multipart reader (undici), on a body already bounded in size.
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    for (const [field, value] of form.entries()) {
      if (field === 'activity') {
        const text = typeof value === 'string' ? value : await value.text();
        const json: unknown = JSON.parse(text);
        if (isObject(json)) activity = json;
        continue;
      }
      if (typeof value === 'string') continue; // a plain field: not a file
      if (value.size > maxFileBytes) return 'tooLarge';
      files.push({ name: fileName(value.name), contentType: value.type || 'application/octet-stream', bytes: Buffer.from(await value.arrayBuffer()) });
    }
  } else if (body.length > 0) {
    if (body.length > maxFileBytes) return 'tooLarge';
    const disposition = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(req.header('content-disposition') ?? '');
    files.push({ name: fileName(disposition ? safeDecode(disposition[1]) : ''), contentType: contentType.split(';')[0].trim(), bytes: body });
  }
  return { activity, files };
}

const fileName = (name: string) => (name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim() || 'file').slice(0, 200);

function safeDecode(value: string): string {
  try { return decodeURIComponent(value); } catch { return value; }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
