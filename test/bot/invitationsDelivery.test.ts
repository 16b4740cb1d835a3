// Invitations delivered to the invitees (issue 4 §4), end to end: the bot in Teams mode (app id,
// real token checks) over HTTP, Microsoft Graph through the real graph-client against the fake
// Graph server, proactive messages through the outbox and the notifier to the connector.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import { MongoClient, type Db } from 'mongodb';
import type { LocalConnector, LocalConversation } from '../../bot/local/connector';
import { createLogger } from '../../bot/logger';
import { collections } from '../../services/db/collections';
import { createDirectory, type Directory } from '../../services/directory';
import { deliverInvitations, type Invitee } from '../../services/invitations/delivery';
import { invite } from '../../services/invitations/invitations';
import { adaptiveCards, newAccount, startStandaloneConnector, startTestBot, storeUri, TeamsUser, textOf, type TestBot } from '../support/botHarness';
import { LocalOutboundCredentials, startFakeBotFrameworkAuth, type FakeBotFrameworkAuth } from '../support/fakeBotFrameworkAuth';
import { startFakeGraph, type FakeGraph } from '../support/fakeGraph';
import { startOrgFixture, texts, type OrgFixture } from '../support/orgFixture';
import { openTestStore, type TestStore } from '../support/store';
import { pollUntil } from '../support/storeAssertions';

const APP_ID = '5b0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4';
const TENANT = '99999999-cccc-4000-8000-000000000009';
const PARTNER_ID = '9090909';
const SENDER = 'mpn-bot@fabrikam.example';
const FAST = { OUTBOX_POLL_MS: '50', OUTBOX_PER_CONVERSATION_PER_SECOND: '50', OUTBOX_GLOBAL_PER_SECOND: '500' };

const codeIn = (text: string) => /join ([A-Z0-9]{10})/.exec(text)?.[1] ?? '';
/** The invitation cards (with a Join button) posted in a conversation. */
const cardsIn = (conversation: LocalConversation) => adaptiveCards(conversation.activities).filter((c) => JSON.stringify(c).includes('"invitation.join"'));

interface Colleague { account: ReturnType<typeof newAccount>; chat: TeamsUser; graphId?: string }

/** The real Graph directory, counted at its edge: the most calls in flight at once. */
class CountingDirectory implements Directory {
  inFlight = 0;
  most = 0;
  constructor(private readonly real: Directory) {}
  get available() { return this.real.available; }
  private async count<T>(call: () => Promise<T>): Promise<T> {
    this.most = Math.max(this.most, ++this.inFlight);
    try { return await call(); } finally { this.inFlight--; }
  }
  findUserByEmail: Directory['findUserByEmail'] = (t, e) => this.count(() => this.real.findUserByEmail(t, e));
  getUser: Directory['getUser'] = (t, u) => this.count(() => this.real.getUser(t, u));
  listGlobalAdmins: Directory['listGlobalAdmins'] = (t) => this.count(() => this.real.listGlobalAdmins(t));
  createUser: Directory['createUser'] = (t, u) => this.count(() => this.real.createUser(t, u));
  sendMail: Directory['sendMail'] = (t, m) => this.count(() => this.real.sendMail(t, m));
  installAppForUser: Directory['installAppForUser'] = (t, u) => this.count(() => this.real.installAppForUser(t, u));
  findBotChat: Directory['findBotChat'] = (t, u) => this.count(() => this.real.findBotChat(t, u));
}

