// Token buckets with a hand-moved clock.
import assert from 'node:assert/strict';
import { RateLimiter, TokenBucket } from '../../bot/rateLimiter';
import { ManualClock } from '../../services/queue/clock';

describe('rate limiter', () => {
  it('a bucket gives its burst at once, then refills at its rate, never above the burst', () => {
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, 0);
    assert.deepEqual([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)], [true, true, true, false]);
    assert.equal(bucket.msUntilToken(0), 500);
    assert.equal(bucket.tryTake(499), false);
    assert.equal(bucket.tryTake(500), true);
    assert.equal(bucket.available(60_000), 3);
  });

  it('fractional rates work (0.5/s: one token every 2 s)', () => {
    const bucket = new TokenBucket({ perSecond: 0.5, burst: 1 }, 0);
    assert.ok(bucket.tryTake(0));
    assert.equal(bucket.msUntilToken(0), 2000);
    assert.equal(bucket.tryTake(1999), false);
    assert.equal(bucket.tryTake(2000), true);
  });

  it('a block (Retry-After) gives nothing until it ends, then a single token', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 5 }, 0);
    bucket.blockUntil(3000);
    assert.equal(bucket.available(2999), 0);
    assert.equal(bucket.msUntilToken(1000), 2000);
    assert.equal(bucket.available(3000), 1);
    assert.ok(bucket.tryTake(3000));
    assert.equal(bucket.tryTake(3000), false);
  });

  it('takes from the conversation and the global bucket together, or from neither', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perConversation: { perSecond: 1, burst: 1 }, global: { perSecond: 1, burst: 2 } }, clock);
    assert.ok(limiter.tryAcquire('a'));
    assert.equal(limiter.tryAcquire('a'), false, 'conversation empty');
    assert.deepEqual(limiter.exhaustedConversations(), ['a']);
    assert.ok(limiter.globalReady(), 'the refused take did not use the global token');
    assert.ok(limiter.tryAcquire('b'));
    assert.equal(limiter.globalReady(), false);
    assert.equal(limiter.tryAcquire('c'), false);
    assert.equal(limiter.msUntilNextToken(), 1000);
    clock.advance(1000);
    assert.ok(limiter.tryAcquire('a'));
  });

  it('pausing a conversation holds it back and reports when it resumes', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perConversation: { perSecond: 1, burst: 5 }, global: { perSecond: 100, burst: 100 } }, clock);
    limiter.pauseConversation('x', 4000);
    assert.deepEqual(limiter.exhaustedConversations(), ['x']);
    assert.equal(limiter.msUntilNextToken(), 4000);
    clock.advance(4000);
    assert.ok(limiter.tryAcquire('x'));
  });
});
