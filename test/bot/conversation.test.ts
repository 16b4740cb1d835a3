// End to end over HTTP: Teams users talk to the real bot through the local connector.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import { collections } from '../../services/db/collections';
import { openTestStore, type TestStore } from '../support/store';
import { adaptiveCards, newAccount, startTestBot, storeUri, TeamsUser, textOf, type TestBot } from '../support/botHarness';

const TENANT = '11111111-aaaa-4000-8000-000000000001';

function helpCommandsIn(card: Record<string, unknown>): string[] {
  const body = card.body as { selectAction?: { data?: { command?: string } } }[];
  return body.flatMap((item) => (item.selectAction?.data?.command ? [item.selectAction.data.command] : []));
}

describe('talking to the bot over HTTP', () => {
  let store: TestStore;
  let uri: string;
  let bot: TestBot;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    store = await openTestStore();
    uri = storeUri(store.uri);
    client = await MongoClient.connect(uri);
    db = client.db();
    bot = await startTestBot({ mongoUri: uri });
    await db.collection(collections.organisations).insertOne({ _id: '7654321' as never, tenantId: TENANT, legalName: 'Contoso', ppcAadObjectId: 'ppc-oid' });
  });
  after(async () => {
    await bot?.stop();
    await client?.close();
    await store?.close();
  });

  const connector = () => bot.running.connector!;
  function user(name: string, aadObjectId?: string): TeamsUser {
    const account = newAccount(connector(), TENANT, name);
    if (aadObjectId) account.aadObjectId = aadObjectId;
    return new TeamsUser(bot.url, connector(), account);
  }
  async function member(name: string, roles: string[]): Promise<TeamsUser> {
    const u = user(name);
    await db.collection(collections.members).insertOne({ tenantId: TENANT, aadObjectId: u.account.aadObjectId, roles, status: 'associated' });
    return u;
  }

  describe('help', () => {
    it('an employee sees only the commands anyone may use', async () => {
      const replies = await user('Emma').say('help');
      const [card] = adaptiveCards(replies);
      assert.deepEqual(helpCommandsIn(card), ['help', 'associate', 'status', 'profile', 'mcid', 'admins', 'join', 'register', 'request', 'who', 'link', 'unlink']);
    });

    it('the PPC also sees approvals and invitations', async () => {
      const replies = await user('Priya', 'ppc-oid').say('help');
      assert.deepEqual(helpCommandsIn(adaptiveCards(replies)[0]), ['help', 'associate', 'status', 'profile', 'mcid', 'admins', 'approvals', 'invite', 'join', 'domains', 'register', 'invitations', 'transfer', 'request', 'who', 'link', 'unlink']);
    });

    it('a global admin sees approvals, user management and competencies', async () => {
      const admin = await member('Gabriel', ['globalAdmin']);
      const replies = await admin.say('help');
      assert.deepEqual(helpCommandsIn(adaptiveCards(replies)[0]), ['help', 'associate', 'status', 'profile', 'mcid', 'admins', 'approvals', 'invite', 'users', 'competencies', 'join', 'domains', 'register', 'audit', 'invitations', 'add', 'remove', 'transfer', 'request', 'who', 'link', 'unlink']);
    });

    it('a role granted in another tenant grants nothing here', async () => {
      const emma = user('Emma');
      await db.collection(collections.members).insertOne({ tenantId: 'other-tenant', aadObjectId: emma.account.aadObjectId, roles: ['globalAdmin'], status: 'associated' });
      const replies = await emma.say('approvals');
      assert.match(textOf(replies[0]), /Only the Primary Program Contact \(PPC\) or a global admin can use \*\*approvals\*\*/);
    });

    it('a mention of the bot in a message is ignored when reading the command', async () => {
      const replies = await user('Emma').say('<at>MPN Association</at> help');
      assert.equal(adaptiveCards(replies).length, 1);
    });
  });

  describe('unknown text', () => {
    it('gets a helpful answer with the help card', async () => {
      const replies = await user('Emma').say('what is the weather');
      assert.match(textOf(replies[0]) + JSON.stringify(adaptiveCards(replies)), /I don't know \\"what is the weather\\"/);
      assert.ok(helpCommandsIn(adaptiveCards(replies)[0]).includes('associate'));
    });

    it('a typo of a command suggests it', async () => {
      const replies = await user('Emma').say('stauts');
      assert.match(JSON.stringify(adaptiveCards(replies)), /Did you mean \*\*status\*\*\?/);
    });
  });

  describe('commands a user may not use', () => {
    it('are refused with who may use them, and nothing runs', async () => {
      const replies = await user('Emma').say('competencies');
      assert.equal(replies.length, 1);
      assert.match(textOf(replies[0]), /Only a global admin or an MPN partner admin can use \*\*competencies\*\*/);
    });
  });

  describe('a guided conversation (profile)', () => {
    it('changes the phone number after a bad value is explained', async () => {
      const emma = user('Emma');
      const first = await emma.say('profile');
      assert.match(first.map(textOf).join('\n'), /Your profile:[\s\S]*Phone: \(not set\)[\s\S]*What would you like to change\?[\s\S]*\[Phone\]/);
      assert.match(textOf((await emma.say('Phone'))[0]), /work phone number/);
      assert.match(textOf((await emma.say('call me maybe'))[0]), /A phone number may contain digits, spaces/);
      assert.match(textOf((await emma.say('+44 20 7946 0000'))[0]), /Saved\. Your phone number is now \+44 20 7946 0000\./);
      const stored = await db.collection(collections.userProfiles).findOne({ _id: `${TENANT}:${emma.account.aadObjectId}` as never });
      assert.equal(stored?.phone, '+44 20 7946 0000');
    });

    it('cancel stops it and nothing is stored', async () => {
      const emma = user('Emma');
      await emma.say('profile');
      await emma.say('Name');
      assert.match(textOf((await emma.say('cancel'))[0]), /Okay, I stopped that\. Nothing was changed\./);
      // The next message is read as a command again, not as the name the dialog asked for.
      assert.match(JSON.stringify(adaptiveCards(await emma.say('Bob'))), /I don't know/);
      assert.equal(await db.collection(collections.userProfiles).countDocuments({ aadObjectId: emma.account.aadObjectId }), 0);
    });

    it('help in the middle shows help and asks the question again', async () => {
      const emma = user('Emma');
      await emma.say('profile');
      const replies = await emma.say('help');
      assert.match(JSON.stringify(adaptiveCards(replies)), /You are in the middle of a conversation/);
      assert.match(replies.map(textOf).join('\n'), /What would you like to change\?/);
    });

    it('two people in a group chat each keep their own conversation', async () => {
      const a = newAccount(connector(), TENANT, 'Ann');
      const b = newAccount(connector(), TENANT, 'Ben');
      const chat = connector().conversation('19:group@thread.v2', 'groupChat', TENANT, [a, b]);
      const ann = new TeamsUser(bot.url, connector(), a, chat);
      const ben = new TeamsUser(bot.url, connector(), b, chat);
      // profile is personal-only: in a group chat it is not a command here.
      assert.match(JSON.stringify(adaptiveCards(await ann.say('profile'))), /I don't know/);
      assert.equal(helpCommandsIn(adaptiveCards(await ben.say('help'))[0]).includes('profile'), false);
    });
  });

  describe('card actions', () => {
    it('Action.Execute on a help-card command runs it and answers with a message', async () => {
      const emma = user('Emma');
      const result = await emma.execute('command.run', { command: 'profile' });
      assert.equal(result.status, 200);
      assert.deepEqual(result.body, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Running profile.' });
      assert.match(result.replies.map(textOf).join('\n'), /What would you like to change\?/);
    });

    it('Action.Submit with the same data reaches the same action', async () => {
      const emma = user('Emma');
      const result = await emma.submit({ verb: 'command.run', command: 'profile' });
      assert.equal(result.status, 200);
      assert.match(result.replies.map(textOf).join('\n'), /What would you like to change\?/);
    });

    it('an unknown verb or bad data is refused with a clear message and runs nothing', async () => {
      const emma = user('Emma');
      const unknown = await emma.execute('association.hack', {});
      // botbuilder answers an invoke with the HTTP status of its response body.
      assert.equal(unknown.status, 400);
      assert.deepEqual((unknown.body as { statusCode: number }).statusCode, 400);
      assert.match(JSON.stringify(unknown.body), /isn't something I know how to handle/);
      const bad = await emma.execute('command.run', { command: { $ne: 'x' } });
      assert.equal((bad.body as { type: string }).type, 'application/vnd.microsoft.error');
      assert.match(JSON.stringify(bad.body), /\(command\)/);
      assert.equal(bad.replies.length, 0);
      const forbidden = await emma.execute('command.run', { command: 'users' });
      assert.match(forbidden.replies.map(textOf).join('\n'), /Only a global admin, an account admin or a user management admin/);
    });
  });

  describe('activities that are not from a signed-in Teams user', () => {
    it('get a plain answer and touch no data', async () => {
      const emma = user('Emma');
      const before = await db.collection(collections.conversationRefs).countDocuments();
      const result = await emma.send({ type: 'message', text: 'help', from: { id: '29:x', name: 'no aad' }, channelData: {} });
      assert.equal(result.status, 200);
      assert.match(textOf(result.replies[0]), /signed in to Microsoft Teams with a work account/);
      assert.equal(await db.collection(collections.conversationRefs).countDocuments(), before);
    });

    it('a body that is not an activity gets 400 with what was expected', async () => {
      const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /a JSON object with a string \\"type\\"/);
    });

    it('a multipart upload is refused without writing any file to disk', async () => {
      const before = new Set((await readdir(tmpdir())).filter((f) => f.startsWith('upload_')));
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(300 * 1024, 'a')]), 'big.bin');
      const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', body: form });
      assert.equal(response.status, 400);
      const after = (await readdir(tmpdir())).filter((f) => f.startsWith('upload_') && !before.has(f));
      assert.deepEqual(after, [], 'no temporary upload file was written');
    });
  });

  describe('conversation references', () => {
    it('are stored per user on every message, and marked inactive when the app is removed', async () => {
      const emma = user('Emma');
      await emma.say('help');
      const ref = await db.collection(collections.conversationRefs).findOne({ _id: `personal:${TENANT}:${emma.account.aadObjectId}` as never });
      assert.equal(ref?.reference.conversation.id, emma.conversation.id);
      assert.equal(ref?.reference.serviceUrl, connector().serviceUrl);
      assert.equal(ref?.active, true);
      // The same reference on the next message is not written again.
      await emma.say('help');
      assert.deepEqual((await db.collection(collections.conversationRefs).findOne({ _id: ref!._id }))?.updatedAt, ref?.updatedAt);
      await emma.send({ type: 'installationUpdate', action: 'remove' } as never);
      const after = await db.collection(collections.conversationRefs).findOne({ _id: ref!._id });
      assert.equal(after?.active, false);
      // Back after removal: the next message makes the chat reachable again.
      await emma.say('help');
      assert.equal((await db.collection(collections.conversationRefs).findOne({ _id: ref!._id }))?.active, true);
    });
  });

  describe('health', () => {
    it('answers 200 with the store kind', async () => {
      const response = await fetch(`${bot.url}/healthz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok', store: 'external' });
    });
  });
});
