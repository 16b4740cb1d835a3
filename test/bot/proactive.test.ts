// Proactive messages end to end: the outbox in the store, the notifier in the real server, the
// CloudAdapter posting over HTTP to the connector, which can answer 429.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { personalConversationOf } from '../../services/conversations/references';
import { openTestStore, type TestStore } from '../support/store';
import { pollUntil } from '../support/storeAssertions';
import { newAccount, startStandaloneConnector, startTestBot, storeUri, TeamsUser, type TestBot } from '../support/botHarness';
import type { LocalConnector } from '../../bot/local/connector';

const TENANT = '44444444-dddd-4000-8000-000000000004';
const FAST = { OUTBOX_POLL_MS: '50', OUTBOX_PER_CONVERSATION_PER_SECOND: '50', OUTBOX_GLOBAL_PER_SECOND: '500' };

describe('proactive messages through the outbox', () => {
  let store: TestStore;
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  const bots: TestBot[] = [];
  before(async () => { store = await openTestStore(); standalone = await startStandaloneConnector(); });
  afterEach(async () => { while (bots.length) await bots.pop()!.stop(); });
  after(async () => { await standalone?.close(); await store?.close(); });

  async function bot(uri: string): Promise<TestBot> {
    const started = await startTestBot({ mongoUri: uri, env: FAST });
    bots.push(started);
    return started;
  }

  /** A user who has talked to the bot once, so their conversation reference is stored. */
  async function reachableUser(b: TestBot, name: string) {
    const account = newAccount(standalone.connector, TENANT, name);
    const user = new TeamsUser(b.url, standalone.connector, account);
    await user.say('help');
    const reference = await personalConversationOf(b.running.db, TENANT, account.aadObjectId);
    assert.ok(reference, 'reference stored');
    return { user, reference };
  }

  const posted = (conversation: { activities: Activity[] }, text: string) => conversation.activities.filter((a) => a.text === text).length;

  it('a send that gets 429 is retried after Retry-After and posted exactly once', async () => {
    const b = await bot(storeUri(store.uri));
    const { user, reference } = await reachableUser(b, 'Morgan');
    const before = standalone.connector.requests.length;
    standalone.connector.failNext(1, 429, 1);
    await b.running.outbox.enqueue({ key: 'approved:req-1', target: { tenantId: TENANT, reference }, activity: { type: 'message', text: 'Your request was approved.' } });
    await pollUntil(async () => posted(user.conversation, 'Your request was approved.') === 1, { timeoutMs: 10_000, what: 'the notification' });

    const tries = standalone.connector.requests.slice(before).filter((r) => r.method === 'POST');
    assert.equal(tries.length, 2, 'one refused try, one accepted');
    assert.ok(tries[1].at - tries[0].at >= 1000, `retried after ${tries[1].at - tries[0].at} ms, before Retry-After`);
    // Marked done once the connector's answer is back (just after the message lands).
    await pollUntil(async () => (await b.running.outbox.get('approved:req-1'))?.status === 'done', { what: 'the notification marked done' });

    // The same event enqueued again never posts twice.
    const again = await b.running.outbox.enqueue({ key: 'approved:req-1', target: { tenantId: TENANT, reference }, activity: { type: 'message', text: 'Your request was approved.' } });
    assert.equal(again.created, false);
    b.running.notifier.kick();
    await b.running.notifier.tick();
    assert.equal(posted(user.conversation, 'Your request was approved.'), 1);
  });

  it('two instances sharing one store deliver each of 60 notifications exactly once', async () => {
    const uri = storeUri(store.uri);
    const a = await bot(uri);
    const b = await bot(uri);
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => reachableUser(i % 2 ? a : b, `Person ${i}`)));
    const keys: string[] = [];
    for (let n = 0; n < 60; n++) {
      const { reference } = users[n % users.length];
      const key = `note-${n}`;
      keys.push(key);
      // Half enqueued through each instance; either instance's notifier may deliver any of them.
      await (n % 2 ? a : b).running.outbox.enqueue({ key, target: { tenantId: TENANT, reference }, activity: { type: 'message', text: `note ${n}` } });
    }
    await pollUntil(async () => users.reduce((sum, u) => sum + u.user.conversation.activities.filter((x) => x.text?.startsWith('note ')).length, 0) >= 60,
      { timeoutMs: 15_000, what: '60 notifications' });
    // Let any duplicate that was in flight land before counting.
    await Promise.all([a.running.notifier.tick(), b.running.notifier.tick()]);
    for (let n = 0; n < 60; n++) {
      const { user } = users[n % users.length];
      assert.equal(posted(user.conversation, `note ${n}`), 1, `note ${n}`);
    }
    await pollUntil(async () => (await Promise.all(keys.map((k) => a.running.outbox.get(k)))).every((d) => d?.status === 'done'), { what: 'all marked done' });
  });
});
