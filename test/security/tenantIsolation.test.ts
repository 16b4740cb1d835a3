// Tenant isolation (issue 7): a matrix over every command (with plausible arguments aimed at
// tenant A) and every card verb the running router knows (with tenant A's ids), played by three
// users of tenant B: its global admin, a member and a newcomer. Each cell: no server error,
// nothing of tenant A's organisation stored changes (digest), and nothing of A's (names,
// addresses, ids, tokens) appears in what B's user is shown, except what they typed themselves.
import assert from 'node:assert/strict';
import type { Document } from 'bson';
import { COMMANDS } from '../../bot/commands';
import { assertSameDigest, digestOf, mentionsAny, TIMER_BOOKKEEPING_FIELDS } from '../support/digest';
import { texts } from '../support/orgFixture';
import type { TeamsUser } from '../support/botHarness';
import { ORG_A, ORG_B, startTwoTenants, TENANT_A, TENANT_B, type TwoTenants } from './twoTenants';

/** Arguments for each command, aimed at tenant A where the command takes any. */
function commandArgs(fx: TwoTenants): Record<string, string[]> {
  const a = fx.a.data;
  return {
    help: [''], associate: [ORG_A, 'Fabrikam'], status: [''], profile: [''], mcid: [''], admins: [''], who: ['is my admin'],
    approvals: [''], invite: ['', 'someone@northwind.example --no-teams --no-email'], users: ['', 'ppc'], competencies: ['', 'skills report'],
    set: ['approvals channel'], join: [a.invitationCode], domains: [''], register: [''], audit: ['', 'priya@fabrikam.example'],
    invitations: [''], add: ['user'], remove: ['user emil@fabrikam.example'], transfer: ['ppc', 'ppc priya@fabrikam.example'], request: ['role'],
    link: [`certification ${a.mcid}`, 'partner university emil@fabrikam.example'], unlink: ['certification', 'partner university'],
  };
}

/** Payloads for each card verb, carrying tenant A's ids. */
function verbPayloads(fx: TwoTenants): Record<string, Record<string, unknown>[]> {
  const a = fx.a.data;
  const aMember = fx.a.member.account.aadObjectId!;
  return {
    'command.run': [{ command: 'approvals' }, { command: 'users' }],
    'association.approve': [{ requestId: a.requestId }],
    'association.reject': [{ requestId: a.requestId, reason: 'no' }],
    'association.view': [{ requestId: a.requestId }],
    'association.pendingPage': [{ page: 0 }],
    'association.bulk': [{ decision: 'approve', [`req_${a.requestId}`]: 'true' }, { decision: 'reject', [`req_${a.requestId}`]: 'true' }],
    'association.cancel': [{ requestId: a.requestId }],
    'invite.send': [{ addresses: 'ivy.invitee@fabrikam.example', language: 'en', teams: 'false', email: 'false' }],
    'invitations.revoke': [{ invitationId: a.invitationId }],
    'domains.add': [{ domain: 'fabrikam.example' }],
    'domains.remove': [{ domain: 'fabrikam.example' }],
    'invitation.join': [{ code: a.invitationCode }],
    'certifications.start': [{ action: 'link', kind: 'mcid' }, { action: 'unlink', kind: 'mcid', accountId: a.mcid }],
    'competency.status': [{ orgId: ORG_A }],
    'competency.detail': a.competencyIds.map((competencyId) => ({ orgId: ORG_A, competencyId })),
    'competency.report': [{ orgId: ORG_A }],
    'people.page': [{ page: 0 }, { page: 0, role: 'globalAdmin' }],
    'people.addForm': [{}],
    'people.add': [{ displayName: 'Emil Again', email: 'emil@fabrikam.example', roles: 'globalAdmin', contactTypes: '' }],
    'people.roles': [{ aadObjectId: aMember }],
    'people.setRoles': [{ aadObjectId: aMember, roles: 'globalAdmin', contactTypes: 'technical' }],
    'people.confirmRemove': [{ email: 'emil@fabrikam.example' }],
    'people.remove': [{ email: 'emil@fabrikam.example' }, { email: 'priya@fabrikam.example' }],
    'people.cancel': [{}],
    'ppc.pick': [{ aadObjectId: aMember }],
    'ppc.transfer': [{ aadObjectId: aMember }, { aadObjectId: fx.a.ppc.account.aadObjectId }],
    'roles.request': [{ roles: 'accountAdmin', contactTypes: '' }],
    'roles.grant': [{ requestId: a.roleRequestId }],
    'roles.deny': [{ requestId: a.roleRequestId }],
  };
}

/** A verb added later without a case here still runs, with every A id under every likely field. */
function anyVerbPayload(fx: TwoTenants): Record<string, unknown> {
  const a = fx.a.data;
  return { requestId: a.requestId, invitationId: a.invitationId, aadObjectId: fx.a.member.account.aadObjectId, orgId: ORG_A, email: 'emil@fabrikam.example', code: a.invitationCode, mcid: a.mcid, competencyId: a.competencyIds[0], page: 0 };
}

