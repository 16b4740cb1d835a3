// The notifier against the real store with a fake Delivery and a hand-moved clock: delivery,
// updates, failure handling and scale-out. No sleeps: each step is one pass (tick) at a known time.
import assert from 'node:assert/strict';
import type { Db, MongoClient } from 'mongodb';
import { Notifier, type NotifierOptions } from '../../bot/notifier';
import { collections } from '../../services/db/collections';
import { Outbox } from '../../services/outbox/outbox';
import { OutboxQueue } from '../../services/outbox/outboxQueue';
import { ManualClock } from '../../services/queue/clock';
import { useStoreSuite } from '../support/store';
import { closeAll, connectClients, pollUntil } from '../support/storeAssertions';
import { captureLogger, freshIndexedDb, restError, SECRET_TEXT, sendRequest, updateRequest, type CapturedLogger } from '../outbox/fixtures';
import { FakeDelivery, type Behaviour } from './fakeDelivery';

const UNLIMITED: Partial<NotifierOptions> = { perConversationPerSecond: 1000, perConversationBurst: 1000, globalPerSecond: 10_000, globalBurst: 10_000 };

describe('notifier', () => {
  const suite = useStoreSuite();
  let db: Db;
  let clock: ManualClock;
  let outbox: Outbox;
  let log: CapturedLogger;
  let delivery: FakeDelivery;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    clock = new ManualClock();
    outbox = new Outbox(db, { clock });
    log = captureLogger();
    delivery = new FakeDelivery(clock);
  });

  const notifier = (options: Partial<NotifierOptions> = {}, on: Db = db) =>
    new Notifier({ db: on, delivery, logger: log.logger, clock, random: () => 0.5 }, { ...UNLIMITED, ...options });
  const doc = (key: string) => db.collection(collections.outbox).findOne({ _id: key as never });
  const failWith = (behaviour: Behaviour) => { delivery.behaviour = behaviour; };

  it('posts a due notification and stores the posted activity id', async () => {
    await outbox.enqueue(sendRequest('welcome'));
    assert.equal(await notifier().tick(), 1);
    assert.equal(delivery.count('welcome'), 1);
    const stored = await doc('welcome');
    assert.equal(stored?.status, 'done');
    assert.equal(stored?.activityId, delivery.delivered[0].activityId);
    assert.equal(stored?.deliveredAs, 'send');
  });

  it('an idempotent enqueue posts once', async () => {
    await outbox.enqueue(sendRequest('once'));
    const n = notifier();
    await n.tick();
    await outbox.enqueue(sendRequest('once'));
    await n.tick();
    assert.equal(delivery.count('once'), 1);
  });

  it('waits for dueAt', async () => {
    await outbox.enqueue(sendRequest('later', 'c', { dueAt: new Date(clock.now() + 60_000) }));
    const n = notifier();
    assert.equal(await n.tick(), 0);
    clock.advance(60_000);
    assert.equal(await n.tick(), 1);
    assert.equal(delivery.delivered[0].at, clock.now());
  });

  it('two instances on two connections racing over 200 notifications post each exactly once', async () => {
    for (let i = 0; i < 200; i += 1) await outbox.enqueue(sendRequest(`n${i}`, `conv-${i % 17}`));
    delivery = new FakeDelivery(clock, () => undefined, true);
    const clients: MongoClient[] = await connectClients(suite.store.uri, 2);
    try {
      const [a, b] = clients.map((c) => notifier({ concurrency: 4 }, c.db(db.databaseName)));
      const [claimedA, claimedB] = await Promise.all([a.tick(), b.tick()]);
      assert.equal(claimedA + claimedB, 200);
      assert.ok(claimedA > 0 && claimedB > 0, `both instances worked (${claimedA} / ${claimedB})`);
      assert.equal(delivery.delivered.length, 200);
      assert.equal(new Set(delivery.delivered.map((d) => d.key)).size, 200);
      assert.equal(await db.collection(collections.outbox).countDocuments({ status: 'done' }), 200);
    } finally {
      await closeAll(clients);
    }
  });

  it('one instance\'s lanes take turns to claim: no guarded claim misses, about one read per batch', async () => {
    for (let i = 0; i < 120; i += 1) await outbox.enqueue(sendRequest(`t${i}`, `conv-${i % 13}`));
    delivery = new FakeDelivery(clock, () => undefined, true);
    let inFlight = 0;
    let peak = 0;
    const send = delivery.send.bind(delivery);
    delivery.send = async (reference, activity) => {
      peak = Math.max(peak, ++inFlight);
      try { return await send(reference, activity); } finally { inFlight -= 1; }
    };
    // Every command this instance sends to the outbox, with how many of its updates matched.
    const [client] = await connectClients(suite.store.uri, 1, { monitorCommands: true });
    const finds: number[] = [];
    const updates: Array<{ statements: number; matched?: number }> = [];
    const byRequest = new Map<number, { statements: number; matched?: number }>();
    client.on('commandStarted', (e) => {
      if (e.command[e.commandName] !== collections.outbox) return;
      if (e.commandName === 'find') finds.push(e.requestId);
      if (e.commandName === 'update') {
        const entry = { statements: (e.command.updates as unknown[]).length };
        updates.push(entry);
        byRequest.set(e.requestId, entry);
      }
    });
    client.on('commandSucceeded', (e) => {
      const entry = byRequest.get(e.requestId);
      if (entry) entry.matched = (e.reply as { n: number }).n;
    });
    try {
      assert.equal(await notifier({ concurrency: 8 }, client.db(db.databaseName)).tick(), 120);
      assert.equal(new Set(delivery.delivered.map((d) => d.key)).size, 120);
      const missed = updates.reduce((sum, u) => sum + u.statements - (u.matched ?? 0), 0);
      assert.equal(missed, 0, 'a claim lost a race against a lane of the same instance');
      // Each find claims at least one item, but for the last (empty) look.
      assert.ok(finds.length <= 121, `${finds.length} reads of the outbox for 120 items`);
      assert.ok(peak > 1 && peak <= 8, `${peak} deliveries at once (concurrency 8)`);
    } finally {
      await closeAll([client]);
    }
  });

  it('takes over a crashed instance\'s claim once its lease expires', async () => {
    await outbox.enqueue(sendRequest('orphan'));
    // The crashed instance claimed it and never came back.
    const crashed = new OutboxQueue(db, { leaseMs: 60_000, owner: 'crashed', clock });
    const stale = await crashed.claim();
    assert.ok(stale);
    const survivor = notifier({ leaseMs: 60_000 });
    assert.equal(await survivor.tick(), 0, 'not while the lease holds');
    clock.advance(60_000);
    assert.equal(await survivor.tick(), 1);
    assert.equal(delivery.count('orphan'), 1);
    assert.equal(await crashed.complete(stale, { activityId: 'late' }), false, 'the crashed worker cannot finish it any more');
    assert.equal((await doc('orphan'))?.activityId, delivery.delivered[0].activityId);
  });

  describe('failures', () => {
    it('429 with Retry-After: waits at least that long, then posts exactly once', async () => {
      await outbox.enqueue(sendRequest('busy'));
      failWith((_op, _key, call) => (call === 1 ? restError(429, { 'Retry-After': '7' }) : undefined));
      const n = notifier();
      const start = clock.now();
      await n.tick();
      const pending = await doc('busy');
      assert.equal(pending?.status, 'pending');
      assert.equal(pending?.nextAt.getTime(), start + 7000);
      assert.match(String(pending?.lastError), /429/);
      clock.advance(6999);
      assert.equal(await n.tick(), 0);
      clock.advance(1);
      assert.equal(await n.tick(), 1);
      assert.equal(delivery.count('busy'), 1);
      assert.ok(delivery.delivered[0].at - start >= 7000);
      const [line] = log.events('notification.throttled');
      assert.equal(line.retryAfterMs, 7000);
      assert.equal(line.status, 429);
    });

    it('429 holds back the rest of that conversation too, but not others', async () => {
      await outbox.enqueue(sendRequest('first', 'busy-conv'));
      failWith((_op, key, call) => (key === 'first' && call === 1 ? restError(429, { 'retry-after': '5' }) : undefined));
      const n = notifier({ concurrency: 1 });
      await n.tick();
      await outbox.enqueue(sendRequest('second', 'busy-conv'));
      await outbox.enqueue(sendRequest('elsewhere', 'quiet-conv'));
      await n.tick();
      assert.deepEqual(delivery.delivered.map((d) => d.key), ['elsewhere']);
      clock.advance(4999);
      await n.tick();
      assert.equal(delivery.delivered.length, 1, 'still paused');
      clock.advance(1);
      await n.tick();
      assert.equal(delivery.delivered.length, 2, 'the conversation resumes with a single token');
      clock.advance(1000);
      await n.tick();
      assert.deepEqual(delivery.delivered.map((d) => d.key).sort(), ['elsewhere', 'first', 'second']);
    });

    it('5xx and network errors back off exponentially with jitter, then succeed', async () => {
      await outbox.enqueue(sendRequest('flaky'));
      const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      failWith((_op, _key, call) => (call === 1 ? restError(503) : call === 2 ? network : undefined));
      const n = notifier({ backoffBaseMs: 1000, backoffMaxMs: 60_000 });
      await n.tick();
      // random() = 0.5 → delay = step/2 + 0.5·step/2 = 0.75·step, step = 1000·2^(attempt-1).
      let stored = await doc('flaky');
      assert.equal(stored?.nextAt.getTime() - clock.now(), 750);
      clock.advance(750);
      await n.tick();
      stored = await doc('flaky');
      assert.equal(stored?.nextAt.getTime() - clock.now(), 1500);
      clock.advance(1499);
      assert.equal(await n.tick(), 0);
      clock.advance(1);
      await n.tick();
      assert.equal(delivery.count('flaky'), 1);
      assert.equal((await doc('flaky'))?.attempts, 3);
      const retries = log.events('notification.retry');
      assert.deepEqual(retries.map((r) => [r.status, r.delayMs]), [[503, 750], [undefined, 1500]]);
    });

    for (const status of [403, 404]) {
      it(`${status} dead-letters at once with one log line`, async () => {
        await outbox.enqueue(sendRequest('gone'));
        failWith(() => restError(status));
        const n = notifier({ maxAttempts: 5 });
        await n.tick();
        clock.advance(3_600_000);
        assert.equal(await n.tick(), 0);
        const stored = await doc('gone');
        assert.equal(stored?.status, 'dead');
        assert.equal(stored?.attempts, 1);
        const dead = log.events('notification.dead');
        assert.equal(dead.length, 1);
        assert.equal(dead[0].reason, 'permanent');
        assert.equal(dead[0].status, status);
      });
    }

    it('dead-letters after maxAttempts failures with one log line, never logging the text', async () => {
      await outbox.enqueue(sendRequest('doomed'));
      failWith(() => restError(500));
      const n = notifier({ maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 1000 });
      for (let i = 0; i < 5; i += 1) {
        await n.tick();
        clock.advance(1000);
      }
      assert.equal(delivery.calls.length, 3);
      const stored = await doc('doomed');
      assert.equal(stored?.status, 'dead');
      assert.equal(stored?.attempts, 3);
      assert.equal(log.events('notification.retry').length, 2);
      const dead = log.events('notification.dead');
      assert.equal(dead.length, 1);
      assert.equal(dead[0].reason, 'attempts exhausted');
      assert.equal(dead[0].key, 'doomed');
      assert.ok(!log.text().includes(SECRET_TEXT.slice(0, 12)), 'activity text is never logged');
      assert.ok(!log.text().includes('alice.smith@'), 'no address is logged');
    });

    it('a claim whose last try never reported back is dead-lettered when its lease expires', async () => {
      await outbox.enqueue(sendRequest('poison'));
      const crashed = new OutboxQueue(db, { leaseMs: 1000, owner: 'crashed', clock });
      assert.ok(await crashed.claim());
      clock.advance(1000);
      assert.ok(await crashed.claim());
      clock.advance(1000);
      await notifier({ maxAttempts: 2 }).tick();
      assert.equal(delivery.calls.length, 0);
      assert.equal((await doc('poison'))?.status, 'dead');
      assert.equal(log.events('notification.dead')[0].reason, 'lease expired');
    });
  });

  describe('updates', () => {
    it('replaces the card posted by an earlier notification', async () => {
      await outbox.enqueue(sendRequest('approval'));
      const n = notifier();
      await n.tick();
      const posted = delivery.delivered[0].activityId;
      await outbox.enqueue(updateRequest('approval:decided', 'approval'));
      await n.tick();
      const update = delivery.delivered[1];
      assert.equal(update.op, 'update');
      assert.equal(update.activityId, posted);
      assert.equal(update.key, 'approval:decided');
      const stored = await doc('approval:decided');
      assert.equal(stored?.deliveredAs, 'update');
      assert.equal(stored?.activityId, posted);
    });

    it('waits, without using up tries, while its target is not sent yet', async () => {
      await outbox.enqueue(sendRequest('card', 'c', { dueAt: new Date(clock.now() + 10_000) }));
      await outbox.enqueue(updateRequest('card:update', 'card'));
      const n = notifier({ updateWaitMs: 2000 });
      await n.tick();
      assert.equal(delivery.calls.length, 0);
      const waiting = await doc('card:update');
      assert.equal(waiting?.status, 'pending');
      assert.equal(waiting?.attempts, 0);
      assert.equal(waiting?.nextAt.getTime(), clock.now() + 10_000, 'looks again when the target is due');
      clock.advance(10_000);
      await n.tick();
      // Whichever order the lanes took them in, the card is posted, then replaced.
      clock.advance(2000);
      await n.tick();
      assert.deepEqual(delivery.delivered.map((d) => d.op), ['send', 'update']);
      assert.equal(delivery.delivered[1].activityId, delivery.delivered[0].activityId);
    });

    it('posts as a new message when the target was dead-lettered', async () => {
      await outbox.enqueue(sendRequest('lost'));
      failWith((op, key) => (op === 'send' && key === 'lost' ? restError(404) : undefined));
      const n = notifier();
      await n.tick();
      assert.equal((await doc('lost'))?.status, 'dead');
      await outbox.enqueue(updateRequest('lost:update', 'lost'));
      await n.tick();
      assert.deepEqual(delivery.delivered.map((d) => [d.op, d.key]), [['send', 'lost:update']]);
      assert.equal((await doc('lost:update'))?.deliveredAs, 'send');
      assert.equal(log.events('notification.update_as_new').length, 1);
    });
  });

  describe('rate limits', () => {
    it('holds one conversation to its burst, then its rate', async () => {
      for (let i = 0; i < 10; i += 1) await outbox.enqueue(sendRequest(`m${i}`, 'chatty'));
      await outbox.enqueue(sendRequest('other', 'quiet'));
      const n = notifier({ perConversationPerSecond: 1, perConversationBurst: 3 });
      const start = clock.now();
      await n.tick();
      assert.equal(delivery.delivered.filter((d) => d.conversationId === 'chatty').length, 3);
      assert.equal(delivery.count('other'), 1, 'another conversation is not held up');
      await n.tick();
      assert.equal(delivery.delivered.length, 4, 'nothing more until tokens refill');
      for (let s = 1; s <= 7; s += 1) {
        clock.advance(1000);
        await n.tick();
      }
      const chatty = delivery.delivered.filter((d) => d.conversationId === 'chatty').map((d) => d.at - start);
      assert.equal(chatty.length, 10);
      // In any window of w ms, at most burst + rate·w posts.
      for (const from of chatty) {
        for (const w of [0, 1000, 2000, 5000]) {
          const inWindow = chatty.filter((t) => t >= from && t <= from + w).length;
          assert.ok(inWindow <= 3 + w / 1000, `${inWindow} posts within ${w} ms from ${from}`);
        }
      }
    });

    it('holds the whole instance to the global rate', async () => {
      for (let i = 0; i < 12; i += 1) await outbox.enqueue(sendRequest(`g${i}`, `conv-${i}`));
      const n = notifier({ globalPerSecond: 2, globalBurst: 4 });
      await n.tick();
      assert.equal(delivery.delivered.length, 4);
      clock.advance(500);
      await n.tick();
      assert.equal(delivery.delivered.length, 5);
      clock.advance(1500);
      await n.tick();
      assert.equal(delivery.delivered.length, 8);
      assert.equal(await db.collection(collections.outbox).countDocuments({ status: 'leased' }), 0, 'held-back work is not left leased');
      const attempts = await db.collection(collections.outbox).distinct('attempts', { status: 'pending' });
      assert.deepEqual(attempts, [0], 'waiting for a token is not a try');
    });
  });

  describe('running', () => {
    it('kick() delivers a new notification without waiting for the poll', async () => {
      const n = new Notifier({ db, delivery, logger: log.logger, outbox, clock }, { ...UNLIMITED, pollMs: 600_000 });
      n.start();
      try {
        await n.tick(); // the first pass (nothing due) is over: only a kick can wake the loop now
        await outbox.enqueue(sendRequest('now'));
        await pollUntil(async () => delivery.count('now') === 1, { timeoutMs: 2000, what: 'the kicked delivery' });
      } finally {
        await n.stop();
      }
    });

    it('stop() lets a delivery in flight finish, then releases leases', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      let started!: () => void;
      const inFlight = new Promise<void>((resolve) => { started = resolve; });
      const slow = {
        send: async () => { started(); await gate; return { activityId: 'slow-1' }; },
        update: async () => undefined,
      };
      await outbox.enqueue(sendRequest('slow'));
      const n = new Notifier({ db, delivery: slow, logger: log.logger, clock }, { ...UNLIMITED, pollMs: 600_000, concurrency: 1 });
      n.start();
      await inFlight;
      const stopping = n.stop();
      await outbox.enqueue(sendRequest('after-stop'));
      release();
      await stopping;
      assert.equal((await doc('slow'))?.status, 'done');
      assert.equal((await doc('after-stop'))?.status, 'pending', 'nothing claimed after stop');
      assert.equal(await db.collection(collections.outbox).countDocuments({ status: 'leased' }), 0);
    });
  });
});
