// The Bot Connector stand-in for a bench run, in a process of its own: the product's
// LocalConnector on restify, which both the bot under test and the echo baseline post their
// replies to (the same connector for both, as Teams' connector is one remote service for any
// bot). Bench-only additions, none of them in product code:
// - conversations are registered on first use (the bench talks as thousands of users), with
//   their user as member when the bench registered that account (member lookups: the Teams
//   identity that proves a work e-mail);
// - transcripts are capped, so a long run does not grow this process without bound (an update
//   of a message dropped from the transcript is still accepted, as Teams would);
// - a fault rate: a seeded share of posted activities is answered 429 with Retry-After;
// - an attempt log (conversation, arrival time, status, text) for the notifier checks;
// - /_bench/* control routes.
import type { AddressInfo } from 'node:net';
import restify, { type Request } from 'restify';
import type { Activity } from 'botbuilder';
import { LocalConnector, type LocalAccount } from '../../bot/local/connector';
import { announceReady, onShutdown } from '../lib/processes';

export interface ConnectorInfo { url: string; serviceUrl: string; pid: number }

export interface Attempt {
  conversationId: string;
  /** When the request arrived, and when its answer was sent (ms since the epoch). */
  at: number;
  answeredAt: number;
  status: number;
  text?: string;
}

export interface ConnectorStats { conversations: number; posts: number; rssMB: number }

const KEEP_ACTIVITIES = 100;
const KEEP_REQUESTS = 10_000;
const ACTIVITY_POST = /^\/_local\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/;
const CONVERSATION_PATH = /^\/_local\/v3\/conversations\/([^/]+)\//;
const PERSONAL = 'a:personal-';
const ACTIVITY_PUT = /^\/_local\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/;

const server = restify.createServer({ name: 'bench-connector', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ mapParams: false }));
const connector = new LocalConnector();

let posts = 0;
/** Ids of bot messages dropped from capped transcripts (ids are unique across conversations). */
const dropped = new Set<string>();
let recording = false;
const attempts: Attempt[] = [];
let faults = { rate: 0, status: 429, retryAfterSeconds: 1 };
let random = mulberry32(1);

server.use((req: Request, res, next) => {
  const inConversation = CONVERSATION_PATH.exec(req.path());
  if (inConversation) register(decodeURIComponent(inConversation[1]), (req.body ?? {}) as Partial<Activity>);
  const put = req.method === 'PUT' ? ACTIVITY_PUT.exec(req.path()) : null;
  if (put && dropped.has(decodeURIComponent(put[2]))) {
    res.send(200, { id: decodeURIComponent(put[2]) });
    return next(false);
  }
  const match = req.method === 'POST' ? ACTIVITY_POST.exec(req.path()) : null;
  if (match) {
    posts++;
    const conversationId = decodeURIComponent(match[1]);
    const body = (req.body ?? {}) as Partial<Activity>;
    if (faults.rate > 0 && random() < faults.rate) connector.failNext(1, faults.status, faults.retryAfterSeconds);
    if (recording) {
      const attempt: Attempt = { conversationId, at: Date.now(), answeredAt: 0, status: 0, text: typeof body.text === 'string' ? body.text : undefined };
      attempts.push(attempt);
      res.once('finish', () => { attempt.status = res.statusCode; attempt.answeredAt = Date.now(); });
    }
    if (connector.requests.length > KEEP_REQUESTS) connector.requests.splice(0, connector.requests.length - KEEP_REQUESTS / 2);
  }
  return next();
});

connector.on('activity', (conversationId: string) => {
  const conversation = connector.conversations.get(conversationId);
  if (conversation && conversation.activities.length > 2 * KEEP_ACTIVITIES) {
    for (const a of conversation.activities.splice(0, conversation.activities.length - KEEP_ACTIVITIES)) if (a.id) dropped.add(a.id);
    conversation.log.splice(0, conversation.log.length - KEEP_ACTIVITIES);
  }
});

server.post('/_bench/reset', async (req, res) => {
  const body = (req.body ?? {}) as { record?: boolean };
  // Messages forgotten here may still be updated by a bot (a card replaced after a decision).
  for (const conversation of connector.conversations.values()) for (const a of conversation.activities) if (a.id) dropped.add(a.id);
  connector.conversations.clear();
  connector.requests.length = 0;
  attempts.length = 0;
  posts = 0;
  faults = { rate: 0, status: 429, retryAfterSeconds: 1 };
  recording = Boolean(body.record);
  res.send(200, { ok: true });
});

server.post('/_bench/faults', async (req, res) => {
  const body = (req.body ?? {}) as { rate?: number; status?: number; retryAfterSeconds?: number; seed?: number };
  faults = { rate: body.rate ?? 0, status: body.status ?? 429, retryAfterSeconds: body.retryAfterSeconds ?? 1 };
  random = mulberry32(body.seed ?? 1);
  res.send(200, faults);
});

/** Accounts the member lookups answer for (kept across resets): `{ accounts: LocalAccount[] }`. */
server.post('/_bench/accounts', async (req, res) => {
  const body = (req.body ?? {}) as { accounts?: LocalAccount[] };
  for (const account of body.accounts ?? []) connector.addAccount(account);
  res.send(200, { accounts: body.accounts?.length ?? 0 });
});

server.get('/_bench/attempts', async (_req, res) => { res.send(200, { attempts }); });

/** Texts of the messages each conversation holds (what a Teams client would show). */
server.get('/_bench/transcripts', async (req, res) => {
  const prefix = new URL(req.url ?? '/', 'http://localhost').searchParams.get('prefix') ?? '';
  const out: Record<string, string[]> = {};
  for (const [id, conversation] of connector.conversations) {
    const texts = conversation.activities.map((a) => a.text ?? '').filter((t) => t.startsWith(prefix));
    if (texts.length) out[id] = texts;
  }
  res.send(200, { transcripts: out });
});

server.get('/_bench/stats', async (_req, res) => {
  const stats: ConnectorStats = { conversations: connector.conversations.size, posts, rssMB: Math.round(process.memoryUsage().rss / 2 ** 20) };
  res.send(200, stats);
});

server.listen(0, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  connector.mount(server, url);
  const info: ConnectorInfo = { url, serviceUrl: connector.serviceUrl, pid: process.pid };
  announceReady(info);
});

/** A conversation seen for the first time: a personal chat of a registered account has it as member. */
function register(conversationId: string, body: Partial<Activity>): void {
  if (connector.conversations.has(conversationId)) return;
  const account = conversationId.startsWith(PERSONAL) ? connector.account(conversationId.slice(PERSONAL.length)) : undefined;
  if (account) connector.personalConversation(account);
  else connector.conversation(conversationId, 'personal', body.conversation?.tenantId ?? 'unknown', []);
}

onShutdown(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A small seeded PRNG, so a run's fault pattern can be repeated. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
