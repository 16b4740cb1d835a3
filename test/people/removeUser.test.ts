// `remove user` end to end: a confirmation first, then the membership ends, the person's exams no
// longer count toward competencies (shown with evaluateOrganisation), the competency admins hear
// of a level that dropped, and the change is audited. The PPC, the last global admin, non-admins
// and other tenants' admins are refused.
import assert from 'node:assert/strict';
import { evaluateOrganisation } from '../../services/competencies/evaluate';
import { collections } from '../../services/db/collections';
import { linkVerified } from '../../services/certifications/links';
import { adaptiveCards } from '../support/botHarness';
import { texts } from '../support/orgFixture';
import { importRecords } from '../competencies/fixtures';
import { TEST_CATALOGUE } from '../competencies/testCatalogue';
import { invokeCard, invokeText, PARTNER_ID, startPeopleFixture, TENANT, type PeopleFixture } from './fixture';

describe('people: remove user', () => {
  let f: PeopleFixture;
  before(async () => { f = await startPeopleFixture(); });
  after(async () => { await f?.close(); });

  const status = async (email: string) => (await f.db.collection(collections.members).findOne({ email }))?.status;
  const silver = async () => {
    const evaluation = await evaluateOrganisation(f.db, PARTNER_ID, { catalogue: TEST_CATALOGUE, now: new Date() });
    const level = evaluation.competencies.find((c) => c.id === 'cloud-platform')!.levels.find((l) => l.id === 'silver')!;
    return level;
  };

  it("a user who left is removed after a confirmation, and their exams stop counting", async () => {
    // Two certified members make Cloud Platform Silver (two people with AZ-104).
    const ada = await f.person('Ada Certified', 'ada@fabrikam.example');
    const bob = await f.person('Bob Leaving', 'bob@fabrikam.example');
    for (const [user, mcid] of [[ada, '771000001'], [bob, '771000002']] as const) {
      await f.makeMember(user);
      await importRecords(f.db, [{ mcid, code: 'AZ-104', date: '2025-05-01' }]);
      await linkVerified(f.db, { tenantId: TENANT, aadObjectId: user.account.aadObjectId! }, mcid);
    }
    assert.equal((await silver()).met, true);

    const confirm = adaptiveCards(await f.accountAdmin.say('remove user BOB@fabrikam.example'))[0];
    assert.match(JSON.stringify(confirm), /Remove Bob Leaving\?/);
    assert.match(JSON.stringify(confirm), /"verb":"people\.remove","data":\{"email":"bob@fabrikam\.example"\}/);
    assert.equal(await status('bob@fabrikam.example'), 'associated', 'nothing happens before the confirmation');

    const done = await f.accountAdmin.execute('people.remove', { email: 'bob@fabrikam.example' });
    assert.match(invokeText(done), /Bob Leaving was removed from Fabrikam Partner\. Their exams no longer count toward its competencies\./);
    assert.equal(await status('bob@fabrikam.example'), 'removed');
    const level = await silver();
    assert.equal(level.met, false, 'Cloud Platform Silver is no longer met: only Ada counts');
    assert.equal(await f.db.collection(collections.audit).countDocuments({ action: 'user.removed', subject: 'bob@fabrikam.example', actor: f.accountAdmin.account.aadObjectId }), 1);
    // The organisation's competencies were evaluated again after the removal (the at-risk check keeps its snapshot).
    assert.ok(await f.db.collection(collections.competencySnapshots).findOne({ _id: PARTNER_ID as never }), 'competencies were re-evaluated');
    // Bob no longer has a member's rights.
    assert.match(texts(await bob.say('request role')), /You are not associated with an organisation yet/);
  });

  it('"Keep" changes nothing', async () => {
    const keep = await f.uma.execute('people.cancel', {});
    assert.match(invokeText(keep), /Nothing was changed/);
    assert.equal(await status('emil@fabrikam.example'), 'associated');
  });

  it('the PPC cannot be removed, nor the last global admin', async () => {
    assert.match(texts(await f.uma.say('remove user priya@fabrikam.example')), /Priya PPC is the Primary Program Contact\. Type \*\*transfer ppc\*\*/);
    const ppc = await f.uma.execute('people.remove', { email: 'priya@fabrikam.example' });
    assert.match(invokeText(ppc), /is the Primary Program Contact/);
    assert.equal(await status('priya@fabrikam.example'), 'associated');

    const lastAdmin = await f.uma.execute('people.remove', { email: 'gabe@fabrikam.example' });
    assert.match(invokeText(lastAdmin), /That would leave your organisation without a global admin/);
    assert.equal(await status('gabe@fabrikam.example'), 'associated', 'the removal was undone');
    assert.equal(await f.db.collection(collections.audit).countDocuments({ action: 'user.removed', subject: 'gabe@fabrikam.example' }), 0);
  });

  it('unknown addresses and bad input are refused with the reason', async () => {
    assert.match(texts(await f.uma.say('remove user nobody@fabrikam.example')), /No member of your organisation has the address nobody@fabrikam\.example/);
    assert.match(texts(await f.uma.say('remove user')), /Type \*\*remove user\*\* and the person's work e-mail/);
    const operator = await f.uma.execute('people.remove', { email: { $ne: '' } });
    assert.equal(operator.status, 400);
    assert.equal(await f.db.collection(collections.members).countDocuments({ tenantId: TENANT, status: 'removed' }), 1, 'only Bob was ever removed');
  });

  it("a member who is not an admin, or another tenant's admin, cannot remove anyone", async () => {
    assert.match(texts(await f.member.say('remove user axel@fabrikam.example')), /Only a global admin, an account admin or a user management admin can use \*\*remove\*\*/);
    const forged = await f.member.execute('people.remove', { email: 'axel@fabrikam.example' });
    assert.match(invokeText(forged), /can manage users/);
    const other = await f.otherAdmin.execute('people.remove', { email: 'axel@fabrikam.example' });
    assert.match(invokeText(other), /No member of your organisation has the address axel@fabrikam\.example/);
    assert.equal(await status('axel@fabrikam.example'), 'associated');
    assert.equal(invokeCard(other), undefined);
  });
});
