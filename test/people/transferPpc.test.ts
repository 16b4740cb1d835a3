// `transfer ppc` end to end: only the PPC or a global admin may hand the role on; afterwards
// there is exactly one PPC, the new one, with the PPC's rights, and both are told.
import assert from 'node:assert/strict';
import { collections } from '../../services/db/collections';
import { rolesOf } from '../../services/access/roles';
import { adaptiveCards } from '../support/botHarness';
import { texts } from '../support/orgFixture';
import { invokeCard, invokeText, PARTNER_ID, startPeopleFixture, TENANT, type PeopleFixture } from './fixture';

describe('people: transfer ppc', () => {
  let f: PeopleFixture;
  before(async () => { f = await startPeopleFixture(); });
  after(async () => { await f?.close(); });

  const ppcOf = async () => (await f.db.collection(collections.organisations).findOne({ _id: PARTNER_ID as never }))?.ppcAadObjectId as string;
  const ppcCount = async () => {
    let n = 0;
    for (const user of [f.ppc, f.admin, f.uma, f.accountAdmin, f.member]) {
      if ((await rolesOf(f.db, { tenantId: TENANT, aadObjectId: user.account.aadObjectId! })).has('ppc')) n++;
    }
    return n;
  };

  it('is refused to someone who is neither the PPC nor a global admin', async () => {
    assert.match(texts(await f.accountAdmin.say('transfer ppc')), /Only the Primary Program Contact \(PPC\) or a global admin can use \*\*transfer\*\*/);
    const forged = await f.uma.execute('ppc.transfer', { aadObjectId: f.uma.account.aadObjectId });
    assert.match(invokeText(forged), /Only the Primary Program Contact or a global admin can hand on the Primary Program Contact role/);
    const foreign = await f.otherAdmin.execute('ppc.transfer', { aadObjectId: f.member.account.aadObjectId });
    assert.match(invokeText(foreign), /I can't find that member/);
    assert.equal(await ppcOf(), f.ppc.account.aadObjectId);
  });

  it('the PPC picks a member, confirms, and there is exactly one PPC after: the new one', async () => {
    const picker = adaptiveCards(await f.ppc.say('transfer ppc'))[0];
    const json = JSON.stringify(picker);
    assert.match(json, /Priya PPC is the Primary Program Contact of Fabrikam Partner/);
    assert.match(json, /Emil Employee <emil@fabrikam\.example>/);
    assert.doesNotMatch(json, /"title":"Priya PPC </, 'the current PPC is not offered');

    const confirm = invokeCard(await f.ppc.execute('ppc.pick', { aadObjectId: f.member.account.aadObjectId }));
    assert.match(JSON.stringify(confirm), /Make Emil Employee the Primary Program Contact\?/);
    assert.equal(await ppcOf(), f.ppc.account.aadObjectId, 'nothing changes before the confirmation');

    const done = await f.ppc.execute('ppc.transfer', { aadObjectId: f.member.account.aadObjectId });
    assert.match(invokeText(done), /Emil Employee is now the Primary Program Contact of Fabrikam Partner/);
    assert.equal(await ppcOf(), f.member.account.aadObjectId);
    assert.equal(await ppcCount(), 1);
    await f.waitForMessage(f.member, /Priya PPC made you the Primary Program Contact of \*\*Fabrikam Partner\*\*/);
    assert.equal(await f.db.collection(collections.audit).countDocuments({ action: 'ppc.transferred', subject: 'emil@fabrikam.example' }), 1);

    // Priya no longer has the PPC's rights; Emil has them.
    assert.match(texts(await f.ppc.say('transfer ppc')), /Only the Primary Program Contact \(PPC\) or a global admin can use/);
    assert.match(texts(await f.ppc.say('approvals')), /Only the Primary Program Contact \(PPC\) or a global admin can use/);
    assert.doesNotMatch(texts(await f.member.say('approvals')), /Only the Primary Program Contact/);
  });

  it('a global admin hands it on by e-mail; the previous PPC is told', async () => {
    const confirm = adaptiveCards(await f.admin.say('transfer ppc axel@fabrikam.example'))[0];
    assert.match(JSON.stringify(confirm), /Make Axel Account the Primary Program Contact\?/);
    const done = await f.admin.execute('ppc.transfer', { aadObjectId: f.accountAdmin.account.aadObjectId });
    assert.match(invokeText(done), /Axel Account is now the Primary Program Contact/);
    assert.equal(await ppcOf(), f.accountAdmin.account.aadObjectId);
    assert.equal(await ppcCount(), 1);
    await f.waitForMessage(f.member, /Gabe Admin handed the Primary Program Contact role of \*\*Fabrikam Partner\*\* to Axel Account/);
    await f.waitForMessage(f.accountAdmin, /Gabe Admin made you the Primary Program Contact/);
  });

  it('a stale confirmation, the current PPC, a non-member or bad input change nothing', async () => {
    // Emil's old card: he is no longer the PPC, so he may not transfer.
    const stale = await f.member.execute('ppc.transfer', { aadObjectId: f.uma.account.aadObjectId });
    assert.match(invokeText(stale), /Only the Primary Program Contact or a global admin/);
    assert.match(invokeText(await f.admin.execute('ppc.pick', { aadObjectId: f.accountAdmin.account.aadObjectId })), /Axel Account is already the Primary Program Contact/);
    assert.match(texts(await f.admin.say('transfer ppc nobody@fabrikam.example')), /No member of your organisation has the address nobody@fabrikam\.example/);
    assert.match(invokeText(await f.admin.execute('ppc.pick', {})), /I can't find that member/);
    assert.equal((await f.admin.execute('ppc.transfer', { aadObjectId: { $ne: null } })).status, 400);
    assert.equal(await ppcOf(), f.accountAdmin.account.aadObjectId);
    assert.equal(await ppcCount(), 1);
  });

  it('two transfers at once: one wins, there is still exactly one PPC', async () => {
    const [a, b] = await Promise.all([
      f.admin.execute('ppc.transfer', { aadObjectId: f.uma.account.aadObjectId }),
      f.accountAdmin.execute('ppc.transfer', { aadObjectId: f.member.account.aadObjectId }),
    ]);
    // Each either wins, or sees the PPC changed under it (or, having lost the role, may no longer transfer).
    const outcomes = [invokeText(a), invokeText(b)];
    assert.ok(outcomes.some((o) => /is now the Primary Program Contact/.test(o)), outcomes.join('\n'));
    for (const o of outcomes) assert.match(o, /is now the Primary Program Contact|Someone changed this at the same moment|Only the Primary Program Contact or a global admin/);
    assert.equal(await ppcCount(), 1);
    assert.ok([f.uma.account.aadObjectId, f.member.account.aadObjectId].includes(await ppcOf()));
  });
});
