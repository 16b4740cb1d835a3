// The CloudAdapter Delivery against a tiny local server playing the Bot Connector REST API, with
// a CloudAdapter in local mode (no app id, so no token is fetched). This is the real botbuilder
// and connector client over HTTP: what it sends, what it reads back, and how its errors look.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { classifyDeliveryError } from '../../bot/deliveryErrors';
import { Notifier } from '../../bot/notifier';
import { ProactiveDelivery } from '../../bot/proactiveDelivery';
import { collections } from '../../services/db/collections';
import { Outbox } from '../../services/outbox/outbox';
import { ManualClock } from '../../services/queue/clock';
import { useStoreSuite } from '../support/store';
import { captureLogger, freshIndexedDb, reference, TENANT } from '../outbox/fixtures';

interface Recorded { method: string; conversationId: string; activityId?: string; body: Record<string, unknown>; authorization?: string }
interface Fault { status: number; headers?: Record<string, string>; body?: unknown }

/** POST /v3/conversations/{id}/activities → {id}; PUT …/activities/{activityId} → {id}. */
class FakeConnector {
  readonly requests: Recorded[] = [];
  readonly faults: Fault[] = [];
  private sequence = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => { void this.handle(req, res); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  posted(): Recorded[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?$/.exec(req.url ?? '');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (!match || !['POST', 'PUT'].includes(req.method ?? '')) return send(404, { error: { code: 'NotFound', message: 'no such route' } });
    this.requests.push({
      method: req.method!,
      conversationId: decodeURIComponent(match[1]),
      activityId: match[2] && decodeURIComponent(match[2]),
      body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
      authorization: req.headers.authorization,
    });
    const fault = this.faults.shift();
    if (fault) return send(fault.status, fault.body ?? { error: { code: 'Fault', message: `status ${fault.status}` } }, fault.headers);
    if (req.method === 'PUT') return send(200, { id: decodeURIComponent(match[2]!) });
    return send(201, { id: `activity-${++this.sequence}` });
  }
}

describe('ProactiveDelivery on CloudAdapter (local Bot Connector over HTTP)', () => {
  const suite = useStoreSuite();
  const connector = new FakeConnector();
  let delivery: ProactiveDelivery;
  const conversationId = 'a:1pmU3Ck8tMq@thread.v2;messageid=1';
  const ref = () => reference(conversationId, connector.url);

  before(async () => {
    await connector.start();
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }));
    delivery = new ProactiveDelivery(adapter, { botAppId: '' });
  });
  after(() => connector.stop());
  beforeEach(() => {
    connector.requests.length = 0;
    connector.faults.length = 0;
  });

  it('posts an activity into the referenced conversation and returns its id', async () => {
    const { activityId } = await delivery.send(ref(), { type: 'message', text: 'hello' });
    assert.equal(activityId, 'activity-1');
    const [request] = connector.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.conversationId, conversationId);
    assert.equal(request.body.text, 'hello');
    assert.equal((request.body.conversation as { id: string }).id, conversationId);
    assert.equal(request.authorization, undefined, 'local mode sends no token');
  });

  it('replaces an earlier activity in place (PUT with its id)', async () => {
    await delivery.update(ref(), 'activity-7', { type: 'message', text: 'decided' });
    const [request] = connector.requests;
    assert.equal(request.method, 'PUT');
    assert.equal(request.activityId, 'activity-7');
    assert.equal(request.body.id, 'activity-7');
    assert.equal(request.body.text, 'decided');
  });

  it('surfaces a 429 with its Retry-After, without retrying inside the SDK', async () => {
    connector.faults.push({ status: 429, headers: { 'Retry-After': '3' } });
    const err = await delivery.send(ref(), { type: 'message', text: 'x' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err, 'the failure reaches the caller (not swallowed by onTurnError)');
    assert.deepEqual(classifyDeliveryError(err), { kind: 'throttled', status: 429, retryAfterMs: 3000 });
    assert.equal(connector.requests.length, 1, 'one HTTP request: the notifier owns retries');
  });

  it('(for contrast) with sdkRetries the connector client retries a 429 inside the call', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }));
    const retrying = new ProactiveDelivery(adapter, { botAppId: '', sdkRetries: true });
    connector.faults.push({ status: 429, headers: { 'retry-after-ms': '5' } });
    const { activityId } = await retrying.send(ref(), { type: 'message', text: 'x' });
    assert.ok(activityId);
    assert.equal(connector.requests.length, 2);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const now = Date.now();
    connector.faults.push({ status: 429, headers: { 'Retry-After': new Date(now + 120_000).toUTCString() } });
    const err = await delivery.send(ref(), { type: 'message', text: 'x' }).then(() => undefined, (e: unknown) => e);
    const failure = classifyDeliveryError(err, now);
    assert.equal(failure.kind, 'throttled');
    assert.ok(failure.retryAfterMs !== undefined && failure.retryAfterMs > 118_000 && failure.retryAfterMs <= 120_000);
  });

  it('classifies 403 (bot blocked) and 404 (conversation gone) as permanent, 502 as transient', async () => {
    connector.faults.push(
      { status: 403, body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } } },
      { status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } },
      { status: 502 },
    );
    const failures = [];
    for (let i = 0; i < 3; i += 1) {
      failures.push(classifyDeliveryError(await delivery.send(ref(), { type: 'message', text: 'x' }).then(() => undefined, (e: unknown) => e)));
    }
    assert.deepEqual(failures, [{ kind: 'permanent', status: 403 }, { kind: 'permanent', status: 404 }, { kind: 'transient', status: 502 }]);
    assert.equal(connector.requests.length, 3);
  });

  it('classifies a refused connection as transient', async () => {
    const closed = { ...ref(), serviceUrl: 'http://127.0.0.1:1/' };
    const err = await delivery.send(closed, { type: 'message', text: 'x' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err);
    assert.equal(classifyDeliveryError(err).kind, 'transient');
  });

  describe('with the notifier and the store', () => {
    let db: Db;
    beforeEach(async () => { db = await freshIndexedDb(suite.store); });

    it('429 then success: posted exactly once, not before Retry-After, then the card is updated', async () => {
      const clock = new ManualClock();
      const outbox = new Outbox(db, { clock });
      const log = captureLogger();
      const notifier = new Notifier({ db, delivery, logger: log.logger, clock });
      await outbox.enqueue({ key: 'approval:1', target: { tenantId: TENANT, reference: ref() }, activity: { type: 'message', text: 'please decide' } });
      connector.faults.push({ status: 429, headers: { 'Retry-After': '2' } });
      const start = clock.now();
      await notifier.tick();
      clock.advance(1999);
      await notifier.tick();
      assert.equal(connector.posted().length, 1, 'only the throttled request so far');
      clock.advance(1);
      await notifier.tick();
      assert.equal(connector.posted().length, 2);
      const doc = await db.collection(collections.outbox).findOne({ _id: 'approval:1' as never });
      assert.equal(doc?.status, 'done');
      const posted = connector.posted()[1];
      assert.equal(posted.body.text, 'please decide');
      assert.match(String(doc?.activityId), /^activity-\d+$/);
      assert.ok(doc?.finishedAt.getTime() - start >= 2000);
      assert.equal(log.events('notification.throttled').length, 1);

      await outbox.enqueue({ key: 'approval:1:decided', kind: 'update', updateOf: 'approval:1', target: { tenantId: TENANT, reference: ref() }, activity: { type: 'message', text: 'approved' } });
      clock.advance(10_000);
      await notifier.tick();
      const put = connector.requests.at(-1)!;
      assert.equal(put.method, 'PUT');
      assert.equal(put.activityId, doc?.activityId);
      assert.equal(put.body.text, 'approved');
    });
  });
});
