// How delivery failures are read: status classes and the forms of Retry-After.
import assert from 'node:assert/strict';
import { classifyDeliveryError, retryAfterMs } from '../../bot/deliveryErrors';
import { restError } from '../outbox/fixtures';

describe('delivery errors', () => {
  it('classifies statuses: 429 throttled; 403/404/400 permanent; 401/408/412 and 5xx transient', () => {
    const kinds = [429, 403, 404, 400, 401, 408, 412, 500, 502, 503, 504].map((s) => [s, classifyDeliveryError(restError(s)).kind]);
    assert.deepEqual(kinds, [
      [429, 'throttled'], [403, 'permanent'], [404, 'permanent'], [400, 'permanent'], [401, 'transient'], [408, 'transient'],
      [412, 'transient'], [500, 'transient'], [502, 'transient'], [503, 'transient'], [504, 'transient'],
    ]);
  });

  it('treats network errors and unknown throws as transient', () => {
    assert.deepEqual(classifyDeliveryError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })), { kind: 'transient', status: undefined });
    assert.equal(classifyDeliveryError('weird').kind, 'transient');
    assert.equal(classifyDeliveryError(undefined).kind, 'transient');
  });

  it('reads Retry-After in seconds, as an HTTP date, and the millisecond variants', () => {
    const now = Date.UTC(2030, 0, 1);
    assert.equal(retryAfterMs(restError(429, { 'Retry-After': '5' }), now), 5000);
    assert.equal(retryAfterMs(restError(429, { 'Retry-After': '0.5' }), now), 500);
    assert.equal(retryAfterMs(restError(429, { 'Retry-After': new Date(now + 30_000).toUTCString() }), now), 30_000);
    assert.equal(retryAfterMs(restError(429, { 'retry-after-ms': '250' }), now), 250);
    assert.equal(retryAfterMs(restError(429, { 'x-ms-retry-after-ms': '125' }), now), 125);
    assert.equal(retryAfterMs(restError(429, { 'Retry-After': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(restError(429), now), undefined);
  });

  it('reads headers given as a plain object too', () => {
    const err = { statusCode: 429, response: { headers: { 'retry-after': '2' } } };
    assert.deepEqual(classifyDeliveryError(err), { kind: 'throttled', status: 429, retryAfterMs: 2000 });
  });
});
