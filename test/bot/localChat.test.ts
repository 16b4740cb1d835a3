// The newcomer's browser chat, driven over HTTP the way Web Chat drives it: a token per persona,
// Direct Line polling, messages, and Action.Execute clicks sent on as Teams-style invokes.
import assert from 'node:assert/strict';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { personalConversationOf } from '../../services/conversations/references';
import { DEMO_TENANT_ID, PERSONAS } from '../../services/demo/personas';
import { openTestStore, type TestStore } from '../support/store';
import { pollUntil } from '../support/storeAssertions';
import { startTestBot, storeUri, type TestBot } from '../support/botHarness';

interface DlActivity { id: string; type: string; replyToId?: string; text?: string; from: { id: string; role?: string }; channelData?: { clientActivityID?: string }; attachments?: { contentType: string; content: { body?: unknown[] } }[] }

/** The fields of Direct Line answers this client reads. */
interface DlAnswer { token: string; conversationId: string; watermark: string; activities: DlActivity[] }

class DirectLineClient {
  watermark = '0';
  token = '';
  conversationId = '';
  constructor(private readonly base: string, private readonly userId: string) {}

  async start(): Promise<void> {
    const generated = await this.call('POST', '/tokens/generate', { user: { id: this.userId } }, false);
    this.token = generated.token;
    const started = await this.call('POST', '/conversations');
    this.conversationId = started.conversationId;
  }

  async poll(): Promise<DlActivity[]> {
    const page = await this.call('GET', `/conversations/${encodeURIComponent(this.conversationId)}/activities?watermark=${this.watermark}`);
    this.watermark = page.watermark;
    return page.activities;
  }

  post(activity: Record<string, unknown>) {
    return this.call('POST', `/conversations/${encodeURIComponent(this.conversationId)}/activities`, { from: { id: this.userId }, ...activity });
  }

  async call(method: string, path: string, body?: unknown, auth = true): Promise<DlAnswer> {
    const response = await fetch(`${this.base}/v3/directline${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
    return (await response.json()) as DlAnswer;
  }
}

function helpCommands(activity: DlActivity | undefined): string[] {
  const body = (activity?.attachments?.[0]?.content.body ?? []) as { selectAction?: { data?: { command?: string } } }[];
  return body.flatMap((b) => (b.selectAction?.data?.command ? [b.selectAction.data.command] : []));
}

describe('the local browser chat', () => {
  let store: TestStore;
  let bot: TestBot;
  before(async () => {
    store = await openTestStore();
    bot = await startTestBot({ mongoUri: storeUri(store.uri), env: { DEMO_SEED: 'true' } });
  });
  after(async () => { await bot?.stop(); await store?.close(); });

  it('serves the page with the personas and Web Chat from node_modules', async () => {
    const page = await fetch(`${bot.url}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    for (const name of ['Emma Employee', 'Oliver Outsider', 'Priya PPC', 'Gabriel Global-Admin']) assert.ok(html.includes(name), name);
    assert.match(html, /<script src="\/webchat\/webchat.js"><\/script>/);
    const bundle = await fetch(`${bot.url}/webchat/webchat.js`);
    assert.equal(bundle.status, 200);
    assert.ok((await bundle.arrayBuffer()).byteLength > 1_000_000);
  });

  it('greets a persona on first start, answers messages, and echoes the client activity id', async () => {
    const emma = new DirectLineClient(bot.url, '29:emma');
    await emma.start();
    const welcome = await emma.poll();
    assert.match(JSON.stringify(welcome), /Start with \*\*associate\*\*/);
    await emma.post({ type: 'message', text: 'profile', channelData: { clientActivityID: 'client-1' } });
    const replies = await emma.poll();
    const own = replies.find((a) => a.channelData?.clientActivityID === 'client-1');
    assert.equal(own?.from.role, 'user');
    assert.ok(replies.some((a) => a.from.role === 'bot' && /Your profile:/.test(a.text ?? '')));
  });

  it('each persona is the Teams user of the demo tenant with its role: the PPC sees approvals', async () => {
    const priya = new DirectLineClient(bot.url, '29:priya');
    await priya.start();
    assert.ok(helpCommands((await priya.poll())[0]).includes('approvals'));
    const oliver = new DirectLineClient(bot.url, '29:oliver');
    await oliver.start();
    assert.equal(helpCommands((await oliver.poll())[0]).includes('approvals'), false);
  });

  it('an Action.Execute click reaches the bot as an invoke, and its message is shown', async () => {
    const gabriel = new DirectLineClient(bot.url, '29:gabriel');
    await gabriel.start();
    const [card] = await gabriel.poll();
    await gabriel.post({ type: 'message', value: { __execute: { verb: 'command.run', data: { command: 'profile' }, activityId: card.id } }, channelData: { clientActivityID: 'click-1', postBack: true } });
    const after = await gabriel.poll();
    assert.ok(after.some((a) => a.text === 'Running profile.'));
    assert.ok(after.some((a) => /What would you like to change\?/.test(JSON.stringify(a))));
    // Web Chat holds back a reply to an activity it never saw: the invoke's replies must not point at it.
    const known = new Set([card.id, ...after.map((a) => a.id)]);
    for (const a of after) assert.ok(!a.replyToId || known.has(a.replyToId), `${a.id} replies to unseen ${a.replyToId}`);
  });

  it('a proactive message to one persona appears in that persona\'s chat (what a second tab sees)', async () => {
    const oliver = new DirectLineClient(bot.url, '29:oliver');
    await oliver.start();
    await oliver.poll();
    const reference = await personalConversationOf(bot.running.db, DEMO_TENANT_ID, PERSONAS[1].aadObjectId);
    assert.ok(reference);
    await bot.running.outbox.enqueue({ key: 'demo:hello-oliver', target: { tenantId: DEMO_TENANT_ID, reference }, activity: { type: 'message', text: 'Priya approved your request.' } });
    let seen: DlActivity[] = [];
    await pollUntil(async () => { seen = seen.concat(await oliver.poll()); return seen.some((a) => a.text === 'Priya approved your request.'); }, { what: 'the proactive message in the chat' });
  });

  it('member lookups answer with the persona\'s e-mail and UPN, as Teams does', async () => {
    const connector = bot.running.connector!;
    const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: connector.serviceUrl });
    const member = await client.conversations.getConversationMember('a:personal-29:oliver', '29:oliver') as unknown as Record<string, string>;
    assert.equal(member.email, 'oliver@fabrikam.example');
    assert.equal(member.userPrincipalName, 'oliver@fabrikam.example');
    assert.equal(member.aadObjectId, 'a0000000-0000-4000-8000-000000000002');
  });

  it('refuses a missing or unknown token, and an unknown persona', async () => {
    const response = await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
    assert.equal(response.status, 403);
    const unknown = await fetch(`${bot.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { id: '29:mallory' } }) });
    assert.equal(unknown.status, 400);
  });
});