describe('tenant isolation: every command and card verb, played by tenant B against tenant A', function () {
  this.timeout(60_000);
  let fx: TwoTenants;
  let onlyA: (doc: Document) => boolean;

  before(async () => {
    fx = await startTwoTenants();
    const mentionsA = mentionsAny([TENANT_A, `"${ORG_A}"`]);
    const mentionsB = mentionsAny([TENANT_B, `"${ORG_B}"`]);
    // A's documents, and shared ones (the certification directory); B's own may change.
    onlyA = (doc) => mentionsA(doc) || !mentionsB(doc);
  });
  after(async () => { await fx?.close(); });

  const cells: string[] = [];
  let northwindSeen = 0;

  /** Checks one cell: no 5xx, A's digest unchanged, nothing of A's shown; returns what was shown. */
  async function cell(actor: TeamsUser, label: string, input: string, act: () => Promise<{ status: number; shown: string }>): Promise<void> {
    const before = await digestOf(fx.db, { exclude: ['botState'], only: onlyA, ignoreFields: TIMER_BOOKKEEPING_FIELDS });
    const { status, shown } = await act();
    cells.push(label);
    assert.ok(status < 500, `${label}: status ${status}`);
    const leaked = fx.a.data.secrets.filter((s) => !input.includes(s) && shown.includes(s));
    assert.deepEqual(leaked, [], `${label}: tenant A's ${leaked.join(', ')} shown to ${actor.account.name}: ${shown.slice(0, 600)}`);
    if (/Northwind/.test(shown)) northwindSeen++;
    assertSameDigest(await digestOf(fx.db, { exclude: ['botState'], only: onlyA, ignoreFields: TIMER_BOOKKEEPING_FIELDS }), before, `${label}: tenant A's data`);
  }

  const actors = () => [['B global admin', fx.b.admin], ['B member', fx.b.member], ['B newcomer', fx.b.newcomer]] as const;

  it('every command, with arguments aimed at tenant A', async () => {
    const args = commandArgs(fx);
    for (const command of COMMANDS) assert.ok(args[command.name], `no arguments for command ${command.name}: add them to the matrix`);
    for (const [role, actor] of actors()) {
      for (const command of COMMANDS) {
        for (const arg of args[command.name]) {
          const text = `${command.title === 'set approvals channel' ? 'set' : command.name} ${arg}`.trim();
          await cell(actor, `${role}: "${text}"`, text, async () => {
            const replies = await actor.say(text);
            // A guided conversation is left at its first question; the next cell starts clean.
            const after = await actor.say('cancel');
            return { status: 200, shown: texts([...replies, ...after]) };
          });
        }
      }
    }
  });

  it('every card verb the router knows, as Action.Execute and as Action.Submit, with tenant A\'s ids', async () => {
    const payloads = verbPayloads(fx);
    const verbs = fx.bot.running.cardActions.verbs();
    assert.ok(verbs.length >= 25, `verbs: ${verbs.join(', ')}`);
    for (const [role, actor] of actors()) {
      for (const verb of verbs) {
        for (const data of payloads[verb] ?? [anyVerbPayload(fx)]) {
          const input = JSON.stringify(data);
          await cell(actor, `${role}: execute ${verb} ${input}`, input, async () => {
            const result = await actor.execute(verb, data);
            await actor.say('cancel');
            return { status: result.status, shown: `${JSON.stringify(result.body)} ${texts(result.replies)}` };
          });
          await cell(actor, `${role}: submit ${verb} ${input}`, input, async () => {
            const result = await actor.submit({ verb, ...data });
            await actor.say('cancel');
            return { status: result.status, shown: texts(result.replies) };
          });
        }
      }
    }
    const uncovered = verbs.filter((v) => !payloads[v]);
    assert.deepEqual(uncovered, [], 'verbs without a case of their own in the matrix (they ran with every A id)');
  });

  it('the matrix was not vacuous: B saw its own organisation, and A is still whole', async () => {
    assert.ok(northwindSeen >= 10, `replies naming B's organisation: ${northwindSeen}`);
    const a = fx.a.data;
    const request = await fx.db.collection('associationRequests').findOne({ _id: a.requestId as never });
    assert.equal(request?.status, 'pending');
    assert.equal((await fx.db.collection('invitations').findOne({ _id: a.invitationId as never }))?.status, 'open');
    assert.equal((await fx.db.collection('roleRequests').findOne({ _id: a.roleRequestId as never }))?.status, 'pending');
    assert.equal((await fx.db.collection('organisations').findOne({ _id: ORG_A as never }))?.ppcAadObjectId, fx.a.ppc.account.aadObjectId);
    process.stdout.write(`      tenant isolation: ${cells.length} cells (${COMMANDS.length} commands, ${fx.bot.running.cardActions.verbs().length} verbs × 3 users of tenant B), 0 leaks, tenant A's data unchanged\n`);
  });

  it("a Partner ID of tenant A's organisation is named as another tenant's, without its name or address (regression)", async () => {
    const shown = texts(await fx.b.newcomer.say(`associate ${ORG_A}`));
    await fx.b.newcomer.say('cancel');
    assert.match(shown, /Partner ID 5151515 belongs to an organisation of another Microsoft Entra tenant/);
    assert.doesNotMatch(shown, /Fabrikam|rue de la Paix/);
  });

  it("the skills report: tenant B's own link does not open tenant A's report, nor does a link for A from B's chat", async () => {
    const shown = texts(await fx.b.admin.say('skills report'));
    const link = /(http:\/\/[^\s)"]+\/api\/reports\/skills\?org=\d+&token=[^\s)"\\]+)/.exec(shown)?.[1];
    assert.ok(link, `a report link for B: ${shown.slice(0, 400)}`);
    assert.equal((await fetch(link)).status, 200);
    const url = new URL(link);
    url.searchParams.set('org', ORG_A);
    const forA = await fetch(url);
    assert.equal(forA.status, 403);
    assert.doesNotMatch(await forA.text(), /Emil|Fabrikam|771000101/);
  });
});
