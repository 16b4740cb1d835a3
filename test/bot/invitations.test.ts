// Invitations and pre-approved domains end to end over HTTP (seeds 001, 002).
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { adaptiveCards, TeamsUser } from '../support/botHarness';
import { startOrgFixture, texts, type OrgFixture } from '../support/orgFixture';

describe('invitations and pre-approved domains', () => {
  let fixture: OrgFixture;
  let db: Db;
  let ppc: TeamsUser;
  before(async () => { fixture = await startOrgFixture(); ({ db, ppc } = fixture); });
  after(async () => { await fixture?.close(); });

  const domainsOnCard = (card: Record<string, unknown>) => JSON.stringify(card).match(/"verb":"domains\.remove","data":\{"domain":"([^"]+)"/g)?.map((m) => m.split('"domain":"')[1].slice(0, -1)) ?? [];

  describe('domains', () => {
    it('the PPC lists, adds (normalised) and removes domains; each change is audited', async () => {
      const list = adaptiveCards(await ppc.say('domains'))[0];
      assert.deepEqual(domainsOnCard(list), ['fabrikam.example']);
      const added = await ppc.execute('domains.add', { domain: ' Bücher.Example ' });
      assert.deepEqual(domainsOnCard(added.body as Record<string, unknown>), ['fabrikam.example', 'xn--bcher-kva.example']);
      const removed = await ppc.execute('domains.remove', { domain: 'xn--bcher-kva.example' });
      assert.deepEqual(domainsOnCard((removed.body as { value: Record<string, unknown> }).value), ['fabrikam.example']);
      assert.equal(await db.collection(collections.audit).countDocuments({ action: { $in: ['domain.added', 'domain.removed'] } }), 2);
    });

    it('refuses public mail providers and things that are not domains, saying why', async () => {
      const gmail = await ppc.execute('domains.add', { domain: 'gmail.com' });
      assert.match(JSON.stringify(gmail.body), /gmail\.com is a public mail provider/);
      const url = await ppc.execute('domains.add', { domain: 'https://contoso.com/x' });
      assert.match(JSON.stringify(url.body), /is not a domain/);
      const org = await db.collection(collections.organisations).findOne({});
      assert.deepEqual(org?.preApprovedDomains, ['fabrikam.example']);
    });

    it('an employee cannot manage domains', async () => {
      const emp = fixture.person('Emp', 'emp@fabrikam.example');
      assert.match(texts(await emp.say('domains')), /Only the Primary Program Contact \(PPC\) or a global admin/);
      const forced = await emp.execute('domains.add', { domain: 'evil.example' });
      assert.match(JSON.stringify(forced.body), /Only the Primary Program Contact or a global admin can manage/);
    });
  });

  describe('invitations', () => {
    let code = '';

    it('the PPC invites a list; bad, repeated and already-associated addresses are reported apart', async () => {
      const [reply] = await ppc.say('invite ria@other.example; not-an-address; RIA@other.example, sam@other.example; gabe@fabrikam.example');
      const text = texts([reply]);
      assert.match(text, /Invited 2 to Fabrikam Partner Société: ria@other\.example, sam@other\.example/);
      assert.match(text, /Not e-mail addresses \(skipped\): not-an-address/);
      assert.match(text, /Listed more than once: ria@other\.example/);
      assert.match(text, /Already associated \(skipped\): gabe@fabrikam\.example/);
      code = /join ([A-Z0-9]{10})/.exec(text)?.[1] ?? '';
      assert.ok(code, text);
      const stored = JSON.stringify(await db.collection(collections.invitations).find({}).toArray());
      assert.equal(stored.includes(code), false, 'only the hash of the code is stored');
    });

    it('an invitee joins with the invited address and is accepted at once', async () => {
      const ria = fixture.person('Ria Invitee', 'ria@other.example');
      assert.match(texts(await ria.say(`join ${code}`)), /association\.profile/);
      const confirm = await ria.submit({ form: 'association.profile', displayName: 'Ria Invitee', email: 'ria@other.example', phone: '', language: 'fr', mcid: '' });
      assert.match(texts(confirm.replies), /Send the request\?/);
      assert.match(texts(await ria.say('Yes')), /has been accepted/);
      const invitation = await db.collection(collections.invitations).findOne({ email: 'ria@other.example' });
      assert.equal(invitation?.status, 'used');
    });

    it('joining with another address is refused with the reason', async () => {
      const tom = fixture.person('Tom Wrong', 'tom@other.example');
      await tom.say(`join ${code}`);
      await tom.submit({ form: 'association.profile', displayName: 'Tom Wrong', email: 'tom@other.example', phone: '', language: 'en', mcid: '' });
      assert.match(texts(await tom.say('Yes')), /This invitation was not sent to tom@other\.example/);
      assert.equal(await db.collection(collections.members).countDocuments({ email: 'tom@other.example' }), 0);
    });

    it('an unknown or revoked code is refused', async () => {
      const x = fixture.person('X', 'x@other.example');
      assert.match(texts(await x.say('join NOPE234567')), /That invitation code is not valid/);
      const open = await db.collection(collections.invitations).findOne({ email: 'sam@other.example' });
      const revoke = await ppc.execute('invitations.revoke', { invitationId: open!._id });
      assert.match(JSON.stringify(revoke.body), /Invitation revoked/);
      const sam = fixture.person('Sam', 'sam@other.example');
      assert.match(texts(await sam.say(`join ${code}`)), /That invitation code is not valid/);
    });

    it('an invitation form with no addresses is shown again with the problem', async () => {
      const form = await ppc.execute('invite.send', { addresses: '   ', language: 'en' });
      assert.match(JSON.stringify(form.body), /Type at least one work e-mail address/);
      const tooMany = await ppc.execute('invite.send', { addresses: Array.from({ length: 501 }, (_, i) => `p${i}@other.example`).join(';'), language: 'en' });
      assert.match(JSON.stringify(tooMany.body), /At most 500 addresses at once; you gave 501/);
    });
  });
});

describe('the audit log', () => {
  let fixture: OrgFixture;
  before(async () => { fixture = await startOrgFixture(); });
  after(async () => { await fixture?.close(); });

  it('shows a global admin the latest changes, filtered by person; others may not read it', async () => {
    await fixture.ppc.execute('domains.add', { domain: 'adatum.example' });
    await fixture.admin.execute('domains.add', { domain: 'contoso.example' });
    const all = texts(await fixture.admin.say('audit'));
    assert.match(all, /Gabe Admin, domain\.added \(contoso\.example\)[\s\S]*Priya PPC, domain\.added \(adatum\.example\)/);
    const mine = texts(await fixture.admin.say('audit priya@fabrikam.example'));
    assert.match(mine, /Priya PPC, domain\.added/);
    assert.doesNotMatch(mine, /Gabe Admin/);
    assert.match(texts(await fixture.ppc.say('audit')), /Only a global admin can use \*\*audit\*\*/);
  });
});
