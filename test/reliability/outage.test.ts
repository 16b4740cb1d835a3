// Database outage (issue 7): the store runs in a process of its own with a data folder, and is
// killed while users are in the middle of things. Users get a clear "temporarily unavailable,
// nothing you entered is lost" answer in their language (a card click too), /healthz says 503,
// the bot process stays up; once the store is back on the same port and folder the bot answers
// again without a restart, and the interrupted dialog goes on from the step it was at.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { LocalConnector } from '../../bot/local/connector';
import { collections } from '../../services/db/collections';
import { newAccount, startStandaloneConnector, storeUri } from '../support/botHarness';
import { startBotProcess, type BotProcess } from '../support/botProcess';
import { texts } from '../support/orgFixture';
import { pollUntil } from '../support/storeAssertions';
import { startStoreProcess, type StoreProcess } from '../support/storeProcess';
import { ORG_NAME, PARTNER_ID, PRE_APPROVED, seedOrganisation, submitForm, TENANT, userAt } from './fixture';

describe('the store going away while users chat', function () {
  this.timeout(60_000);
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  let dataDir: string;
  let store: StoreProcess | undefined;
  let bot: BotProcess | undefined;
  let client: MongoClient | undefined;

  before(async () => {
    standalone = await startStandaloneConnector();
    dataDir = await mkdtemp(join(tmpdir(), 'mpn-outage-'));
  });
  after(async () => {
    await client?.close().catch(() => undefined);
    await bot?.kill9();
    await store?.kill9();
    await standalone?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const health = async (url: string) => (await fetch(`${url}/healthz`)).status;

  it('answers "temporarily unavailable", reports 503, stays up, and carries on once the store is back', async () => {
    const connector = standalone.connector;
    store = await startStoreProcess(join(dataDir, 'db'));
    const port = Number(new URL(store.uri).port);
    const uri = storeUri(store.uri, 'outage');
    bot = await startBotProcess({ MONGODB_URI: uri });
    client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
    const { ppc } = await seedOrganisation(client.db(), connector);
    await client.close();
    const ola = newAccount(connector, TENANT, 'Ola Newcomer', `ola@${PRE_APPROVED}`);
    const lea = newAccount(connector, TENANT, 'Léa Dupont', `lea@${PRE_APPROVED}`);
    const ola1 = userAt(bot.url, connector, ola);
    await ola1.say('associate');
    assert.match(texts(await ola1.say(PARTNER_ID)), /association\.profile/); // half-way: the profile form is out
    assert.equal(await health(bot.url), 200);

    await store.kill9();

    const started = Date.now();
    const answered = await submitForm(ola1, { displayName: 'Ola N. Newcomer' });
    const waited = Date.now() - started;
    assert.equal(answered.status, 200);
    assert.match(texts(answered.replies), /temporarily unavailable[\s\S]*Nothing you entered is lost/, `the bot logged: ${bot.stderr().slice(-3000)}`);
    assert.doesNotMatch(texts(answered.replies), /Error|Mongo|at .*\.ts/, 'no technical detail reaches the user');
    assert.ok(waited < 10_000, `the answer came after ${waited} ms`);
    // In the user's language (the Teams locale here), and for a card click as the invoke's message.
    const french = await userAt(bot.url, connector, lea).send({ type: 'message', text: 'status', locale: 'fr-FR' });
    assert.match(texts(french.replies), /momentanément indisponible[\s\S]*Rien de ce que vous avez saisi n'est perdu/);
    const click = await userAt(bot.url, connector, ppc).execute('association.approve', { requestId: randomUUID() });
    assert.equal(click.status, 200);
    assert.match(JSON.stringify(click.body), /temporarily unavailable/);
    assert.equal(await health(bot.url), 503);
    assert.equal(bot.child.exitCode, null, 'the bot process is still running');

    store = await startStoreProcess(join(dataDir, 'db'), { port });
    // The same process, no restart: it reconnects by itself.
    await pollUntil(async () => (await health(bot!.url)) === 200, { timeoutMs: 20_000, intervalMs: 250, what: '/healthz back to 200' });
    const confirm = await submitForm(userAt(bot.url, connector, ola), { displayName: 'Ola N. Newcomer' });
    assert.match(texts(confirm.replies), new RegExp(`${ORG_NAME}[\\s\\S]*Ola N\\. Newcomer[\\s\\S]*Send the request\\?`), 'the dialog goes on at the step it was at');
    assert.match(texts(await userAt(bot.url, connector, ola).say('Yes')), /has been accepted/);
    client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
    const request = await client.db().collection(collections.associationRequests).findOne({ 'requester.aadObjectId': ola.aadObjectId });
    assert.equal(request?.requester.displayName, 'Ola N. Newcomer');
    assert.equal(request?.status, 'accepted');
    assert.equal(bot.child.exitCode, null, 'never restarted');
    assert.doesNotMatch(bot.stderr(), /"level":60|uncaught|unhandled/i, 'nothing fatal was logged');
  });
});
