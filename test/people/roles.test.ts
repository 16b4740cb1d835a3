// `users [role]`, the roles card, `who is my admin` and `request role`, end to end over HTTP.
import assert from 'node:assert/strict';
import { collections } from '../../services/db/collections';
import { adaptiveCards } from '../support/botHarness';
import { texts } from '../support/orgFixture';
import { pollUntil } from '../support/storeAssertions';
import { invokeCard, invokeText, OTHER_TENANT, startPeopleFixture, type PeopleFixture } from './fixture';

describe('people: users, roles and requests', () => {
  let f: PeopleFixture;
  before(async () => { f = await startPeopleFixture(); });
  after(async () => { await f?.close(); });

  const namesOn = (card: Record<string, unknown> | undefined) =>
    [...JSON.stringify(card ?? {}).matchAll(/"text":"([^"]+)","weight":"Bolder","wrap":true\}/g)].map((m) => m[1]);
  const rolesOf = async (email: string) => (await f.db.collection(collections.members).findOne({ email, status: 'associated' }))?.roles as string[];

  describe('users', () => {
    it('lists the members by name, each with their roles and a roles button', async () => {
      const card = adaptiveCards(await f.uma.say('users'))[0];
      assert.deepEqual(namesOn(card), ['Axel Account', 'Emil Employee', 'Gabe Admin', 'Priya PPC', 'Uma Usermgmt']);
      const json = JSON.stringify(card);
      assert.match(json, /5 members\./);
      assert.match(json, /"text":"Primary Program Contact"/);
      assert.match(json, /"verb":"people\.roles","data":\{"aadObjectId":"[^"]+"\}/);
      assert.doesNotMatch(json, /Olga/, "another tenant's people never appear");
    });

    it('filters by role, as typed in words', async () => {
      assert.deepEqual(namesOn(adaptiveCards(await f.uma.say('users global admin'))[0]), ['Gabe Admin']);
      assert.deepEqual(namesOn(adaptiveCards(await f.uma.say('users accountAdmin'))[0]), ['Axel Account']);
      assert.deepEqual(namesOn(adaptiveCards(await f.uma.say('users ppc'))[0]), ['Priya PPC']);
      assert.match(texts(await f.uma.say('users mpn partner admin')), /No member has the role MPN partner admin/);
      assert.match(texts(await f.uma.say('users wizard')), /I don't know the role "wizard"/);
    });

    it('pages 20 at a time', async () => {
      for (let i = 0; i < 18; i++) {
        const p = await f.person(`Zed ${String(i).padStart(2, '0')}`, `zed${i}@fabrikam.example`, { opened: false });
        await f.makeMember(p);
      }
      const first = adaptiveCards(await f.uma.say('users'))[0];
      assert.equal(namesOn(first).length, 20);
      assert.match(JSON.stringify(first), /Showing 1–20 of 23 \(page 1 of 2\)/);
      const second = invokeCard(await f.uma.execute('people.page', { page: '1', role: '' }));
      assert.deepEqual(namesOn(second), ['Zed 15', 'Zed 16', 'Zed 17']);
      const bad = await f.uma.execute('people.page', { page: '1', role: { $gt: '' } });
      assert.equal(bad.status, 400);
    });

    it('is refused to plain members, the PPC and other tenants', async () => {
      assert.match(texts(await f.member.say('users')), /Only a global admin, an account admin or a user management admin can use \*\*users\*\*/);
      assert.match(invokeText(await f.ppc.execute('people.page', { page: 0 })), /can manage users/);
      // Olga administers her own organisation: she sees only its members.
      const hers = invokeCard(await f.otherAdmin.execute('people.page', { page: 0 }));
      assert.deepEqual(namesOn(hers), ['Olga Other']);
    });
  });

  describe('the roles card', () => {
    it('changes roles and contact types; the change is audited', async () => {
      const emil = f.member.account.aadObjectId!;
      const card = invokeCard(await f.accountAdmin.execute('people.roles', { aadObjectId: emil }));
      assert.match(JSON.stringify(card), /Roles of Emil Employee/);
      const saved = await f.accountAdmin.execute('people.setRoles', { aadObjectId: emil, roles: 'mpnPartnerAdmin', contactTypes: 'technical,salesMarketing' });
      assert.match(invokeText(saved), /Saved\./);
      const doc = await f.db.collection(collections.members).findOne({ aadObjectId: emil });
      assert.deepEqual(doc?.roles, ['mpnPartnerAdmin']);
      assert.deepEqual(doc?.contactTypes, ['salesMarketing', 'technical']);
      const entry = await f.db.collection(collections.audit).findOne({ action: 'user.rolesChanged', subject: 'emil@fabrikam.example' });
      assert.deepEqual(entry?.before, { roles: [], contactTypes: [] });
      assert.deepEqual(entry?.after, { roles: ['mpnPartnerAdmin'], contactTypes: ['salesMarketing', 'technical'] });
      assert.equal(entry?.actor, f.accountAdmin.account.aadObjectId);
      // Emil now holds the role: competency status is his to ask.
      assert.doesNotMatch(texts(await f.member.say('competencies')), /Only a global admin or an MPN partner admin can use/);
    });

    it('only a global admin gives or takes the global admin role, and the last one keeps it', async () => {
      const axel = f.accountAdmin.account.aadObjectId!;
      const grab = await f.uma.execute('people.setRoles', { aadObjectId: axel, roles: 'accountAdmin,globalAdmin', contactTypes: '' });
      assert.match(invokeText(grab), /Only a global admin can give or take the global admin role/);
      assert.deepEqual(await rolesOf('axel@fabrikam.example'), ['accountAdmin']);

      const strip = await f.admin.execute('people.setRoles', { aadObjectId: f.admin.account.aadObjectId, roles: '', contactTypes: '' });
      assert.match(invokeText(strip), /That would leave your organisation without a global admin/);
      assert.deepEqual(await rolesOf('gabe@fabrikam.example'), ['globalAdmin'], 'the change was undone');

      // With a second global admin, the first may step down.
      const promote = await f.admin.execute('people.setRoles', { aadObjectId: axel, roles: 'globalAdmin,accountAdmin', contactTypes: '' });
      assert.match(invokeText(promote), /Saved\./);
      const stepDown = await f.admin.execute('people.setRoles', { aadObjectId: f.admin.account.aadObjectId, roles: 'accountAdmin', contactTypes: '' });
      assert.match(invokeText(stepDown), /Saved\./);
      assert.deepEqual(await rolesOf('gabe@fabrikam.example'), ['accountAdmin']);
      // Axel gives it back.
      await f.accountAdmin.execute('people.setRoles', { aadObjectId: f.admin.account.aadObjectId, roles: 'globalAdmin', contactTypes: '' });
      assert.deepEqual(await rolesOf('gabe@fabrikam.example'), ['globalAdmin']);
    });

    it('bad or foreign input changes nothing', async () => {
      const emil = f.member.account.aadObjectId!;
      const unknown = await f.uma.execute('people.setRoles', { aadObjectId: emil, roles: 'superAdmin', contactTypes: '' });
      assert.match(invokeText(unknown), /Pick roles from the list/);
      const operator = await f.uma.execute('people.setRoles', { aadObjectId: { $ne: '' }, roles: '', contactTypes: '' });
      assert.equal(operator.status, 400);
      const other = await f.otherAdmin.execute('people.setRoles', { aadObjectId: emil, roles: 'globalAdmin', contactTypes: '' });
      assert.match(invokeText(other), /I can't find that member/);
      const byMember = await f.member.execute('people.setRoles', { aadObjectId: emil, roles: 'globalAdmin', contactTypes: '' });
      assert.match(invokeText(byMember), /can manage users/);
      assert.deepEqual(await rolesOf('emil@fabrikam.example'), ['mpnPartnerAdmin']);
    });
  });

  describe('who is my admin', () => {
    it('anyone sees the global admins, account admins and PPC of their organisation', async () => {
      const answer = texts(await f.member.say('who is my admin'));
      assert.match(answer, /Your admins at \*\*Fabrikam Partner\*\*/);
      assert.match(answer, /Global admins: .*Gabe Admin \(gabe@fabrikam\.example\)/);
      assert.match(answer, /Account admins: .*Axel Account \(axel@fabrikam\.example\)/);
      assert.match(answer, /Primary Program Contact: Priya PPC/);
      assert.doesNotMatch(answer, /Uma Usermgmt/);
      assert.equal(texts(await f.member.say('admins')), answer, '`admins` answers the same');
    });

    it('someone not associated yet sees the admins of their tenant; another tenant sees its own', async () => {
      const newcomer = await f.person('Nell Newcomer', 'nell@fabrikam.example');
      assert.match(texts(await newcomer.say('who is my admin?')), /Your admins at \*\*Fabrikam Partner\*\*[\s\S]*Gabe Admin/);
      const stranger = await f.person('Sam Stranger', 'sam@northwind.example', { tenant: OTHER_TENANT });
      const theirs = texts(await stranger.say('who is my admin'));
      assert.match(theirs, /Northwind Traders/);
      assert.doesNotMatch(theirs, /Fabrikam|Gabe/);
      const emptyTenant = '99999999-cccc-4000-8000-000000000099';
      f.graph.addTenant(emptyTenant);
      const lonely = await f.person('Lou Lonely', 'lou@nowhere.example', { tenant: emptyTenant });
      assert.match(texts(await lonely.say('who is my admin')), /No organisation of your tenant is registered with me yet/);
    });
  });

  describe('request role', () => {
    it('a member asks; the user-management admins get a card; one grants; the member has the role and is told', async () => {
      const rita = await f.person('Rita Requester', 'rita@fabrikam.example');
      await f.makeMember(rita);
      assert.match(JSON.stringify(adaptiveCards(await rita.say('request role'))), /"verb":"roles\.request"/);
      const sent = await rita.execute('roles.request', { roles: 'accountAdmin', contactTypes: 'executive', note: 'I run the sales team' });
      const text = invokeText(sent);
      assert.match(text, /I sent your request for Account admin, Executive contact to 3 admins of Fabrikam Partner/);
      const request = await f.db.collection(collections.roleRequests).findOne({ 'requester.aadObjectId': rita.account.aadObjectId });
      assert.equal(request?.status, 'pending');

      // Global, account and user-management admins get the card; the PPC and plain members do not.
      for (const decider of [f.admin, f.accountAdmin, f.uma]) await f.waitForMessage(decider, /Rita Requester \(rita@fabrikam\.example\) asks for more rights/);
      await pollUntil(async () => (await f.db.collection(collections.outbox).countDocuments({ _id: { $regex: `^role-request:${request!._id}:` } as never })) === 3, { what: 'three cards' });
      assert.equal(f.sentTo(f.ppc).some((a) => JSON.stringify(a.attachments ?? []).includes('Rita Requester')), false);

      const again = await rita.execute('roles.request', { roles: 'mpnPartnerAdmin', contactTypes: '' });
      assert.match(invokeText(again), /You already have a role request waiting/);

      const forged = await f.member.execute('roles.grant', { requestId: request!._id });
      assert.match(invokeText(forged), /can manage users/);
      const foreign = await f.otherAdmin.execute('roles.grant', { requestId: request!._id });
      assert.match(invokeText(foreign), /I can't find that role request/);

      const granted = await f.uma.execute('roles.grant', { requestId: request!._id });
      assert.match(invokeText(granted), /Granted by Uma Usermgmt/);
      assert.deepEqual(await rolesOf('rita@fabrikam.example'), ['accountAdmin']);
      assert.deepEqual((await f.db.collection(collections.members).findOne({ email: 'rita@fabrikam.example' }))?.contactTypes, ['executive']);
      await f.waitForMessage(rita, /Uma Usermgmt granted your request: you now have Account admin, Executive contact in \*\*Fabrikam Partner\*\*/);
      assert.equal(await f.db.collection(collections.audit).countDocuments({ action: 'role.granted', subject: 'rita@fabrikam.example' }), 1);

      // A second click (another admin) sees the decision, and changes nothing.
      const late = await f.admin.execute('roles.deny', { requestId: request!._id });
      assert.match(invokeText(late), /Granted by Uma Usermgmt/);
      assert.equal((await f.db.collection(collections.roleRequests).findOne({ _id: request!._id }))?.status, 'granted');
      // Every posted copy is replaced with the decided card.
      await pollUntil(async () => (await f.db.collection(collections.outbox).countDocuments({ _id: { $regex: `^role-request:${request!._id}:.*:final$` } as never })) === 3, { what: 'three updates' });
    });

    it('a denied request is told as such; someone not associated cannot ask', async () => {
      const dan = await f.person('Dan Denied', 'dan@fabrikam.example');
      await f.makeMember(dan);
      await dan.execute('roles.request', { roles: 'globalAdmin', contactTypes: '' });
      const request = await f.db.collection(collections.roleRequests).findOne({ 'requester.aadObjectId': dan.account.aadObjectId });
      // A user-management admin cannot grant the global admin role; a global admin can deny it.
      assert.match(invokeText(await f.uma.execute('roles.grant', { requestId: request!._id })), /Only a global admin can give or take the global admin role/);
      assert.match(invokeText(await f.admin.execute('roles.deny', { requestId: request!._id })), /Denied by Gabe Admin/);
      await f.waitForMessage(dan, /Gabe Admin denied your request for Global admin in \*\*Fabrikam Partner\*\*/);
      assert.deepEqual(await rolesOf('dan@fabrikam.example'), []);

      const outsider = await f.person('Oz Outsider', 'oz@fabrikam.example');
      assert.match(texts(await outsider.say('request role')), /You are not associated with an organisation yet/);
      assert.match(invokeText(await outsider.execute('roles.request', { roles: 'accountAdmin' })), /You are not associated with an organisation yet/);
      assert.match(invokeText(await dan.execute('roles.request', { roles: '', contactTypes: '' })), /Pick at least one role or contact type/);
    });
  });
});
