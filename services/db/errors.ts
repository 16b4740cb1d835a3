// Server error codes the data layer reacts to, named once.
import { MongoServerError } from 'mongodb';

/**
 * E11000: an insert or upsert met an existing _id / unique key. Two concurrent upserts of the
 * same new _id can both miss and both insert; the loser gets this and should simply retry.
 */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}
