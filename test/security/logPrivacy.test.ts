// Privacy of logs (issue 7): the main flows end to end with logging at debug level — association
// with an e-mailed code, an invitation and its code (e-mailed through Graph), an MCID linked with
// a code, a user added with a temporary password, a skills report fetched with its token — then
// every line the bot and its Graph directory logged is scanned: no code, password, report token,
// bearer token or JWT, and no full e-mail address (masked ones, j***@contoso.com, are fine).
import assert from 'node:assert/strict';
import { collections } from '../../services/db/collections';
import { pollUntil } from '../support/storeAssertions';
import { texts } from '../support/orgFixture';
import type { TeamsUser } from '../support/botHarness';
import { ORG_A, startTwoTenants, TENANT_A, type TwoTenants } from './twoTenants';

const FULL_EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]{8,}/i;

describe('privacy of logs: the main flows at debug level', function () {
  this.timeout(60_000);
  let fx: TwoTenants;
  /** Every secret value the flows handled, by what it is. */
  const secrets: { what: string; value: string }[] = [];

  before(async () => { fx = await startTwoTenants({ LOG_LEVEL: 'debug' }); });
  after(async () => { await fx?.close(); });

  const lastCodeFor = (masked: string) => {
    const line = [...fx.bot.printed].reverse().find((l) => l.includes(`for ${masked}:`));
    const code = /: (\d{6})$/.exec(line ?? '')?.[1];
    assert.ok(code, `a code for ${masked}: ${fx.bot.printed.join(' | ')}`);
    return code;
  };
  const associate = async (user: TeamsUser, email: string, first = 'associate', orgStep = true) => {
    await user.say(first);
    if (orgStep) await user.say(ORG_A);
    return texts((await user.submit({ form: 'association.profile', displayName: user.account.name, email, phone: '+33 1 23 45 67 89', language: 'en', mcid: '' })).replies);
  };

  it('association with an e-mailed code', async () => {
    const carla = await fx.person('Carla Private', 'carla@fabrikam.example', TENANT_A);
    assert.match(await associate(carla, 'carla.private@fabrikam.example'), /sent a 6-digit code/);
    const code = lastCodeFor('c***@fabrikam.example');
    secrets.push({ what: 'association code', value: code });
    assert.match(texts(await carla.say(code)), /\(proven\)/);
    assert.match(texts(await carla.say('Yes')), /has been accepted/);
  });

  it('an invitation e-mailed through Graph, and joining with its code', async () => {
    const before = fx.a.ppc.conversation.activities.length;
    const reply = texts(await fx.a.ppc.say('invite ivan@fabrikam.example --no-teams'));
    const code = /join ([A-Z0-9]{10})/.exec(reply)?.[1];
    assert.ok(code, reply);
    secrets.push({ what: 'invitation code', value: code });
    await pollUntil(async () => fx.a.ppc.conversation.activities.slice(before).some((a) => /delivery finished/.test(a.text ?? '')), { timeoutMs: 15_000, what: 'the delivery summary' });
    assert.ok(fx.graph.graphRequests().some((r) => r.path.includes('sendMail') && r.status === 202 && JSON.stringify(r.body).includes(code)), 'the code went out by e-mail');
    const ivan = await fx.person('Ivan Invitee', 'ivan@fabrikam.example', TENANT_A);
    await ivan.say(`join ${code}`);
    const form = texts((await ivan.submit({ form: 'association.profile', displayName: 'Ivan Invitee', email: 'ivan@fabrikam.example', phone: '', language: 'en', mcid: '' })).replies);
    assert.match(form, /Send the request\?/);
    assert.match(texts(await ivan.say('Yes')), /has been accepted/);
  });

  it('an MCID linked with a code sent to its certification profile', async () => {
    const member = fx.a.member;
    await fx.db.collection(collections.mcids).updateOne({ _id: '771000101' as never }, { $unset: { linked: '' } });
    assert.match(texts(await member.say('link certification 771000101')), /6-digit code/);
    const code = lastCodeFor('e***@learn.example');
    secrets.push({ what: 'MCID code', value: code });
    assert.match(texts(await member.say(code)), /linked/i);
  });

  it('a user added with a temporary password', async () => {
    const result = await fx.a.admin.execute('people.add', { displayName: 'Tess Temporary', email: 'tess.temp@fabrikam.example', roles: '', contactTypes: '' });
    assert.equal(result.status, 200);
    const created = fx.graph.graphRequests().find((r) => r.method === 'POST' && r.path === '/users');
    const password = (created?.body as { passwordProfile?: { password?: string } } | undefined)?.passwordProfile?.password;
    assert.ok(password && password.length >= 12, 'Graph was asked to create the user with a password');
    assert.ok(JSON.stringify(result.body).includes(JSON.stringify(password).slice(1, -1)), 'the admin was shown it');
    secrets.push({ what: 'temporary password', value: password });
  });

  it('a skills report fetched with its signed link', async () => {
    const shown = texts(await fx.a.admin.say('skills report'));
    const link = /(http:\/\/[^\s)"]+\/api\/reports\/skills\?org=\d+&token=[^\s)"\\]+)/.exec(shown)?.[1];
    assert.ok(link, shown.slice(0, 300));
    assert.equal((await fetch(link)).status, 200);
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    secrets.push({ what: 'report token', value: token }, { what: 'report token signature', value: token.split('.')[2] });
    // A tampered link is refused, and logged without the token either.
    assert.equal((await fetch(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status, 403);
  });

  it('the logs hold none of it: no code, password, token or full e-mail address', () => {
    const lines = [...fx.bot.logs, ...fx.graphLogs];
    assert.ok(lines.length >= 5, `debug logging captured ${lines.length} lines`);
    assert.ok(lines.some((l) => /"level":20/.test(l)), 'debug lines were written');
    const all = lines.join('\n');
    for (const token of new Set(fx.graph.requests.map((r) => r.headers.authorization).filter((a): a is string => typeof a === 'string' && a.length > 0))) {
      secrets.push({ what: 'Graph access token', value: token.replace(/^Bearer\s+/i, '') });
    }
    const found = secrets.filter((s) => (/^\d+$/.test(s.value) ? new RegExp(`(?<!\\d)${s.value}(?!\\d)`).test(all) : all.includes(s.value)));
    assert.deepEqual(found.map((s) => s.what), [], 'secret values in the logs');
    assert.doesNotMatch(all, JWT);
    assert.doesNotMatch(all, BEARER);
    const addresses = [...new Set(all.match(FULL_EMAIL) ?? [])];
    assert.deepEqual(addresses, [], 'full e-mail addresses in the logs');
    process.stdout.write(`      log privacy: ${lines.length} log lines at debug level scanned for ${secrets.length} secret values, tokens and addresses: 0 found\n`);
  });
});
