// Without Graph credentials the bot still runs; every directory feature says, in one sentence a
// user can act on, that Graph access is missing. Missing optional settings do the same per feature.
import assert from 'node:assert/strict';
import { DirectoryUnavailableError, GraphDirectory, UnavailableDirectory, createDirectory, type Directory, type DirectoryError } from '../../services/directory';
import { memoryLog, useFakeGraph } from './harness';
import { translator } from '../../i18n';
import { directoryText } from '../../bot/userText';

/** The sentence a user sees for a directory failure (the bot words the error's code). */
const en = (err: DirectoryError) => directoryText(translator('en'), err);

const TENANT = '8f2c6a1e-4b7d-4e3a-9c5f-1a2b3c4d5e6f';

describe('directory: unavailable', () => {
  const calls: Array<[string, (d: Directory) => Promise<unknown>]> = [
    ['findUserByEmail', (d) => d.findUserByEmail(TENANT, 'a@contoso.com')],
    ['getUser', (d) => d.getUser(TENANT, 'x')],
    ['listGlobalAdmins', (d) => d.listGlobalAdmins(TENANT)],
    ['createUser', (d) => d.createUser(TENANT, { displayName: 'A', userPrincipalName: 'a@contoso.com' })],
    ['sendMail', (d) => d.sendMail(TENANT, { to: ['a@contoso.com'], subject: 's', body: 'b' })],
    ['installAppForUser', (d) => d.installAppForUser(TENANT, 'x')],
    ['findBotChat', (d) => d.findBotChat(TENANT, 'x')],
  ];

  it('createDirectory without credentials gives an UnavailableDirectory, and says so in the log', () => {
    const log = memoryLog();
    const directory = createDirectory({ logger: log.logger, clientId: 'id-only' });
    assert.ok(directory instanceof UnavailableDirectory);
    assert.equal(directory.available, false);
    assert.match(log.text(), /no Microsoft Graph credentials/);
    assert.ok(createDirectory() instanceof UnavailableDirectory);
    assert.ok(createDirectory({ clientId: ' ', clientSecret: 's' }) instanceof UnavailableDirectory);
  });

  it('createDirectory with id and secret gives the Graph directory; a token URL without {tenant} is refused', () => {
    assert.ok(createDirectory({ clientId: 'id', clientSecret: 's' }) instanceof GraphDirectory);
    assert.throws(() => createDirectory({ clientId: 'id', clientSecret: 's', tokenUrlTemplate: 'https://login.example/token' }), /\{tenant\}/);
  });

  for (const [operation, call] of calls) {
    it(`${operation} fails with DirectoryUnavailableError and a sentence for the user`, async () => {
      await assert.rejects(call(createDirectory({})), (err: unknown) => {
        assert.ok(err instanceof DirectoryUnavailableError);
        assert.equal(err.operation, operation);
        assert.equal(err.reason, 'no-credentials');
        assert.match(en(err), /^This needs Microsoft Graph access, which this bot has not been given yet; ask your administrator to .+\.$/);
        return true;
      });
    });
  }

  describe('with credentials but a feature setting missing', () => {
    const fixture = useFakeGraph();

    it('sendMail without a sender mailbox is unavailable, without calling Graph', async () => {
      const tenantId = fixture.newTenant();
      const directory = createDirectory(fixture.graph().directoryOptions());
      await assert.rejects(directory.sendMail(tenantId, { to: ['a@contoso.com'], subject: 's', body: 'b' }), (err: unknown) => {
        assert.ok(err instanceof DirectoryUnavailableError);
        assert.equal(err.reason, 'no-sender-mailbox');
        assert.match(en(err), /sender mailbox/);
        return true;
      });
      assert.equal(fixture.graph().tokenRequests(tenantId).length, 0);
    });

    it('installing the app and finding the chat without a Teams app id are unavailable', async () => {
      const tenantId = fixture.newTenant();
      const directory = createDirectory(fixture.graph().directoryOptions({ teamsCatalogAppId: undefined }));
      for (const call of [directory.installAppForUser(tenantId, 'x'), directory.findBotChat(tenantId, 'x')]) {
        await assert.rejects(call, (err: unknown) => err instanceof DirectoryUnavailableError && err.reason === 'no-teams-app');
      }
    });
  });
});
