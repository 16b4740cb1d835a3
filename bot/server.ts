// The HTTP surface: POST /api/messages through the CloudAdapter, GET /healthz. It counts turns in
// flight so shutdown can stop accepting and still finish what it started.
import restify, { type Server } from 'restify';
import type { Activity, TurnContext } from 'botbuilder';
import type { BotAdapter } from './adapter';
import type { Logger } from 'pino';

export interface ServerDeps {
  adapter: BotAdapter;
  logic: (turn: TurnContext) => Promise<void>;
  logger: Logger;
  /** Whether the store answers, and which kind it is. */
  health: () => Promise<{ ok: boolean; store: string }>;
}

export interface BotServer {
  server: Server;
  /** Refuses new turns (503) and resolves once every turn in flight has finished. */
  drain(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createServer(deps: ServerDeps): BotServer {
  const server = restify.createServer({ name: 'mpn-association-bot', handleUncaughtExceptions: false });
  // JSON only, read into memory up to the cap: Bot Framework and Direct Line speak JSON, and the
  // full bodyParser would let any caller stream multipart files of any size into the temp folder.
  // (restify passes the options on to its body reader, which enforces maxBodySize; the type omits it.)
  const jsonOnly: restify.plugins.JsonBodyParserOptions & { maxBodySize: number } = { maxBodySize: MAX_BODY_BYTES, mapParams: false };
  server.use(restify.plugins.jsonBodyParser(jsonOnly));

  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;

  server.post('/api/messages', async (req, res) => {
    if (draining) { res.send(503, { error: 'The bot is restarting; Teams will retry.' }); return; }
    const body: unknown = req.body;
    if (!isActivityLike(body)) {
      res.send(400, { error: 'Expected a Bot Framework activity: a JSON object with a string "type".' });
      return;
    }
    inFlight++;
    try {
      const authorization = req.header('authorization') ?? '';
      const invoke = await deps.adapter.processRequest(authorization, body as Activity, deps.logic);
      if (invoke?.body !== undefined) res.send(invoke.status ?? 200, invoke.body);
      else res.send(invoke?.status ?? 200);
    } catch (err) {
      if (isAuthenticationError(err)) {
        // The reason goes to our log, never to the caller.
        deps.logger.warn({ reason: (err as Error).message, channelId: (body as Activity).channelId }, 'refused a request without a valid Bot Framework token');
        res.send(401, { error: 'Unauthorized' });
      } else {
        deps.logger.error({ err }, 'request failed');
        res.send(500, { error: 'The bot could not process this activity.' });
      }
    } finally {
      inFlight--;
      if (draining && inFlight === 0) idle?.();
    }
  });

  server.get('/healthz', async (_req, res) => {
    const state = await deps.health().catch(() => ({ ok: false, store: 'unknown' }));
    res.send(state.ok ? 200 : 503, { status: state.ok ? 'ok' : 'store unreachable', store: state.store });
  });

  return {
    server,
    drain() {
      draining = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => { idle = resolve; });
    },
  };
}

function isActivityLike(body: unknown): boolean {
  // An empty type is no activity either: botbuilder would fail the turn on it ("missing its type").
  const type = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type.trim() !== '';
}

function isAuthenticationError(err: unknown): boolean {
  // botframework-connector's AuthenticationError carries statusCode 401; jsonwebtoken's errors
  // (bad signature, expired) reach us unwrapped from the token extractor.
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { statusCode?: unknown; name?: unknown };
  return e.statusCode === 401 || e.name === 'AuthenticationError' || e.name === 'JsonWebTokenError' || e.name === 'TokenExpiredError' || e.name === 'NotBeforeError';
}
