// Registering an organisation: only a global administrator of the tenant (asked of Microsoft
// Graph, here the fake Graph server through the real graph-client) may do it.
import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { createDirectory } from '../../services/directory';
import { openTestStore, type TestStore } from '../support/store';
import { newAccount, startTestBot, storeUri, TeamsUser, type TestBot } from '../support/botHarness';
import { startFakeGraph, type FakeGraph } from '../support/fakeGraph';
import { texts } from '../support/orgFixture';

const TENANT = '88888888-bbbb-4000-8000-000000000008';

describe('registering an organisation', () => {
  let store: TestStore;
  let graph: FakeGraph;
  let bot: TestBot;
  let client: MongoClient;
  let db: Db;
  before(async () => {
    store = await openTestStore();
    graph = await startFakeGraph();
    graph.addTenant(TENANT);
    const uri = storeUri(store.uri);
    bot = await startTestBot({ mongoUri: uri, directory: createDirectory(graph.directoryOptions()) });
    client = await MongoClient.connect(uri);
    db = client.db();
  });
  after(async () => { await bot?.stop(); await client?.close(); await graph?.close(); await store?.close(); });

  function user(name: string, email: string, globalAdmin: boolean): TeamsUser {
    const account = newAccount(bot.running.connector!, TENANT, name, email);
    const fake = graph.addUser(TENANT, { id: account.aadObjectId, displayName: name, mail: email, userPrincipalName: email });
    if (globalAdmin) graph.addGlobalAdmin(TENANT, fake);
    return new TeamsUser(bot.url, bot.running.connector!, account);
  }

  const form = { form: 'organisation.register', partnerId: '4242424', legalName: 'Northwind Traders', country: 'gb', address: '12 High Street, Leeds', domains: 'northwind.example; Northwind-Mail.example' };

  it('a tenant global administrator registers and becomes the PPC and a global admin member', async () => {
    const ada = user('Ada Admin', 'ada@northwind.example', true);
    assert.match(texts(await ada.say('register')), /organisation\.register/);
    const done = await ada.submit(form);
    assert.match(texts(done.replies), /Northwind Traders\*\* \(Partner ID 4242424\) is registered, and you are its Primary Program Contact/);
    const org = await db.collection(collections.organisations).findOne({ _id: '4242424' as never });
    assert.equal(org?.ppcAadObjectId, ada.account.aadObjectId);
    assert.equal(org?.country, 'GB');
    assert.deepEqual(org?.preApprovedDomains, ['northwind.example', 'northwind-mail.example']);
    const member = await db.collection(collections.members).findOne({ aadObjectId: ada.account.aadObjectId });
    assert.deepEqual(member?.roles, ['globalAdmin']);
    assert.ok(graph.graphRequests().some((r) => r.path.includes('directoryRoles')), 'asked Graph who the global administrators are');
  });

  it('anyone else is refused, and nothing is stored', async () => {
    const bo = user('Bo Employee', 'bo@northwind.example', false);
    await bo.say('register');
    const refused = await bo.submit({ ...form, partnerId: '5353535' });
    assert.match(texts(refused.replies), /Only a global administrator of your organisation's Microsoft Entra tenant can register it/);
    assert.equal(await db.collection(collections.organisations).countDocuments({ _id: '5353535' as never }), 0);
  });

  it('a Partner ID that is taken, or a bad field, is refused with the reason', async () => {
    const cy = user('Cy Admin', 'cy@northwind.example', true);
    await cy.say('register');
    const bad = await cy.submit({ ...form, partnerId: '12ab', legalName: { $ne: 1 } });
    assert.match(texts(bad.replies), /A Partner ID is 4 to 10 digits/);
    const gmail = await cy.submit({ ...form, domains: 'gmail.com' });
    assert.match(texts(gmail.replies), /gmail\.com is a public mail provider/);
    await cy.say('register');
    const taken = await cy.submit(form);
    assert.match(texts(taken.replies), /Partner ID 4242424 is already registered/);
  });
});
