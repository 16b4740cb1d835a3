// The outbox's write side: idempotent enqueue, validation, and payloads stored exactly.
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { InvalidNotificationError, Outbox } from '../../services/outbox/outbox';
import { OutboxQueue, activityOf } from '../../services/outbox/outboxQueue';
import { ManualClock } from '../../services/queue/clock';
import { useStoreSuite } from '../support/store';
import { freshIndexedDb, sendRequest, updateRequest } from './fixtures';

describe('outbox: enqueue', () => {
  const suite = useStoreSuite();
  let db: Db;
  let clock: ManualClock;
  let outbox: Outbox;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    clock = new ManualClock();
    outbox = new Outbox(db, { clock });
  });

  it('stores a key once: a second enqueue of the same key changes nothing', async () => {
    const first = await outbox.enqueue(sendRequest('approval:42:ppc'));
    const second = await outbox.enqueue({ ...sendRequest('approval:42:ppc', 'other-conv'), activity: { type: 'message', text: 'different' } });
    assert.deepEqual(first, { key: 'approval:42:ppc', created: true, status: 'pending' });
    assert.deepEqual(second, { key: 'approval:42:ppc', created: false, status: 'pending' });
    const docs = await db.collection(collections.outbox).find({}).toArray();
    assert.equal(docs.length, 1);
    assert.equal(docs[0].conversationId, 'conv-1');
  });

  it('concurrent enqueues of one key store one notification', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => outbox.enqueue(sendRequest('same'))));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(await db.collection(collections.outbox).countDocuments({}), 1);
  });

  it('tells listeners about new notifications only', async () => {
    const heard: string[] = [];
    const stop = outbox.onEnqueued((key) => heard.push(key));
    await outbox.enqueue(sendRequest('a'));
    await outbox.enqueue(sendRequest('a'));
    stop();
    await outbox.enqueue(sendRequest('b'));
    assert.deepEqual(heard, ['a']);
  });

  it('keeps an Adaptive Card exactly, "$schema" and dotted keys included', async () => {
    const card = { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.5', 'a.b': { $data: '${x}' } };
    const activity = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
    await outbox.enqueue({ ...sendRequest('card'), activity });
    const queue = new OutboxQueue(db, { leaseMs: 1000, clock });
    const claim = await queue.claim();
    assert.ok(claim);
    assert.deepEqual(activityOf(claim.doc), activity);
  });

  it('takes the conversation id from the reference, the due time from the clock, and defaults kind to send', async () => {
    await outbox.enqueue(sendRequest('k', 'conv-9'));
    const view = await outbox.get('k');
    assert.equal(view?.conversationId, 'conv-9');
    assert.equal(view?.kind, 'send');
    assert.equal(view?.dueAt.getTime(), clock.now());
    assert.equal(view?.attempts, 0);
  });

  it('refuses malformed requests with a message naming the field', async () => {
    await assert.rejects(outbox.enqueue({ ...sendRequest('x'), key: ' ' }), (err: unknown) => err instanceof InvalidNotificationError && /key/.test(err.message));
    await assert.rejects(outbox.enqueue({ ...updateRequest('u', 'x'), updateOf: undefined } as never), /updateOf/);
    await assert.rejects(outbox.enqueue(updateRequest('self', 'self')), /cannot replace itself/);
    const noUrl = sendRequest('y');
    (noUrl.target.reference as { serviceUrl: string }).serviceUrl = 'not a url';
    await assert.rejects(outbox.enqueue(noUrl), /serviceUrl/);
    assert.equal(await db.collection(collections.outbox).countDocuments({}), 0);
  });
});
