// Server error codes and driver errors the data layer reacts to, named once.
import { MongoError, MongoNetworkError, MongoNotConnectedError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';

/**
 * E11000: an insert or upsert met an existing _id / unique key. Two concurrent upserts of the
 * same new _id can both miss and both insert; the loser gets this and should simply retry.
 */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/** Server codes of a store that is stopping, stepping down or unreachable from its side. */
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436]);

/** Node socket errors of a peer that went away. */
const SOCKET_GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED']);

/**
 * The store cannot be reached just now (stopped, restarting, network down, no primary): the
 * operation did not run or its outcome is unknown, and trying again later is the answer. Looks
 * through wrappers (`cause`, and botbuilder's DialogContextError `error`).
 */
export function isStoreUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    if (current instanceof MongoNetworkError || current instanceof MongoServerSelectionError
      || current instanceof MongoTopologyClosedError || current instanceof MongoNotConnectedError) return true;
    if (current instanceof MongoServerError && typeof current.code === 'number' && UNAVAILABLE_CODES.has(current.code)) return true;
    // The driver's own labels for "the server or the connection went away; retry later".
    if (current instanceof MongoError && !(current instanceof MongoServerError)
      && (current.hasErrorLabel('ResetPool') || current.hasErrorLabel('RetryableWriteError') || /Network|ServerSelection|PoolCleared|PoolClosed|Topology/.test(current.name))) return true;
    // The driver lets a socket's own failure through as it is when it writes to a connection the
    // store has just closed (writeAfterFIN: EPIPE), before its pool notices.
    if (current instanceof Error && SOCKET_GONE.has(String((current as NodeJS.ErrnoException).code))) return true;
    const wrapper = current as { cause?: unknown; error?: unknown };
    current = wrapper.cause ?? wrapper.error;
  }
  return false;
}
