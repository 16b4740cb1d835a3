// Client-credentials tokens: one per tenant, cached until shortly before expiry, shared by
// concurrent callers, refreshed after a 401, and token-endpoint refusals as typed errors.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { DirectoryError, DirectoryUnavailableError, createDirectory } from '../../services/directory';
import { useFakeGraph } from './harness';
import { translator } from '../../i18n';
import { directoryText } from '../../bot/userText';

/** The sentence a user sees for a directory failure (the bot words the error's code). */
const en = (err: DirectoryError) => directoryText(translator('en'), err);

describe('directory: Graph tokens', () => {
  const fixture = useFakeGraph({ tokenLifetimeSeconds: 3600 });
  let clock: sinon.SinonFakeTimers | undefined;

  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  it('fetches one token per tenant and reuses it across calls', async () => {
    const graph = fixture.graph();
    const a = fixture.newTenant();
    const b = fixture.newTenant();
    const directory = fixture.directory();
    await directory.findUserByEmail(a, 'x@contoso.com');
    await directory.getUser(a, 'someone');
    await directory.listGlobalAdmins(a);
    await directory.findUserByEmail(b, 'x@contoso.com');
    await directory.findUserByEmail(b, 'y@contoso.com');

    assert.equal(graph.tokenRequests(a).length, 1);
    assert.equal(graph.tokenRequests(b).length, 1);
    const [tokenRequest] = graph.tokenRequests(a);
    assert.deepEqual(tokenRequest.body, { grant_type: 'client_credentials', client_id: graph.clientId, client_secret: graph.clientSecret, scope: 'https://graph.microsoft.com/.default' });
    // Each tenant's calls carry that tenant's token (the fake serves data by the token's tenant).
    const tokenOf = (tenantId: string) => graph.graphRequests().filter((r) => r.tenantId === tenantId).map((r) => r.headers.authorization);
    assert.equal(new Set(tokenOf(a)).size, 1);
    assert.equal(new Set(tokenOf(b)).size, 1);
    assert.notEqual(tokenOf(a)[0], tokenOf(b)[0]);
  });

  it('shares one in-flight token request among concurrent callers', async () => {
    const tenantId = fixture.newTenant();
    const directory = fixture.directory();
    await Promise.all(Array.from({ length: 8 }, (_, i) => directory.findUserByEmail(tenantId, `u${i}@contoso.com`)));
    assert.equal(fixture.graph().tokenRequests(tenantId).length, 1);
    assert.equal(fixture.graph().graphRequests().filter((r) => r.tenantId === tenantId).length, 8);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const tenantId = fixture.newTenant();
    const directory = fixture.directory();
    // Only Date is faked: sockets and the retry handler's timers keep running for real.
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    await directory.findUserByEmail(tenantId, 'a@contoso.com');
    clock.tick(54 * 60_000); // 54 of 60 minutes: still more than 5 minutes left
    await directory.findUserByEmail(tenantId, 'a@contoso.com');
    assert.equal(fixture.graph().tokenRequests(tenantId).length, 1);
    clock.tick(2 * 60_000); // 56 minutes: inside the 5-minute margin
    await directory.findUserByEmail(tenantId, 'a@contoso.com');
    assert.equal(fixture.graph().tokenRequests(tenantId).length, 2);
  });

  it('fetches a new token once when Graph rejects the cached one (401)', async () => {
    const tenantId = fixture.newTenant();
    const graph = fixture.graph();
    const ann = graph.addUser(tenantId, { userPrincipalName: 'ann@contoso.com' });
    const directory = fixture.directory();
    await directory.getUser(tenantId, ann.id);
    graph.revokeTokens();
    assert.equal((await directory.getUser(tenantId, ann.id))?.id, ann.id);
    assert.equal(graph.tokenRequests(tenantId).length, 2);
    assert.deepEqual(graph.graphRequests().filter((r) => r.tenantId === tenantId || r.status === 401).map((r) => r.status), [200, 401, 200]);
  });

  it('a tenant that has not consented gets DirectoryUnavailableError asking for admin consent', async () => {
    const tenantId = fixture.newTenant();
    fixture.graph().addTenant(tenantId, { consented: false });
    await assert.rejects(fixture.directory().listGlobalAdmins(tenantId), (err: unknown) => {
      assert.ok(err instanceof DirectoryUnavailableError);
      assert.equal(err.reason, 'not-consented');
      assert.match(en(err), /^This needs Microsoft Graph access, which your organisation has not granted this bot yet; ask your administrator to grant/);
      return true;
    });
    assert.equal(fixture.graph().graphRequests().filter((r) => r.tenantId === tenantId).length, 0);
  });

  it('a wrong secret gets DirectoryUnavailableError (credentials rejected), and nothing is cached', async () => {
    const tenantId = fixture.newTenant();
    const directory = createDirectory(fixture.graph().directoryOptions({ clientSecret: 'wrong' }));
    for (let i = 0; i < 2; i++) {
      await assert.rejects(directory.getUser(tenantId, 'x'), (err: unknown) => err instanceof DirectoryUnavailableError && err.reason === 'credentials-rejected');
    }
    assert.equal(fixture.graph().tokenRequests(tenantId).length, 2);
  });

  it('a token endpoint failure is a DirectoryError with a generic sentence, and the next call tries again', async () => {
    const tenantId = fixture.newTenant();
    const graph = fixture.graph();
    graph.failNext(`/${tenantId}/oauth2/v2.0/token`, { status: 500 });
    const directory = fixture.directory();
    await assert.rejects(directory.getUser(tenantId, 'x'), (err: unknown) => {
      assert.ok(err instanceof DirectoryError && !(err instanceof DirectoryUnavailableError));
      assert.equal(err.status, 500);
      assert.match(en(err), /try again later/);
      return true;
    });
    assert.equal(await directory.getUser(tenantId, 'x'), null);
    assert.equal(graph.tokenRequests(tenantId).length, 2);
  });

  it('refuses a tenant id that is not a GUID or domain before building a token URL', async () => {
    await assert.rejects(fixture.directory().getUser('../../evil', 'x'), DirectoryError);
    assert.equal(fixture.graph().tokenRequests('../../evil').length, 0);
  });
});