describe('invitations delivered to the invitees', () => {
  let store: TestStore;
  let auth: FakeBotFrameworkAuth;
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  let graph: FakeGraph;
  let bot: TestBot;
  let client: MongoClient;
  let db: Db;
  let ppc: TeamsUser;
  const graphLogs: string[] = [];
  /** Every invitation code handed out, to check none reached a log. */
  const codes: string[] = [];

  const teamsUser = (account: ReturnType<typeof newAccount>, conversation?: LocalConversation) =>
    new TeamsUser(bot.url, standalone.connector, account, conversation, () => auth.token({ aud: APP_ID, serviceUrl: standalone.connector.serviceUrl }));

  /**
   * A colleague of the tenant. In the directory: Graph knows them, and the 1:1 chat Teams creates
   * when the app is installed for them exists at the connector (under the fake Graph's chat id).
   */
  function colleague(name: string, email: string, opts: { inDirectory?: boolean } = {}): Colleague {
    const account = newAccount(standalone.connector, TENANT, name, email);
    if (!opts.inDirectory) return { account, chat: teamsUser(account) };
    const user = graph.addUser(TENANT, { id: account.aadObjectId, displayName: name, mail: email, userPrincipalName: email });
    const chat = standalone.connector.conversation(`19:${user.id}_${graph.clientId}@unq.gbl.spaces`, 'personal', TENANT, [account]);
    return { account, chat: teamsUser(account, chat), graphId: user.id };
  }

  const summaries = () => ppc.conversation.activities.filter((a) => /delivery finished|l'envoi est terminé/.test(a.text ?? '')).map((a) => a.text ?? '');

  /** Sends `invite …` as the PPC; resolves with the turn's reply, the code and the summary posted afterwards. */
  async function inviteAndWait(send: () => Promise<Activity[]>): Promise<{ reply: string; code: string; summary: string }> {
    const before = summaries().length;
    const reply = texts(await send());
    const code = codeIn(reply);
    assert.ok(code, reply);
    codes.push(code);
    await pollUntil(async () => summaries().length > before, { timeoutMs: 15_000, what: 'the delivery summary' });
    return { reply, code, summary: summaries()[before] };
  }

  const inviteByCard = (data: Record<string, unknown>) => async () => {
    const result = await ppc.execute('invite.send', data);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return [{ type: 'message', text: String((result.body as { value?: unknown }).value) } as Activity];
  };

  const sentTo = (email: string) => graph.tenant(TENANT).sentMail.filter((m) => m.to.includes(email));
  const installsFor = (graphId: string) => graph.graphRequests().filter((r) => r.method === 'POST' && r.path === `/users/${graphId}/teamwork/installedApps`);

  before(async () => {
    store = await openTestStore();
    auth = await startFakeBotFrameworkAuth();
    standalone = await startStandaloneConnector();
    graph = await startFakeGraph();
    graph.addTenant(TENANT);
    graph.addUser(TENANT, { userPrincipalName: SENDER, displayName: 'MPN bot mailbox' });
    const uri = storeUri(store.uri);
    const sink = new Writable({ write(chunk, _enc, done) { graphLogs.push(String(chunk)); done(); } });
    const directory: Directory = createDirectory(graph.directoryOptions({ senderMailbox: SENDER, logger: createLogger('debug', sink) }));
    bot = await startTestBot({
      mongoUri: uri,
      env: {
        MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'unused-app-password', REPORT_LINK_SECRET: 'invitations-test-report-link-secret-0123456789',
        BotOpenIdMetadata: auth.metadataUrl, HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...FAST,
      },
      credentialsFactory: new LocalOutboundCredentials(APP_ID, 'unused'),
      directory,
    });
    client = await MongoClient.connect(uri);
    db = client.db();
    const ppcAccount = newAccount(standalone.connector, TENANT, 'Priya PPC', 'priya@fabrikam.example');
    ppc = teamsUser(ppcAccount);
    await db.collection(collections.organisations).insertOne({
      _id: PARTNER_ID as never, partnerId: PARTNER_ID, legalName: 'Fabrikam Partner Société', searchName: 'fabrikam partner societe', country: 'FR',
      address: '1 rue de la Paix, Paris', tenantId: TENANT, preApprovedDomains: ['fabrikam.example'], ppcAadObjectId: ppcAccount.aadObjectId, createdAt: new Date(),
    });
    await db.collection(collections.members).insertOne({
      _id: `${TENANT}:${ppcAccount.aadObjectId}` as never, tenantId: TENANT, orgId: PARTNER_ID, aadObjectId: ppcAccount.aadObjectId,
      email: ppcAccount.email, displayName: ppcAccount.name, roles: [], contactTypes: [], status: 'associated', associatedAt: new Date(),
    });
    await ppc.say('help'); // the PPC has opened the bot: the summary can reach them
  });
  after(async () => {
    await bot?.stop();
    await client?.close();
    await graph?.close();
    await standalone?.close();
    await auth?.close();
    await store?.close();
  });

  it('an invitee in the directory who never opened the bot gets a Teams message (the app installed through Graph) and joins from it', async () => {
    const ana = colleague('Ana Invitee', 'ana@other.example', { inDirectory: true });
    const { reply, code, summary } = await inviteAndWait(() => ppc.say('invite ana@other.example'));
    assert.match(reply, /Invited 1 to Fabrikam Partner Société/);
    assert.match(reply, /in Teams to colleagues in your directory, by e-mail to the others/);
    assert.equal(installsFor(ana.graphId!).length, 1, 'the app was installed for her through Graph');

    await pollUntil(async () => cardsIn(ana.chat.conversation).length > 0, { what: 'the invitation in her chat' });
    const card = JSON.stringify(cardsIn(ana.chat.conversation)[0]);
    assert.match(card, /Join Fabrikam Partner Société on the Microsoft Partner Network/);
    assert.match(card, /Priya PPC invited you/);
    assert.match(card, new RegExp(`join ${code}`));
    assert.equal(sentTo('ana@other.example').length, 0, 'no e-mail for someone reached in Teams');
    assert.match(summary, /Messaged in Teams: 1\./);
    assert.match(summary, /E-mailed: 0\./);
    assert.match(summary, new RegExp(`users=28:${APP_ID}&message=join%20${code}`), 'the summary repeats the link');

    // The card's Join button runs `join CODE` for her, in that chat; the association follows.
    const joined = await ana.chat.execute('invitation.join', { code });
    assert.equal(joined.status, 200);
    assert.match(texts(joined.replies), /association\.profile/);
    const confirm = await ana.chat.submit({ form: 'association.profile', displayName: 'Ana Invitee', email: 'ana@other.example', phone: '', language: 'en', mcid: '' });
    assert.match(texts(confirm.replies), /Send the request\?/);
    assert.match(texts(await ana.chat.say('Yes')), /has been accepted/);
    const invitation = await db.collection(collections.invitations).findOne({ email: 'ana@other.example' });
    assert.equal(invitation?.status, 'used');
    assert.equal(invitation?.delivery?.state, 'teams');
  });

  it('an invitee not in the directory gets an e-mail with the link and the code; so does one Teams cannot reach', async () => {
    const ben = colleague('Ben Outside', 'ben@other.example');
    const cleo = colleague('Cleo Blocked', 'cleo@other.example', { inDirectory: true });
    graph.failNext(`/users/${cleo.graphId}/teamwork/installedApps`, { status: 403, method: 'POST', code: 'Forbidden', message: 'Missing permission' });
    const { code, summary } = await inviteAndWait(() => ppc.say('invite ben@other.example; cleo@other.example'));

    for (const email of ['ben@other.example', 'cleo@other.example']) {
      const mails = sentTo(email);
      assert.equal(mails.length, 1, email);
      const [mail] = mails;
      assert.equal(mail.sender, SENDER);
      assert.equal(mail.subject, 'Priya PPC invited you to join Fabrikam Partner Société on the Microsoft Partner Network');
      assert.ok(mail.content.includes(`https://teams.microsoft.com/l/chat/0/0?users=28:${APP_ID}&message=join%20${code}`), mail.content);
      assert.ok(mail.content.includes(`Your invitation code: ${code}`), mail.content);
      assert.ok(mail.content.includes(`Join with this work e-mail: ${email}.`), mail.content);
    }
    assert.equal(cardsIn(cleo.chat.conversation).length, 0, 'no Teams message where the install was refused');
    assert.match(summary, /Messaged in Teams: 0\./);
    assert.match(summary, /E-mailed: 2\./);
    assert.doesNotMatch(summary, /Could not reach/);
    // Ben joins with the code from his mail.
    const joined = await ben.chat.say(`join ${code}`);
    assert.match(texts(joined), /association\.profile/);
  });

  it('with both options off nothing is sent, and the PPC is told to share the link; typed --no-teams only e-mails', async () => {
    const dan = colleague('Dan Quiet', 'dan@other.example', { inDirectory: true });
    const requestsBefore = graph.graphRequests().length;
    const mailsBefore = graph.tenant(TENANT).sentMail.length;
    const off = await ppc.execute('invite.send', { addresses: 'dan@other.example; eve@other.example', language: 'en', teams: 'false', email: 'false' });
    const offText = String((off.body as { value?: unknown }).value);
    assert.match(offText, /Invited 2/);
    assert.match(offText, /As you asked, I sent nothing: share the link with them yourself/);
    codes.push(codeIn(offText));

    // A later delivery finishes: anything the first one had started would have gone out by then.
    const fay = colleague('Fay Typed', 'fay@other.example', { inDirectory: true });
    const typed = await inviteAndWait(() => ppc.say('invite --no-teams fay@other.example'));
    assert.match(typed.reply, /I'm e-mailing the invitations now \(no Teams messages, as you asked\)/);
    assert.equal(sentTo('fay@other.example').length, 1, 'e-mailed, though she is in the directory');
    assert.equal(installsFor(fay.graphId!).length, 0);
    assert.doesNotMatch(typed.summary, /Messaged in Teams/);

    assert.equal(cardsIn(dan.chat.conversation).length, 0);
    assert.equal(sentTo('dan@other.example').length + sentTo('eve@other.example').length, 0);
    assert.equal(graph.tenant(TENANT).sentMail.length, mailsBefore + 1, 'only Fay\'s mail');
    const lookups = graph.graphRequests().slice(requestsBefore).filter((r) => r.path === '/users' && r.method === 'GET');
    assert.equal(lookups.length, 0, 'no directory lookups at all');
    const off2 = await db.collection(collections.invitations).find({ email: { $in: ['dan@other.example', 'eve@other.example'] } }).toArray();
    assert.deepEqual(off2.map((i) => i.delivery), [undefined, undefined]);
  });

  it('typed flags preset the form; options that are not toggles, and unknown flags, are refused by name and nothing is stored', async () => {
    const before = await db.collection(collections.invitations).countDocuments();
    const bad = await ppc.execute('invite.send', { addresses: 'gus@other.example', language: 'en', teams: { $gt: '' } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /That card sent something I can't accept \(teams\): true or false/);
    const form = JSON.stringify(adaptiveCards(await ppc.say('invite --no-email'))[0]);
    assert.match(form, /"id":"teams","title":"Message colleagues who are in our directory in Teams","value":"true"/);
    assert.match(form, /"id":"email","title":"E-mail the others","value":"false"/);
    const badFlag = texts(await ppc.say('invite gus@other.example --no-fax'));
    assert.match(badFlag, /I don't know the option --no-fax/);
    assert.equal(await db.collection(collections.invitations).countDocuments(), before);
  });

  it('Graph failing for one address is reported with that address; the others are still delivered', async () => {
    const hal = colleague('Hal Known', 'hal@fabrikam.example', { inDirectory: true });
    const ivy = colleague('Ivy Known', 'ivy@fabrikam.example', { inDirectory: true });
    await ivy.chat.say('help'); // Ivy opened the bot before: no install needed for her
    graph.failNext(`/users/${SENDER}/sendMail`, { status: 500, method: 'POST' });
    const { summary } = await inviteAndWait(() => ppc.say('invite hal@fabrikam.example; ivy@fabrikam.example; zed@nowhere.example'));
    assert.match(summary, /Messaged in Teams: 2\./);
    assert.match(summary, /E-mailed: 0\./);
    assert.match(summary, /Could not reach 1: zed@nowhere\.example \(the e-mail could not be sent\)\./);
    await pollUntil(async () => cardsIn(hal.chat.conversation).length === 1 && cardsIn(ivy.chat.conversation).length === 1, { what: 'both Teams messages' });
    assert.equal(installsFor(ivy.graphId!).length, 0);
    const zed = await db.collection(collections.invitations).findOne({ email: 'zed@nowhere.example' });
    assert.deepEqual([zed?.status, zed?.delivery?.state, zed?.delivery?.reason], ['open', 'none', 'mail-failed']);
  });

  it('a French invitation gives a French Teams message and a French e-mail', async () => {
    const lea = colleague('Léa Martin', 'lea@fabrikam.example', { inDirectory: true });
    const { code } = await inviteAndWait(inviteByCard({ addresses: 'lea@fabrikam.example; noe@other.example', language: 'fr', teams: 'true', email: 'true' }));
    await pollUntil(async () => cardsIn(lea.chat.conversation).length > 0, { what: 'the French invitation' });
    const card = cardsIn(lea.chat.conversation)[0];
    const cardText = JSON.stringify(card);
    assert.match(cardText, /Rejoignez Fabrikam Partner Société sur le Microsoft Partner Network/);
    assert.match(cardText, /Priya PPC vous invite/);
    assert.match(cardText, /"title":"Rejoindre"/);
    assert.match(cardText, /L'invitation expire le \d{1,2} [a-zéû]+\.? \d{4}/);
    const [mail] = sentTo('noe@other.example');
    assert.equal(mail.subject, 'Priya PPC vous invite à rejoindre Fabrikam Partner Société sur le Microsoft Partner Network');
    assert.ok(mail.content.includes(`Votre code d'invitation : ${code}`), mail.content);
    assert.ok(mail.content.includes(`message=join%20${code}`), mail.content);
  });

  it('no invitation code ever reaches a log line', () => {
    assert.ok(codes.length >= 5 && codes.every(Boolean));
    const logs = [...bot.logs, ...graphLogs].join('');
    assert.ok(logs.length > 0);
    for (const code of codes) assert.equal(logs.includes(code), false, `code ${code} in the logs`);
  });
});

describe('invitations when the bot has no Microsoft Graph access', () => {
  let fixture: OrgFixture;
  before(async () => { fixture = await startOrgFixture(); });
  after(async () => { await fixture?.close(); });

  it('says so in the summary and still gives the PPC the way to join', async () => {
    const reply = texts(await fixture.ppc.say('invite kim@other.example; lou@other.example'));
    const code = codeIn(reply);
    assert.ok(code, reply);
    const summary = () => fixture.ppc.conversation.activities.map((a) => textOf(a)).find((t) => /delivery finished/.test(t));
    await pollUntil(async () => summary() !== undefined, { timeoutMs: 10_000, what: 'the delivery summary' });
    const text = summary()!;
    assert.match(text, /Could not reach 2: kim@other\.example \(e-mail is not available\), lou@other\.example \(e-mail is not available\)\./);
    assert.match(text, /I couldn't look people up in your directory/);
    assert.match(text, /I couldn't send e-mail/);
    assert.match(text, new RegExp(`open a chat with me and type join ${code}`));
  });
});

describe('delivering a large batch', () => {
  let store: TestStore;
  let graph: FakeGraph;
  let client: MongoClient;
  let db: Db;
  before(async () => {
    store = await openTestStore();
    graph = await startFakeGraph();
    client = await MongoClient.connect(storeUri(store.uri));
    db = client.db();
  });
  after(async () => { await client?.close(); await graph?.close(); await store?.close(); });

  it('500 invitees: at most 8 Graph calls at a time, and a second run sends nothing twice', async function () {
    this.timeout(90_000); // 550 Graph calls over HTTP
    const tenantId = '12121212-dddd-4000-8000-000000000012';
    graph.addTenant(tenantId);
    graph.addUser(tenantId, { userPrincipalName: SENDER });
    const ppcId = 'a1a1a1a1-0000-4000-8000-000000000001';
    await db.collection(collections.organisations).insertOne({ _id: '5151515' as never, partnerId: '5151515', legalName: 'Big Org', tenantId, preApprovedDomains: [], ppcAadObjectId: ppcId, createdAt: new Date() });
    const addresses = Array.from({ length: 500 }, (_, i) => `p${i}@big.example`);
    for (const email of addresses.slice(0, 450)) graph.addUser(tenantId, { userPrincipalName: email });
    const result = await invite(db, { tenantId, aadObjectId: ppcId }, { addresses: addresses.join(';'), language: 'en' });
    assert.equal(result.invited.length, 500);

    const directory = new CountingDirectory(createDirectory(graph.directoryOptions({ senderMailbox: SENDER })));
    const messaged: Invitee[] = [];
    const channels = {
      directory,
      enqueueMessage: async (invitee: Invitee) => { messaged.push(invitee); return true; },
      mailFor: () => ({ subject: 'Invitation', body: 'Join us' }),
    };
    const batch = { tenantId, batchId: result.batchId!, code: result.code! };
    const report = await deliverInvitations(db, batch, { teams: true, email: true }, channels);
    assert.equal(report.messaged.length, 450);
    assert.equal(report.emailed.length, 50);
    assert.equal(graph.tenant(tenantId).sentMail.length, 50);
    assert.ok(directory.most > 1 && directory.most <= 8, `at most 8 at once, and more than one: ${directory.most}`);

    const again = await deliverInvitations(db, batch, { teams: true, email: true }, channels);
    assert.deepEqual([again.messaged.length, again.emailed.length, again.unreached.length], [0, 0, 0]);
    assert.equal(graph.tenant(tenantId).sentMail.length, 50, 'no second e-mail');
    assert.equal(messaged.length, 450, 'no second Teams message');
  });
});
