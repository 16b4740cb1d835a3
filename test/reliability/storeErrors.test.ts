// Which failures the bot calls "the store is temporarily unavailable" (services/db/errors.ts):
// driver errors of an unreachable store, also when botbuilder or our code wraps them; never a
// server's refusal of a bad command or a programming error.
import assert from 'node:assert/strict';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError, type TopologyDescription } from 'mongodb';
import { isStoreUnavailable } from '../../services/db/errors';

describe('isStoreUnavailable', () => {
  const selection = new MongoServerSelectionError('Server selection timed out after 3000 ms', { type: 'Unknown' } as unknown as TopologyDescription);

  it('recognises an unreachable store, wrapped or not', () => {
    assert.equal(isStoreUnavailable(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')), true);
    assert.equal(isStoreUnavailable(selection), true);
    assert.equal(isStoreUnavailable(new MongoTopologyClosedError()), true);
    assert.equal(isStoreUnavailable(new MongoServerError({ code: 91, errmsg: 'shutdown in progress' })), true);
    // botbuilder-dialogs' DialogContextError keeps the original as `error`; others use `cause`.
    assert.equal(isStoreUnavailable(Object.assign(new Error('dialog failed'), { error: selection })), true);
    assert.equal(isStoreUnavailable(new Error('turn failed', { cause: selection })), true);
    // The driver writing to a connection the store just closed surfaces Node's own error.
    const writeAfterEnd = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    assert.equal(isStoreUnavailable(writeAfterEnd), true);
    assert.equal(isStoreUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), true);
  });

  it('leaves every other failure alone', () => {
    assert.equal(isStoreUnavailable(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' })), false);
    assert.equal(isStoreUnavailable(new MongoServerError({ code: 2, errmsg: 'unknown operator: $foo' })), false);
    assert.equal(isStoreUnavailable(new TypeError('x is undefined')), false);
    assert.equal(isStoreUnavailable(undefined), false);
    assert.equal(isStoreUnavailable('store down'), false);
  });
});
