// User-typed e-mail addresses go into a Graph $filter. Quotes are doubled (OData) and the whole
// filter is URL-encoded, so no input can change the query: checked against the fake, which
// really evaluates what it is sent (including `1 eq 1`).
import assert from 'node:assert/strict';
import type { Directory } from '../../services/directory';
import { useFakeGraph } from './harness';

describe('directory: $filter escaping', () => {
  const fixture = useFakeGraph();
  let tenantId: string;
  let directory: Directory;

  beforeEach(() => {
    tenantId = fixture.newTenant();
    directory = fixture.directory();
    const graph = fixture.graph();
    graph.addUser(tenantId, { userPrincipalName: 'obrien@contoso.com', mail: "o'brien@contoso.com", displayName: "Pat O'Brien" });
    graph.addUser(tenantId, { userPrincipalName: 'ann@contoso.com' });
    graph.addUser(tenantId, { userPrincipalName: 'tom+tag@contoso.com' });
  });

  const lastUsersCall = () => fixture.graph().graphRequests().filter((r) => r.tenantId === tenantId && r.path === '/users').at(-1)!;

  it("finds an address containing a quote (o'brien@contoso.com)", async () => {
    const user = await directory.findUserByEmail(tenantId, "O'Brien@contoso.com");
    assert.equal(user?.displayName, "Pat O'Brien");
    assert.equal(lastUsersCall().query.$filter, "mail eq 'O''Brien@contoso.com' or userPrincipalName eq 'O''Brien@contoso.com'");
  });

  for (const attack of [
    "x' or 1 eq 1 or mail eq 'y",
    "x' or 1 eq 1 or mail eq 'y@contoso.com",
    "ann@contoso.com') or (1 eq 1",
    "' or '' eq '",
  ]) {
    it(`finds nothing for ${JSON.stringify(attack)}, and Graph itself matched nothing`, async () => {
      assert.equal(await directory.findUserByEmail(tenantId, attack), null);
      const call = lastUsersCall();
      assert.equal(call.status, 200);
      assert.deepEqual((call.response as { value: unknown[] }).value, []);
      const literal = `'${attack.replace(/'/g, "''")}'`;
      assert.equal(call.query.$filter, `mail eq ${literal} or userPrincipalName eq ${literal}`);
    });
  }

  it('keeps URL metacharacters inside the value: no extra query parameters, + stays a plus', async () => {
    assert.equal(await directory.findUserByEmail(tenantId, "x'&$filter=id ne null&$top=999#@contoso.com"), null);
    assert.deepEqual(Object.keys(lastUsersCall().query).sort(), ['$filter', '$select', '$top']);
    assert.equal((await directory.findUserByEmail(tenantId, 'tom+tag@contoso.com'))?.userPrincipalName, 'tom+tag@contoso.com');
    assert.equal(await directory.findUserByEmail(tenantId, 'tom%2Btag@contoso.com'), null);
  });

  it('the fake really would leak with an unescaped filter (so the tests above mean something)', async () => {
    const graph = fixture.graph();
    const token = await fetch(graph.tokenUrlTemplate.replace('{tenant}', tenantId), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: graph.clientId, client_secret: graph.clientSecret, scope: 'https://graph.microsoft.com/.default' }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const naive = `mail eq 'x' or 1 eq 1 or mail eq 'y'`;
    const response = await fetch(`${graph.baseUrl}/users?$filter=${encodeURIComponent(naive)}`, { headers: { authorization: `Bearer ${token.access_token}` } });
    const body = (await response.json()) as { value: unknown[] };
    assert.equal(body.value.length, 3);
  });
});
