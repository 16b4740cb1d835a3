// Shared by the outbox, notifier and scheduler tests: a fresh database with the production
// indexes, a logger whose lines the test can read, and notification builders.
import pino, { type Logger } from 'pino';
import type { Db } from 'mongodb';
import { ensureIndexes } from '../../services/db/indexes';
import type { TestStore } from '../support/store';
import type { EnqueueRequest, ConversationReferenceJson } from '../../services/outbox/notification';

export async function freshIndexedDb(store: TestStore): Promise<Db> {
  const db = store.freshDb();
  await ensureIndexes(db);
  return db;
}

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown> & { msg?: string; level: number }>;
  /** Lines whose `event` field equals `event`. */
  events(event: string): Array<Record<string, unknown>>;
  /** Every line as raw JSON text (to check nothing secret was logged). */
  text(): string;
}

export function captureLogger(): CapturedLogger {
  const raw: string[] = [];
  const lines: CapturedLogger['lines'] = [];
  const logger = pino({ level: 'debug' }, {
    write(chunk: string) {
      raw.push(chunk);
      lines.push(JSON.parse(chunk));
    },
  });
  return {
    logger,
    lines,
    events: (event) => lines.filter((line) => line.event === event),
    text: () => raw.join(''),
  };
}

export const TENANT = 'tenant-1';

export function reference(conversationId: string, serviceUrl = 'https://smba.example.test/teams/'): ConversationReferenceJson {
  return {
    serviceUrl,
    channelId: 'msteams',
    conversation: { id: conversationId, tenantId: TENANT, conversationType: 'personal' },
    bot: { id: '28:bot', name: 'MPN Association' },
    user: { id: '29:user', aadObjectId: '00000000-0000-0000-0000-000000000001' },
  };
}

/** The activity text holds an address and a phrase that must never show up in a log line. */
export const SECRET_TEXT = 'private words for alice.smith@example.com';

export function sendRequest(key: string, conversationId = 'conv-1', extra: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    key,
    target: { tenantId: TENANT, reference: reference(conversationId) },
    activity: { type: 'message', text: `${SECRET_TEXT} (${key})` },
    ...extra,
  } as EnqueueRequest;
}

export function updateRequest(key: string, updateOf: string, conversationId = 'conv-1'): EnqueueRequest {
  return {
    key,
    kind: 'update',
    updateOf,
    target: { tenantId: TENANT, reference: reference(conversationId) },
    activity: { type: 'message', text: `updated (${key})` },
  };
}

/** An error shaped as botframework-connector's RestError (status, response headers with get()). */
export function restError(statusCode: number, headers: Record<string, string> = {}): Error {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const error = Object.assign(new Error(`Unexpected status code: ${statusCode}`), { name: 'RestError', statusCode });
  Object.defineProperty(error, 'response', {
    enumerable: false,
    value: { status: statusCode, headers: { get: (name: string) => lower[name.toLowerCase()] } },
  });
  return error;
}
