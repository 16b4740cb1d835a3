// Logs never hold the client secret, an access token, a temporary password or a full e-mail
// address, even at trace level, on success and on every failure path.
import assert from 'node:assert/strict';
import { createDirectory } from '../../services/directory';
import { memoryLog, useFakeGraph } from './harness';

describe('directory: what reaches the logs', () => {
  const fixture = useFakeGraph();

  it('no secret, token, password or address in trace-level output', async () => {
    const graph = fixture.graph();
    const log = memoryLog();
    const tenantId = fixture.newTenant();
    const unconsented = fixture.newTenant();
    graph.addTenant(unconsented, { consented: false });
    const directory = createDirectory(graph.directoryOptions({ senderMailbox: 'noreply@contoso.com', logger: log.logger }));
    const badSecret = createDirectory(graph.directoryOptions({ clientSecret: 'wrong-secret-value-xyz', logger: log.logger }));
    graph.addUser(tenantId, { userPrincipalName: 'noreply@contoso.com' });
    const ann = graph.addUser(tenantId, { userPrincipalName: 'ann.private@contoso.com' });
    graph.addGlobalAdmin(tenantId, ann);

    await directory.findUserByEmail(tenantId, 'ann.private@contoso.com');
    await directory.getUser(tenantId, ann.id);
    await directory.listGlobalAdmins(tenantId);
    const created = await directory.createUser(tenantId, { displayName: 'New Person', userPrincipalName: 'new.person@contoso.com' });
    await directory.sendMail(tenantId, { to: ['ann.private@contoso.com'], subject: 'Code 493817', body: 'Your code is 493817' });
    await directory.installAppForUser(tenantId, ann.id);
    await directory.findBotChat(tenantId, ann.id);
    graph.revokeTokens();
    await directory.getUser(tenantId, ann.id); // 401, then a new token
    graph.failNext('/users', { status: 403, tenantId });
    await directory.findUserByEmail(tenantId, 'ann.private@contoso.com').catch(() => undefined);
    graph.failNext('/users', { status: 500, tenantId });
    await directory.findUserByEmail(tenantId, 'ann.private@contoso.com').catch(() => undefined);
    await directory.listGlobalAdmins(unconsented).catch(() => undefined);
    await badSecret.getUser(tenantId, ann.id).catch(() => undefined);

    const text = log.text();
    assert.ok(text.split('\n').length > 10, 'the run did log');
    assert.match(text, /graph token obtained/);
    assert.match(text, /graph call failed/);
    assert.match(text, /graph token request refused/);
    const secrets = [graph.clientSecret, 'wrong-secret-value-xyz', created.temporaryPassword, ...graph.issuedTokens, 'ann.private@contoso.com', 'new.person@contoso.com', '493817'];
    assert.ok(graph.issuedTokens.length >= 2, "a first token and the one after revocation");
    for (const secret of secrets) assert.ok(!text.includes(secret), `log contains ${secret.slice(0, 12)}…`);
    assert.doesNotMatch(text, /Bearer/);
  });
});
