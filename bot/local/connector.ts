// A local stand-in for the Bot Connector service Teams runs: it receives the bot's replies,
// card updates and member lookups over real HTTP, keeps each conversation's transcript, and
// sends user activities to the bot's /api/messages. The browser chat (through Direct Line) and
// the end-to-end tests both talk to the bot through it, so the bot has no path of its own for them.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Activity, ChannelAccount, ConversationAccount } from 'botbuilder';
import type { Server, Request, Response } from 'restify';

/** A user as Teams' member lookups describe them. */
export interface LocalAccount {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
}

export interface LocalConversation {
  id: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  tenantId: string;
  members: LocalAccount[];
  /** Everything said, in order; a card update replaces the activity in place. */
  activities: Activity[];
  /** Every new or updated activity in arrival order: what a Direct Line client polls (watermark = index). */
  log: Activity[];
}

export interface RecordedRequest { method: string; path: string; authorization?: string; at: number }

interface Fault { status: number; retryAfterSeconds?: number }

export const BOT_ACCOUNT: ChannelAccount = { id: '28:mpn-association-bot', name: 'MPN Association' };

export class LocalConnector extends EventEmitter {
  readonly conversations = new Map<string, LocalConversation>();
  readonly requests: RecordedRequest[] = [];
  private readonly accounts = new Map<string, LocalAccount>();
  private readonly faults: Fault[] = [];
  private readonly holds: { reached: () => void; released: Promise<void> }[] = [];
  private sequence = 0;
  serviceUrl = '';

  /** Mounts the connector's REST routes under `prefix` and remembers the resulting service URL. */
  mount(server: Server, baseUrl: string, prefix = '/_local'): void {
    this.serviceUrl = `${baseUrl}${prefix}/`;
    const conv = `${prefix}/v3/conversations/:conversationId`;
    server.post(`${prefix}/v3/conversations`, route((req, res) => this.createConversation(req, res)));
    server.post(`${conv}/activities`, route((req, res) => this.receive(req, res)));
    server.post(`${conv}/activities/:activityId`, route((req, res) => this.receive(req, res)));
    server.put(`${conv}/activities/:activityId`, route((req, res) => this.update(req, res)));
    server.del(`${conv}/activities/:activityId`, route((req, res) => this.remove(req, res)));
    server.get(`${conv}/members/:memberId`, route((req, res) => this.member(req, res)));
    server.get(`${conv}/members`, route((req, res) => this.members(req, res, false)));
    server.get(`${conv}/pagedmembers`, route((req, res) => this.members(req, res, true)));
  }

  account(id: string): LocalAccount | undefined {
    return this.accounts.get(id);
  }

  addAccount(account: LocalAccount): LocalAccount {
    this.accounts.set(account.id, account);
    return account;
  }

  /** The one-to-one chat between the bot and `account` (created on first use). */
  personalConversation(account: LocalAccount): LocalConversation {
    return this.conversation(`a:personal-${account.id}`, 'personal', account.tenantId, [account]);
  }

  conversation(id: string, conversationType: LocalConversation['conversationType'], tenantId: string, members: LocalAccount[]): LocalConversation {
    let found = this.conversations.get(id);
    if (!found) {
      found = { id, conversationType, tenantId, members: [], activities: [], log: [] };
      this.conversations.set(id, found);
    }
    for (const m of members) if (!found.members.some((x) => x.id === m.id)) found.members.push(m);
    return found;
  }

  /** The next `count` bot sends (posts and updates) answer with this HTTP status. */
  failNext(count: number, status: number, retryAfterSeconds?: number): void {
    for (let i = 0; i < count; i++) this.faults.push({ status, retryAfterSeconds });
  }

  /**
   * The next message the bot posts is held until `release()` (a slow Teams, for shutdown tests);
   * `reached` resolves once the bot's request has arrived.
   */
  holdNext(): { reached: Promise<void>; release: () => void } {
    let release = () => {};
    let reached = () => {};
    const released = new Promise<void>((resolve) => { release = resolve; });
    const arrival = new Promise<void>((resolve) => { reached = resolve; });
    this.holds.push({ reached, released });
    return { reached: arrival, release };
  }

