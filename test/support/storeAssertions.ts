// Small assertion helpers for the store conformance suite (test/store).
import assert from 'node:assert/strict';
import { Collection, Db, MongoClient, MongoServerError, type MongoClientOptions } from 'mongodb';

/** An _id of any BSON type (the driver's typings assume ObjectId unless told otherwise). */
export type AnyId = string | number | bigint | boolean | null | object;
/** A document of any shape, with an _id of any BSON type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDoc = { _id?: AnyId; [key: string]: any };

/** `db.collection(name)` typed for documents of any shape. */
export function col(db: Db, name: string): Collection<AnyDoc> {
  return db.collection<AnyDoc>(name);
}

export interface ExpectedServerError {
  /** MongoDB's numeric error code, when it is a well-known one. */
  code?: number;
  codeName?: string;
  /** Text the error message must contain (e.g. the name of the unknown operator). */
  messageIncludes?: string | string[];
  /** A prefix the message must start with (e.g. 'E11000'). */
  messageStartsWith?: string;
}

/**
 * Awaits `work` and asserts it failed with a MongoServerError matching `expected`; returns the
 * error for further checks. A success, or a client-side error, fails the assertion.
 */
export async function rejectsWithServerError(
  work: Promise<unknown> | (() => Promise<unknown>),
  expected: ExpectedServerError = {},
): Promise<MongoServerError> {
  let outcome: unknown;
  try {
    outcome = await (typeof work === 'function' ? work() : work);
  } catch (error) {
    assert.ok(
      error instanceof MongoServerError,
      `expected a MongoServerError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    if (expected.code !== undefined) {
      assert.equal(error.code, expected.code, `error code (message: ${error.message})`);
    }
    if (expected.codeName !== undefined) {
      assert.equal(error.codeName, expected.codeName, `codeName (message: ${error.message})`);
    }
    const includes = expected.messageIncludes === undefined
      ? []
      : Array.isArray(expected.messageIncludes) ? expected.messageIncludes : [expected.messageIncludes];
    for (const text of includes) {
      assert.ok(error.message.includes(text), `message ${JSON.stringify(error.message)} should mention ${JSON.stringify(text)}`);
    }
    if (expected.messageStartsWith !== undefined) {
      assert.ok(
        error.message.startsWith(expected.messageStartsWith),
        `message ${JSON.stringify(error.message)} should start with ${JSON.stringify(expected.messageStartsWith)}`,
      );
    }
    return error;
  }
  assert.fail(`expected a server error, but the operation succeeded with ${safeJson(outcome)}`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Polls `check` every `intervalMs` until it returns true, or fails after `timeoutMs`.
 * For waiting on a state the system reaches by itself (a TTL sweep) — never as a fixed sleep.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  { timeoutMs = 5000, intervalMs = 25, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Extra clients to the same server (for concurrency tests); close them with closeAll. */
export async function connectClients(uri: string, count: number, options: MongoClientOptions = {}): Promise<MongoClient[]> {
  return Promise.all(
    Array.from({ length: count }, () => MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000, ...options })),
  );
}

export async function closeAll(clients: MongoClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
}
