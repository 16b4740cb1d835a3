// Each directory operation through the real graph-client against the fake Graph over HTTP.
import assert from 'node:assert/strict';
import { DirectoryConflictError, GraphDirectory, type Directory, type DirectoryError } from '../../services/directory';
import { useFakeGraph } from './harness';
import { translator } from '../../i18n';
import { directoryText } from '../../bot/userText';

/** The sentence a user sees for a directory failure (the bot words the error's code). */
const en = (err: DirectoryError) => directoryText(translator('en'), err);

describe('directory: Graph operations', () => {
  const fixture = useFakeGraph({ pageSize: 2 });
  let tenantId: string;
  let directory: Directory;

  beforeEach(() => {
    tenantId = fixture.newTenant();
    directory = fixture.directory();
  });

  it('is the Graph implementation when credentials are given', () => {
    assert.ok(directory instanceof GraphDirectory);
    assert.equal(directory.available, true);
  });

  describe('findUserByEmail', () => {
    it('finds a user by mail, case-insensitively, as a plain object', async () => {
      const jane = fixture.graph().addUser(tenantId, { userPrincipalName: 'jane@contoso.onmicrosoft.com', mail: 'Jane.Doe@Contoso.com', displayName: 'Jane Doe', givenName: 'Jane', surname: 'Doe', jobTitle: 'Engineer' });
      const found = await directory.findUserByEmail(tenantId, '  jane.doe@CONTOSO.com ');
      assert.deepEqual(found, {
        id: jane.id,
        displayName: 'Jane Doe',
        mail: 'Jane.Doe@Contoso.com',
        userPrincipalName: 'jane@contoso.onmicrosoft.com',
        givenName: 'Jane',
        surname: 'Doe',
        jobTitle: 'Engineer',
        accountEnabled: true,
      });
      const [request] = fixture.graph().graphRequests().filter((r) => r.tenantId === tenantId);
      assert.equal(request.path, '/users');
      assert.equal(request.query.$filter, "mail eq 'jane.doe@CONTOSO.com' or userPrincipalName eq 'jane.doe@CONTOSO.com'");
      assert.match(request.query.$select, /^id,displayName,mail,userPrincipalName/);
    });

    it('finds a user by userPrincipalName when mail differs', async () => {
      const sam = fixture.graph().addUser(tenantId, { userPrincipalName: 'Sam@contoso.com', mail: null });
      assert.equal((await directory.findUserByEmail(tenantId, 'sam@contoso.com'))?.id, sam.id);
    });

    it('returns null when nobody matches, and for blank input without calling Graph', async () => {
      assert.equal(await directory.findUserByEmail(tenantId, 'nobody@contoso.com'), null);
      const before = fixture.graph().graphRequests().length;
      assert.equal(await directory.findUserByEmail(tenantId, '   '), null);
      assert.equal(fixture.graph().graphRequests().length, before);
    });

    it('only sees the tenant it names', async () => {
      const other = fixture.newTenant();
      fixture.graph().addUser(other, { userPrincipalName: 'eve@fabrikam.com' });
      assert.equal(await directory.findUserByEmail(tenantId, 'eve@fabrikam.com'), null);
      assert.ok(await directory.findUserByEmail(other, 'eve@fabrikam.com'));
    });
  });

  describe('getUser', () => {
    it('reads a user by object id', async () => {
      const ann = fixture.graph().addUser(tenantId, { userPrincipalName: 'ann@contoso.com', accountEnabled: false });
      const user = await directory.getUser(tenantId, ann.id);
      assert.equal(user?.userPrincipalName, 'ann@contoso.com');
      assert.equal(user?.accountEnabled, false);
    });

    it('returns null for an unknown id, and for ids that are not a path segment', async () => {
      assert.equal(await directory.getUser(tenantId, '00000000-0000-0000-0000-000000000000'), null);
      assert.equal(await directory.getUser(tenantId, '..'), null);
      assert.equal(await directory.getUser(tenantId, ''), null);
    });

    it('encodes the id so it cannot reach another path', async () => {
      assert.equal(await directory.getUser(tenantId, '../directoryRoles'), null);
      const last = fixture.graph().graphRequests().at(-1)!;
      assert.equal(last.path, '/users/../directoryRoles');
      assert.equal(last.status, 404);
    });
  });

  describe('listGlobalAdmins', () => {
    it('lists user members of the Global Administrator role across pages, leaving out service principals', async () => {
      const graph = fixture.graph();
      const admins = [1, 2, 3].map((n) => graph.addUser(tenantId, { userPrincipalName: `admin${n}@contoso.com` }));
      graph.addUser(tenantId, { userPrincipalName: 'not-admin@contoso.com' });
      graph.addGlobalAdmin(tenantId, admins[0]);
      graph.addServicePrincipalAdmin(tenantId, 'Some automation');
      graph.addGlobalAdmin(tenantId, admins[1]);
      graph.addGlobalAdmin(tenantId, admins[2]);

      const listed = await directory.listGlobalAdmins(tenantId);
      assert.deepEqual(listed.map((u) => u.userPrincipalName), ['admin1@contoso.com', 'admin2@contoso.com', 'admin3@contoso.com']);
      const calls = graph.graphRequests().filter((r) => r.tenantId === tenantId);
      assert.equal(calls.length, 2, 'two pages of two');
      assert.equal(calls[0].path, "/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members");
      assert.equal(calls[1].query.$skiptoken, '2');
    });

    it('returns an empty list when nobody holds the role', async () => {
      assert.deepEqual(await directory.listGlobalAdmins(tenantId), []);
    });
  });

  describe('createUser', () => {
    it('creates an enabled user with a temporary password that must be changed, returned to the caller only', async () => {
      const created = await directory.createUser(tenantId, { displayName: 'Kim Lee', userPrincipalName: "kim.o'lee@contoso.com", givenName: 'Kim', surname: 'Lee', usageLocation: 'NL' });
      assert.equal(created.user.userPrincipalName, "kim.o'lee@contoso.com");
      assert.equal(created.user.displayName, 'Kim Lee');
      assert.equal(created.user.accountEnabled, true);
      assert.ok(created.temporaryPassword.length >= 16);

      const stored = fixture.graph().tenant(tenantId).users.find((u) => u.id === created.user.id)!;
      assert.deepEqual(stored.passwordProfile, { password: created.temporaryPassword, forceChangePasswordNextSignIn: true });
      assert.equal(stored.mailNickname, 'kim.olee');
      assert.equal(stored.usageLocation, 'NL');
      assert.ok(!JSON.stringify(created.user).includes(created.temporaryPassword));
    });

    it('generates a different password each time', async () => {
      const a = await directory.createUser(tenantId, { displayName: 'A', userPrincipalName: 'a@contoso.com' });
      const b = await directory.createUser(tenantId, { displayName: 'B', userPrincipalName: 'b@contoso.com' });
      assert.notEqual(a.temporaryPassword, b.temporaryPassword);
    });

    it('refuses a sign-in name that already exists with a DirectoryConflictError', async () => {
      fixture.graph().addUser(tenantId, { userPrincipalName: 'taken@contoso.com' });
      await assert.rejects(directory.createUser(tenantId, { displayName: 'T', userPrincipalName: 'Taken@contoso.com' }), (err: unknown) => {
        assert.ok(err instanceof DirectoryConflictError);
        assert.equal(err.status, 400);
        assert.match(en(err), /already has a user with that sign-in name/);
        return true;
      });
      assert.equal(fixture.graph().tenant(tenantId).users.length, 1);
    });
  });

  describe('sendMail', () => {
    it('sends from the configured sender mailbox', async () => {
      fixture.graph().addUser(tenantId, { userPrincipalName: 'noreply@contoso.com' });
      await directory.sendMail(tenantId, { to: ['a@contoso.com', ' '], cc: ['c@contoso.com'], subject: 'Your code', body: '<b>123456</b>', contentType: 'html' });
      const [sent] = fixture.graph().tenant(tenantId).sentMail;
      assert.deepEqual(sent, {
        sender: 'noreply@contoso.com',
        subject: 'Your code',
        contentType: 'HTML',
        content: '<b>123456</b>',
        to: ['a@contoso.com'],
        cc: ['c@contoso.com'],
        saveToSentItems: false,
      });
      assert.equal(fixture.graph().graphRequests().at(-1)!.path, '/users/noreply@contoso.com/sendMail');
    });

    it('refuses a mail without recipients before calling Graph', async () => {
      await assert.rejects(directory.sendMail(tenantId, { to: [' '], subject: 's', body: 'b' }), TypeError);
    });
  });

  describe('installAppForUser and findBotChat', () => {
    it('installs the catalog app for a user, then finds the bot chat', async () => {
      const graph = fixture.graph();
      const bob = graph.addUser(tenantId, { userPrincipalName: 'bob@contoso.com' });
      assert.equal(await directory.findBotChat(tenantId, bob.id), null, 'no chat before installation');

      assert.deepEqual(await directory.installAppForUser(tenantId, bob.id), { newlyInstalled: true });
      const install = graph.graphRequests().find((r) => r.method === 'POST' && r.tenantId === tenantId)!;
      assert.equal(install.path, `/users/${bob.id}/teamwork/installedApps`);
      assert.deepEqual(install.body, { 'teamsApp@odata.bind': `${graph.baseUrl}/appCatalogs/teamsApps/${graph.teamsAppId}` });

      const [installation] = graph.tenant(tenantId).installations;
      assert.deepEqual(await directory.findBotChat(tenantId, bob.id), { chatId: installation.chatId, installationId: installation.id });
      const list = graph.graphRequests().filter((r) => r.tenantId === tenantId && r.path.endsWith('/installedApps') && r.method === 'GET').at(-1)!;
      assert.equal(list.query.$expand, 'teamsAppDefinition');
      assert.equal(list.query.$filter, `teamsAppDefinition/teamsAppId eq '${graph.teamsAppId}'`);
    });

    it('treats 409 Conflict (already installed) as success', async () => {
      const graph = fixture.graph();
      const cy = graph.addUser(tenantId, { userPrincipalName: 'cy@contoso.com' });
      graph.installApp(tenantId, cy.id);
      assert.deepEqual(await directory.installAppForUser(tenantId, cy.id), { newlyInstalled: false });
      assert.equal(graph.graphRequests().at(-1)!.status, 409);
      assert.equal(graph.tenant(tenantId).installations.length, 1);
    });

    it('ignores installations of other apps, and returns null for an unknown user', async () => {
      const graph = fixture.graph();
      const dee = graph.addUser(tenantId, { userPrincipalName: 'dee@contoso.com' });
      graph.installApp(tenantId, dee.id, 'some-other-app');
      assert.equal(await directory.findBotChat(tenantId, dee.id), null);
      assert.equal(await directory.findBotChat(tenantId, '11111111-1111-1111-1111-111111111111'), null);
    });
  });
});