  /** Builds the activity a Teams client would send for `from` in `conversation`. */
  userActivity(conversation: LocalConversation, from: LocalAccount, fields: Partial<Activity>): Activity {
    const conversationAccount: ConversationAccount = {
      id: conversation.id, conversationType: conversation.conversationType, tenantId: conversation.tenantId,
      isGroup: conversation.conversationType !== 'personal', name: '',
    };
    return {
      type: 'message',
      id: `u${++this.sequence}`,
      timestamp: new Date(),
      localTimestamp: new Date(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      recipient: BOT_ACCOUNT,
      conversation: conversationAccount,
      channelData: { tenant: { id: conversation.tenantId } },
      locale: 'en-GB',
      ...fields,
    } as Activity;
  }

  /** Records a user's activity in the transcript (so a chat client sees its own message). */
  recordUserActivity(activity: Activity): void {
    const conversation = this.conversations.get(activity.conversation.id);
    if (!conversation || activity.type !== 'message') return;
    conversation.activities.push(activity);
    conversation.log.push(activity);
    this.emit('activity', conversation.id, activity);
  }

  private record(req: Request): void {
    this.requests.push({ method: req.method ?? '', path: req.path(), authorization: req.header('authorization') || undefined, at: Date.now() });
  }

  private takeFault(res: Response): boolean {
    const fault = this.faults.shift();
    if (!fault) return false;
    if (fault.retryAfterSeconds !== undefined) res.header('Retry-After', String(fault.retryAfterSeconds));
    res.send(fault.status, { error: { code: fault.status === 429 ? 'TooManyRequests' : 'ServiceError', message: 'injected fault' } });
    return true;
  }

  private async receive(req: Request, res: Response): Promise<void> {
    this.record(req);
    const hold = this.holds.shift();
    if (hold) { hold.reached(); await hold.released; }
    const conversation = this.conversations.get(req.params.conversationId);
    if (!conversation) { res.send(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } }); return; }
    if (this.takeFault(res)) return;
    const body = req.body as Activity;
    const activity: Activity = { ...body, id: `b${++this.sequence}`, timestamp: new Date(), from: body.from ?? BOT_ACCOUNT };
    conversation.activities.push(activity);
    conversation.log.push(activity);
    this.emit('activity', conversation.id, activity);
    res.send(200, { id: activity.id });
  }

  private update(req: Request, res: Response): void {
    this.record(req);
    const conversation = this.conversations.get(req.params.conversationId);
    const index = conversation?.activities.findIndex((a) => a.id === req.params.activityId) ?? -1;
    if (!conversation || index < 0) { res.send(404, { error: { code: 'ActivityNotFound', message: 'Activity not found.' } }); return; }
    if (this.takeFault(res)) return;
    this.replaceActivity(conversation, index, req.body as Activity);
    res.send(200, { id: req.params.activityId });
  }

  /** Replaces a posted activity's content (a card updated in place), as Teams' clients show it. */
  updateActivity(conversationId: string, activityId: string, fields: Partial<Activity>): boolean {
    const conversation = this.conversations.get(conversationId);
    const index = conversation?.activities.findIndex((a) => a.id === activityId) ?? -1;
    if (!conversation || index < 0) return false;
    this.replaceActivity(conversation, index, fields);
    return true;
  }

  /** Adds a bot message that no bot sent through the API (what a client shows itself, e.g. an invoke's message). */
  addBotMessage(conversationId: string, text: string): void {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return;
    const activity = { type: 'message', id: `b${++this.sequence}`, timestamp: new Date(), from: BOT_ACCOUNT, text, conversation: { id: conversationId } } as Activity;
    conversation.activities.push(activity);
    conversation.log.push(activity);
    this.emit('activity', conversation.id, activity);
  }

  private replaceActivity(conversation: LocalConversation, index: number, fields: Partial<Activity>): void {
    const current = conversation.activities[index];
    const updated: Activity = { ...current, ...fields, id: current.id, from: current.from };
    conversation.activities[index] = updated;
    conversation.log.push(updated);
    this.emit('update', conversation.id, updated);
  }

  private remove(req: Request, res: Response): void {
    this.record(req);
    const conversation = this.conversations.get(req.params.conversationId);
    if (conversation) conversation.activities = conversation.activities.filter((a) => a.id !== req.params.activityId);
    res.send(200);
  }

  private member(req: Request, res: Response): void {
    this.record(req);
    const conversation = this.conversations.get(req.params.conversationId);
    const member = conversation?.members.find((m) => m.id === req.params.memberId || m.aadObjectId === req.params.memberId);
    if (!member) { res.send(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } }); return; }
    res.send(200, teamsMember(member));
  }

  private members(req: Request, res: Response, paged: boolean): void {
    this.record(req);
    const conversation = this.conversations.get(req.params.conversationId);
    const list = (conversation?.members ?? []).map(teamsMember);
    res.send(200, paged ? { members: list } : list);
  }

  private createConversation(req: Request, res: Response): void {
    this.record(req);
    const body = req.body as { members?: { id?: string }[]; tenantId?: string; isGroup?: boolean };
    const account = body.members?.[0]?.id ? this.accounts.get(body.members[0].id) : undefined;
    if (!account || body.isGroup) { res.send(400, { error: { code: 'BadArgument', message: 'Only one-to-one conversations with a known member can be created here.' } }); return; }
    const conversation = this.personalConversation(account);
    res.send(200, { id: conversation.id, activityId: randomUUID() });
  }
}

/** restify wants async handlers (or ones taking `next`); ours answer synchronously. */
function route(handler: (req: Request, res: Response) => void) {
  return async (req: Request, res: Response) => handler(req, res);
}

function teamsMember(account: LocalAccount) {
  const [givenName, ...rest] = account.name.split(' ');
  return {
    id: account.id, name: account.name, aadObjectId: account.aadObjectId, email: account.email,
    userPrincipalName: account.userPrincipalName, givenName, surname: rest.join(' '), tenantId: account.tenantId, userRole: 'user',
  };
}
