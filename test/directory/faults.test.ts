// Graph failures: throttling goes through the graph-client's own retry handler (the fake asks
// for Retry-After: 0, so nothing waits), and what is left becomes a small typed error whose
// user-facing sentence never carries Graph's own text.
import assert from 'node:assert/strict';
import { DirectoryError, DirectoryForbiddenError, DirectoryUnavailableError } from '../../services/directory';
import { useFakeGraph } from './harness';
import { translator } from '../../i18n';
import { directoryText } from '../../bot/userText';

/** The sentence a user sees for a directory failure (the bot words the error's code). */
const en = (err: DirectoryError) => directoryText(translator('en'), err);
const fr = (err: DirectoryError) => directoryText(translator('fr'), err);

describe('directory: Graph faults', () => {
  const fixture = useFakeGraph();

  const callsTo = (tenantId: string, path: string) => fixture.graph().graphRequests().filter((r) => r.tenantId === tenantId && r.path === path);

  it('retries a 429 and then succeeds', async () => {
    const tenantId = fixture.newTenant();
    const graph = fixture.graph();
    graph.addUser(tenantId, { userPrincipalName: 'ann@contoso.com' });
    graph.failNext('/users', { status: 429, retryAfterSeconds: 0, tenantId });
    const user = await fixture.directory().findUserByEmail(tenantId, 'ann@contoso.com');
    assert.equal(user?.userPrincipalName, 'ann@contoso.com');
    assert.deepEqual(callsTo(tenantId, '/users').map((r) => r.status), [429, 200]);
  });

  it('retries a 503 on a POST too (the body is sent again)', async () => {
    const tenantId = fixture.newTenant();
    const graph = fixture.graph();
    graph.failNext('/users', { status: 503, method: 'POST', tenantId });
    const created = await fixture.directory().createUser(tenantId, { displayName: 'Bo', userPrincipalName: 'bo@contoso.com' });
    assert.equal(created.user.userPrincipalName, 'bo@contoso.com');
    assert.equal(graph.tenant(tenantId).users.length, 1);
    assert.deepEqual(callsTo(tenantId, '/users').map((r) => r.status), [503, 201]);
  });

  it('gives up after the client retries and reports throttling with a DirectoryError', async () => {
    const tenantId = fixture.newTenant();
    const graph = fixture.graph();
    graph.failNext('/users', { status: 429, times: 10, tenantId });
    await assert.rejects(fixture.directory().findUserByEmail(tenantId, 'ann@contoso.com'), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterSeconds, 0);
      assert.equal(err.problem, 'throttled');
      assert.match(en(err), /Microsoft Graph is busy/);
      assert.match(fr(err), /Microsoft Graph est surchargé/);
      return true;
    });
    // The first attempt and the graph-client's 3 retries.
    assert.deepEqual(callsTo(tenantId, '/users').map((r) => r.status), [429, 429, 429, 429]);
  });

  it('does not wait when Graph asks for longer than the configured maximum', async () => {
    const tenantId = fixture.newTenant();
    const graph = fixture.graph();
    graph.failNext(/\/sendMail$/, { status: 429, retryAfterSeconds: 120, tenantId });
    graph.addUser(tenantId, { userPrincipalName: 'noreply@contoso.com' });
    await assert.rejects(fixture.directory({ maxRetryAfterSeconds: 10 }).sendMail(tenantId, { to: ['a@contoso.com'], subject: 's', body: 'b' }), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterSeconds, 120);
      return true;
    });
    assert.equal(graph.tenant(tenantId).sentMail.length, 0);
    assert.equal(callsTo(tenantId, '/users/noreply@contoso.com/sendMail').length, 1, 'not retried');
  });

  it('a 403 naming the permission gives DirectoryForbiddenError with it', async () => {
    const tenantId = fixture.newTenant();
    const graph = fixture.graph();
    const bob = graph.addUser(tenantId, { userPrincipalName: 'bob@contoso.com' });
    graph.failNext(`/users/${bob.id}/teamwork/installedApps`, { status: 403, tenantId });
    await assert.rejects(fixture.directory().installAppForUser(tenantId, bob.id), (err: unknown) => {
      assert.ok(err instanceof DirectoryForbiddenError);
      assert.equal(err.namedByGraph, true);
      assert.deepEqual(err.permissions, ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All']);
      assert.equal(
        en(err),
        'The bot is not allowed to do this: it needs one of these Microsoft Graph permissions: TeamsAppInstallation.ReadWriteSelfForUser.All, TeamsAppInstallation.ReadWriteForUser.All. Ask your administrator to grant it and give admin consent.',
      );
      assert.match(fr(err), /^Le bot n'a pas le droit de faire cela : il lui faut l'une de ces autorisations Microsoft Graph : TeamsAppInstallation\.ReadWriteSelfForUser\.All, TeamsAppInstallation\.ReadWriteForUser\.All\./);
      return true;
    });
  });

  it('a 403 that names nothing gives the documented permission for that call', async () => {
    const tenantId = fixture.newTenant();
    fixture.graph().failNext(/^\/directoryRoles/, { status: 403, tenantId });
    await assert.rejects(fixture.directory().listGlobalAdmins(tenantId), (err: unknown) => {
      assert.ok(err instanceof DirectoryForbiddenError);
      assert.equal(err.namedByGraph, false);
      assert.deepEqual(err.permissions, ['RoleManagement.Read.Directory']);
      assert.equal(err.retryAfterSeconds, undefined);
      assert.match(en(err), /Microsoft Graph permissions: RoleManagement\.Read\.Directory\./);
      assert.doesNotMatch(en(err), /Insufficient privileges/);
      return true;
    });
  });

  it('ignores text in a 403 that is not a permission name', async () => {
    const tenantId = fixture.newTenant();
    fixture.graph().failNext('/users', { status: 403, tenantId, message: "API requires one of '<script>alert(1)</script>, Mail.Send'." });
    await assert.rejects(fixture.directory().findUserByEmail(tenantId, 'a@contoso.com'), (err: unknown) => {
      assert.ok(err instanceof DirectoryForbiddenError);
      assert.deepEqual(err.permissions, ['Mail.Send']);
      return true;
    });
  });

  it('a 500 is a DirectoryError with its status, and no Graph text or stack in the user sentence', async () => {
    const tenantId = fixture.newTenant();
    fixture.graph().failNext('/users', { status: 500, tenantId, message: 'Secret internal detail at Graph.Frontend.Stack' });
    await assert.rejects(fixture.directory().findUserByEmail(tenantId, 'a@contoso.com'), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.equal(err.status, 500);
      assert.equal(err.code, 'InternalServerError');
      assert.ok(err.requestId, 'keeps the request-id for support');
      assert.equal(err.problem, 'serverError');
      assert.equal(en(err), 'Microsoft Graph could not do this right now; please try again later.');
      assert.equal(fr(err), "Microsoft Graph n'a pas pu effectuer cette opération pour le moment ; réessayez plus tard.");
      assert.doesNotMatch(err.message + en(err) + fr(err), /Secret internal detail/);
      return true;
    });
  });

  it('a 404 on a lookup is null, on a change is a DirectoryError', async () => {
    const tenantId = fixture.newTenant();
    const directory = fixture.directory();
    assert.equal(await directory.getUser(tenantId, 'f7c8e1d2-0000-4000-8000-000000000000'), null);
    await assert.rejects(directory.installAppForUser(tenantId, 'f7c8e1d2-0000-4000-8000-000000000000'), (err: unknown) => err instanceof DirectoryError && err.status === 404);
  });

  it('an unreachable Graph is a DirectoryError without a status', async () => {
    const tenantId = fixture.newTenant();
    const directory = fixture.directory({ graphBaseUrl: 'http://127.0.0.1:9/v1.0' });
    await assert.rejects(directory.getUser(tenantId, 'x'), (err: unknown) => {
      assert.ok(err instanceof DirectoryError && !(err instanceof DirectoryUnavailableError));
      assert.equal(err.status, undefined);
      assert.equal(err.problem, 'unreachable');
      assert.match(en(err), /could not be reached/);
      assert.match(fr(err), /Microsoft Graph est injoignable/);
      return true;
    });
  });
});
