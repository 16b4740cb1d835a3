// `add user` end to end over HTTP, with Microsoft Graph through the real graph-client against the
// fake Graph: someone the directory knows becomes a member and is told; someone it does not know,
// on the organisation's domain, is created with a temporary password that is shown once to the
// admin and found nowhere else (store, logs); everything else is refused with the reason.
import assert from 'node:assert/strict';
import { collections } from '../../services/db/collections';
import { adaptiveCards, TeamsUser } from '../support/botHarness';
import { texts } from '../support/orgFixture';
import { invokeCard, invokeText, PARTNER_ID, startPeopleFixture, TENANT, type PeopleFixture } from './fixture';

describe('people: add user', () => {
  let f: PeopleFixture;
  before(async () => { f = await startPeopleFixture(); });
  after(async () => { await f?.close(); });

  const memberByEmail = (email: string) => f.db.collection(collections.members).findOne({ email, status: 'associated' });

  it('a user-management admin gets the form; someone in the tenant is added at once and told', async () => {
    const form = adaptiveCards(await f.uma.say('add user'))[0];
    assert.match(JSON.stringify(form), /"verb":"people\.add"/);
    assert.match(JSON.stringify(form), /Add a user to Fabrikam Partner/);
    // A user management admin is not offered the global admin role.
    assert.doesNotMatch(JSON.stringify(form), /"value":"globalAdmin"/);

    const zoe = await f.person('Zoe Known', 'zoe@fabrikam.example');
    const result = await f.uma.execute('people.add', { displayName: 'Zoe Known', email: 'Zoe@Fabrikam.example', roles: 'accountAdmin', contactTypes: 'technical' });
    assert.match(invokeText(result), /Zoe Known \(zoe@fabrikam\.example\) is now a member of Fabrikam Partner, with: Account admin, Technical contact\. I told them\./);
    const stored = await memberByEmail('zoe@fabrikam.example');
    assert.equal(stored?.aadObjectId, zoe.account.aadObjectId, 'the membership is keyed by the Entra object id Graph returned');
    assert.deepEqual(stored?.roles, ['accountAdmin']);
    assert.deepEqual(stored?.contactTypes, ['technical']);
    assert.equal(stored?.orgId, PARTNER_ID);
    await f.waitForMessage(zoe, /Uma Usermgmt added you to the partner profile of \*\*Fabrikam Partner\*\*, with: Account admin, Technical contact/);
    assert.equal(await f.db.collection(collections.audit).countDocuments({ action: 'user.added', subject: 'zoe@fabrikam.example', actor: f.uma.account.aadObjectId }), 1);
    assert.ok(!f.graph.graphRequests().some((r) => r.method === 'POST' && r.path === '/users'), 'nobody was created');
  });

  it('someone in the tenant who never opened the bot gets the app installed through Graph and is told there', async () => {
    const yan = await f.person('Yan Quiet', 'yan@fabrikam.example', { opened: false });
    // The chat Teams creates when the app is installed for Yan (the fake Graph names it so).
    const chatId = `19:${yan.account.aadObjectId}_${f.graph.clientId}@unq.gbl.spaces`;
    const chat = f.bot.running.connector!.conversation(chatId, 'personal', TENANT, [yan.account]);
    const result = await f.admin.execute('people.add', { displayName: 'Yan Quiet', email: 'yan@fabrikam.example', roles: '', contactTypes: '' });
    assert.match(invokeText(result), /Yan Quiet \(yan@fabrikam\.example\) is now a member of Fabrikam Partner, with: no role\. I told them\./);
    assert.ok(f.graph.tenant(TENANT).installations.some((i) => i.userId === yan.account.aadObjectId), 'the app was installed for Yan');
    const quietChat = new TeamsUser(f.bot.url, f.bot.running.connector!, yan.account, chat);
    await f.waitForMessage(quietChat, /Gabe Admin added you to the partner profile of \*\*Fabrikam Partner\*\*/);
  });

  it('someone unknown on an organisation domain is created with a temporary password, shown once and stored nowhere', async () => {
    const before = f.bot.logs.length + f.graphLogs.length;
    const result = await f.admin.execute('people.add', { displayName: 'Nina New', email: 'nina.new@fabrikam.example', roles: 'globalAdmin,mpnPartnerAdmin', contactTypes: 'executive' });
    const created = f.graph.graphRequests().find((r) => r.method === 'POST' && r.path === '/users');
    assert.ok(created, 'Graph was asked to create the user');
    const body = created.body as { userPrincipalName: string; displayName: string; accountEnabled: boolean; passwordProfile: { password: string; forceChangePasswordNextSignIn: boolean } };
    assert.equal(body.userPrincipalName, 'nina.new@fabrikam.example');
    assert.equal(body.displayName, 'Nina New');
    assert.equal(body.accountEnabled, true);
    assert.equal(body.passwordProfile.forceChangePasswordNextSignIn, true);
    const password = body.passwordProfile.password;
    assert.ok(password.length >= 12);

    // Shown to the admin, once, in the card that replaces the form.
    const card = invokeCard(result);
    assert.ok(card, invokeText(result));
    assert.ok(JSON.stringify(card).includes(JSON.stringify(password).slice(1, -1)), 'the card shows the password Graph received');
    assert.match(JSON.stringify(card), /shown only here, this once/);
    const nina = f.graph.tenant(TENANT).users.find((u) => u.userPrincipalName === 'nina.new@fabrikam.example')!;
    const stored = await memberByEmail('nina.new@fabrikam.example');
    assert.equal(stored?.aadObjectId, nina.id);
    assert.deepEqual(stored?.roles, ['globalAdmin', 'mpnPartnerAdmin']);
    assert.equal(await f.db.collection(collections.audit).countDocuments({ action: 'user.created', subject: 'nina.new@fabrikam.example' }), 1);

    // Nowhere in the store (every collection, every document) nor in the logs.
    const names = (await f.db.listCollections().toArray()).map((c) => c.name);
    assert.ok(names.includes(collections.members) && names.includes(collections.audit) && names.includes(collections.botState));
    for (const name of names) {
      const dump = JSON.stringify(await f.db.collection(name).find({}).toArray());
      assert.equal(dump.includes(password), false, `the password is in ${name}`);
    }
    const logs = [...f.bot.logs, ...f.graphLogs];
    assert.ok(logs.length > before, 'the turn was logged');
    assert.equal(logs.join('\n').includes(password), false, 'the password is in the logs');
  });

  it('someone unknown on a foreign domain is refused, and nothing is created', async () => {
    const posts = () => f.graph.graphRequests().filter((r) => r.method === 'POST' && r.path === '/users').length;
    const before = posts();
    const result = await f.uma.execute('people.add', { displayName: 'Fred Foreign', email: 'fred@elsewhere.example', roles: '', contactTypes: '' });
    const text = invokeText(result);
    assert.match(text, /fred@elsewhere\.example is not in your organisation's directory, and elsewhere\.example is not one of your organisation's domains/);
    assert.match(text, /Fred Foreign/, 'the form comes back with what was typed');
    assert.equal(posts(), before);
    assert.equal(await memberByEmail('fred@elsewhere.example'), null);
  });

  it('a duplicate e-mail is refused', async () => {
    const result = await f.uma.execute('people.add', { displayName: 'Emil Again', email: 'EMIL@fabrikam.example', roles: '', contactTypes: '' });
    assert.match(invokeText(result), /emil@fabrikam\.example is already a member: every member has a unique e-mail address/);
    assert.equal(await f.db.collection(collections.members).countDocuments({ email: 'emil@fabrikam.example' }), 1);
  });

  it('a user-management admin cannot give the global admin role', async () => {
    await f.person('Gil Grab', 'gil@fabrikam.example');
    const result = await f.uma.execute('people.add', { displayName: 'Gil Grab', email: 'gil@fabrikam.example', roles: 'globalAdmin', contactTypes: '' });
    assert.match(invokeText(result), /Only a global admin can give or take the global admin role/);
    assert.equal(await memberByEmail('gil@fabrikam.example'), null);
  });

  it('bad input gets a specific message and stores nothing', async () => {
    const operator = await f.uma.execute('people.add', { displayName: 'X', email: { $gt: '' }, roles: '', contactTypes: '' });
    assert.equal(operator.status, 400);
    assert.match(invokeText(operator), /email/);
    const empty = await f.uma.execute('people.add', { displayName: '   ', email: 'e@fabrikam.example', roles: '', contactTypes: '' });
    assert.match(invokeText(empty), /Type the person's full name/);
    const notAddress = await f.uma.execute('people.add', { displayName: 'Ed', email: 'not-an-address', roles: '', contactTypes: '' });
    assert.match(invokeText(notAddress), /That is not an e-mail address/);
    const role = await f.uma.execute('people.add', { displayName: 'Ed', email: 'ed@fabrikam.example', roles: 'superAdmin', contactTypes: '' });
    assert.match(invokeText(role), /Pick roles from the list/);
    assert.equal(await f.db.collection(collections.members).countDocuments({ email: { $in: ['e@fabrikam.example', 'ed@fabrikam.example'] } }), 0);
  });

  it('a member who is not an admin is refused, by command and by a forged click', async () => {
    assert.match(texts(await f.member.say('add user')), /Only a global admin, an account admin or a user management admin can use \*\*add\*\*/);
    await f.person('Hal Hopeful', 'hal@fabrikam.example');
    const forged = await f.member.execute('people.add', { displayName: 'Hal Hopeful', email: 'hal@fabrikam.example', roles: 'globalAdmin', contactTypes: '' });
    assert.match(invokeText(forged), /Only a global admin, an account admin or a user management admin can manage users/);
    assert.equal(await memberByEmail('hal@fabrikam.example'), null);
    // The PPC manages associations, not users.
    const byPpc = await f.ppc.execute('people.add', { displayName: 'Hal Hopeful', email: 'hal@fabrikam.example', roles: '', contactTypes: '' });
    assert.match(invokeText(byPpc), /can manage users/);
    assert.equal(await memberByEmail('hal@fabrikam.example'), null);
  });

  it("another tenant's admin cannot add anyone to this organisation", async () => {
    const result = await f.otherAdmin.execute('people.add', { displayName: 'Ivy Intruder', email: 'ivy@fabrikam.example', roles: 'globalAdmin', contactTypes: '' });
    // Their own organisation's domains and directory apply: fabrikam.example is neither.
    assert.match(invokeText(result), /ivy@fabrikam\.example is not in your organisation's directory, and fabrikam\.example is not one of your organisation's domains/);
    assert.equal(await f.db.collection(collections.members).countDocuments({ email: 'ivy@fabrikam.example' }), 0);
    assert.ok(!f.graph.graphRequests().some((r) => r.method === 'POST' && r.path === '/users' && r.tenantId !== TENANT), 'nothing was created in any tenant');
  });

  it('in a team channel the form is refused: the password may only appear in a personal chat', async () => {
    const connector = f.bot.running.connector!;
    const channel = connector.conversation('19:people-channel@thread.tacv2', 'channel', TENANT, [f.admin.account]);
    const inChannel = new TeamsUser(f.bot.url, connector, f.admin.account, channel);
    const result = await inChannel.execute('people.add', { displayName: 'Cal Channel', email: 'cal.channel@fabrikam.example', roles: '', contactTypes: '' });
    assert.match(invokeText(result), /add users in your personal chat with me/);
    assert.equal(await memberByEmail('cal.channel@fabrikam.example'), null);
  });

  it('speaks French to a French-speaking admin', async () => {
    // Her preference is stated before her first message (the bot caches preferences per person).
    const fr = await f.person('Fanny Française', 'fanny@fabrikam.example', { opened: false });
    await f.makeMember(fr, ['globalAdmin']);
    await f.db.collection(collections.userProfiles).insertOne({ _id: `${TENANT}:${fr.account.aadObjectId}` as never, tenantId: TENANT, aadObjectId: fr.account.aadObjectId, language: 'fr' });
    assert.match(JSON.stringify(adaptiveCards(await fr.say('add user'))), /Ajouter un utilisateur à Fabrikam Partner/);
    const dup = await fr.execute('people.add', { displayName: 'Emil', email: 'emil@fabrikam.example', roles: '', contactTypes: '' });
    assert.match(invokeText(dup), /emil@fabrikam\.example est déjà membre/);
  });
});
