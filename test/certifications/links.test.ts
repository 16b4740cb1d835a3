// Linking an MCID (seed 004): only by its owner, for themself, with an active membership; one
// organisation at a time (moving tells the old organisation's admins); a yearly limit on new
// associations with the date the next one is allowed; every change audited.
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import {
  canStartLink, linkedMcidsOf, linkVerified, LinkRefusedError, nextLinkAllowedAt, unlink, type LinkRefusalReason,
} from '../../services/certifications/links';
import {
  linkPartnerUniversityVerified, partnerUniversityAccessOf, removePartnerUniversityAccess,
} from '../../services/certifications/partnerUniversity';
import type { McidDoc } from '../../services/certifications/records';
import { loadRoster } from '../../services/competencies/roster';
import { useStoreSuite } from '../support/store';
import { addMember, addOrganisation, CONTOSO, FABRIKAM, freshIndexedDb, importRecords, removeMember } from '../competencies/fixtures';

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const refusedWith = (reason: LinkRefusalReason, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof LinkRefusedError, `expected a LinkRefusedError, got ${String(err)}`);
  assert.equal(err.refusal.reason, reason);
  if (message) assert.match(err.refusal.message, message);
  return true;
};

describe('certifications: MCID links', () => {
  const suite = useStoreSuite();
  let db: Db;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    await addOrganisation(db, CONTOSO);
    await addOrganisation(db, FABRIKAM);
    await importRecords(db, [{ mcid: '991000001', code: 'AZ-104', email: 'ada.personal@outlook.example' }, { mcid: '991000002', code: 'AZ-305' }]);
  });

  const audit = (orgId: string) => db.collection(collections.audit).find({ orgId }, { projection: { _id: 0 } }).sort({ at: 1 }).toArray();

  it('a member links their own MCID after proving it: the code goes to the MCID\'s address, the link is audited', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    const start = await canStartLink(db, ada, ' 991000001 ', { now: T0 });
    assert.deepEqual(start, { ok: true, mcid: '991000001', orgId: CONTOSO.orgId, organisationName: 'Contoso Ltd', proofAddress: 'ada.personal@outlook.example' });
    const outcome = await linkVerified(db, ada, '991000001', { now: T0 });
    assert.equal(outcome.orgId, CONTOSO.orgId);
    assert.equal(outcome.movedFrom, undefined);
    assert.deepEqual(outcome.tellAdmins, []);
    assert.deepEqual(await linkedMcidsOf(db, ada), [{ accountId: '991000001', orgId: CONTOSO.orgId, linkedAt: T0 }]);
    assert.deepEqual((await loadRoster(db, CONTOSO.orgId)).people.map((p) => p.mcids), [['991000001']]);
    const entries = await audit(CONTOSO.orgId);
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0], {
      orgId: CONTOSO.orgId, tenantId: CONTOSO.tenantId, actor: 'ada', action: 'mcid.linked', subject: '991000001',
      before: null, after: { orgId: CONTOSO.orgId, member: `${CONTOSO.tenantId}:ada` }, at: T0,
    });
    await assert.rejects(linkVerified(db, ada, '991000001', { now: at(1) }), refusedWith('alreadyLinked', /already linked to Contoso Ltd/));
  });

  it('an MCID that is not in the certification directory is refused', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    const start = await canStartLink(db, ada, '123456789', { now: T0 });
    assert.equal(start.ok, false);
    assert.equal(!start.ok && start.refusal.reason, 'notInDirectory');
    await assert.rejects(linkVerified(db, ada, '123456789', { now: T0 }), refusedWith('notInDirectory', /can't find MCID 123456789/));
  });

  it('linking without an active membership is refused', async () => {
    const stranger = { tenantId: CONTOSO.tenantId, aadObjectId: 'stranger' };
    await assert.rejects(linkVerified(db, stranger, '991000001', { now: T0 }), refusedWith('noMembership', /need to be associated/));
    const left = await addMember(db, CONTOSO, { aadObjectId: 'left' });
    await removeMember(db, left);
    const start = await canStartLink(db, left, '991000001', { now: T0 });
    assert.equal(!start.ok && start.refusal.reason, 'noMembership');
    // A member record of Contoso seen from Fabrikam's tenant grants nothing.
    await assert.rejects(linkVerified(db, { tenantId: FABRIKAM.tenantId, aadObjectId: 'ada' }, '991000001', { now: T0 }), refusedWith('noMembership'));
    assert.equal((await db.collection<McidDoc>(collections.mcids).findOne({ _id: '991000001' }))?.linked, undefined);
  });

  it("another person's MCID is refused: a colleague cannot link it, and nobody else can unlink it", async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    const bob = await addMember(db, CONTOSO, { aadObjectId: 'bob' });
    await linkVerified(db, ada, '991000001', { now: T0 });
    const start = await canStartLink(db, bob, '991000001', { now: T0 });
    assert.equal(!start.ok && start.refusal.reason, 'linkedToColleague');
    await assert.rejects(linkVerified(db, bob, '991000001', { now: T0 }), refusedWith('linkedToColleague', /linked to another person in your organisation/));
    await assert.rejects(unlink(db, bob, '991000001', { now: T0 }), refusedWith('notYours', /Only the person who linked/));
    const doc = await db.collection<McidDoc>(collections.mcids).findOne({ _id: '991000001' });
    assert.equal(doc?.linked?.aadObjectId, 'ada');
    await assert.rejects(unlink(db, bob, '991000002', { now: T0 }), refusedWith('notLinked'));
  });

  it('the owner unlinks it: it no longer counts, and the unlink is audited', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    await linkVerified(db, ada, '991000001', { now: T0 });
    const outcome = await unlink(db, ada, '991000001', { now: at(1) });
    assert.deepEqual(outcome, { accountId: '991000001', orgId: CONTOSO.orgId, tenantId: CONTOSO.tenantId, linkedSince: T0 });
    assert.deepEqual((await loadRoster(db, CONTOSO.orgId)).people, []);
    assert.deepEqual((await audit(CONTOSO.orgId)).map((e) => [e.action, e.before, e.after]), [
      ['mcid.linked', null, { orgId: CONTOSO.orgId, member: `${CONTOSO.tenantId}:ada` }],
      ['mcid.unlinked', { orgId: CONTOSO.orgId, member: `${CONTOSO.tenantId}:ada` }, null],
    ]);
  });

  it("linking to organisation B unlinks it from A in one step and names A's admins", async () => {
    await addMember(db, CONTOSO, { aadObjectId: 'gabriel', name: 'Gabriel Global', roles: ['globalAdmin'] });
    await addMember(db, CONTOSO, { aadObjectId: 'maria', name: 'Maria MPN', roles: ['mpnPartnerAdmin'] });
    await addMember(db, CONTOSO, { aadObjectId: 'uma', name: 'Uma User-Admin', roles: ['userManagementAdmin'] });
    const adaAtContoso = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    await linkVerified(db, adaAtContoso, '991000001', { now: T0 });
    // Ada changed jobs: a new identity in Fabrikam's tenant.
    const adaAtFabrikam = await addMember(db, FABRIKAM, { aadObjectId: 'ada-f' });
    const outcome = await linkVerified(db, adaAtFabrikam, '991000001', { now: at(10) });
    assert.equal(outcome.orgId, FABRIKAM.orgId);
    assert.deepEqual(outcome.movedFrom, { orgId: CONTOSO.orgId, tenantId: CONTOSO.tenantId });
    assert.deepEqual(outcome.tellAdmins.map((a) => a.displayName), ['Gabriel Global', 'Maria MPN']);
    assert.deepEqual((await loadRoster(db, CONTOSO.orgId)).people, []);
    assert.deepEqual((await loadRoster(db, FABRIKAM.orgId)).people.map((p) => p.aadObjectId), ['ada-f']);
    assert.deepEqual((await audit(CONTOSO.orgId)).map((e) => [e.action, e.after]), [
      ['mcid.linked', { orgId: CONTOSO.orgId, member: `${CONTOSO.tenantId}:ada` }],
      ['mcid.unlinked', { linkedElsewhere: true }],
    ]);
    assert.deepEqual((await audit(FABRIKAM.orgId)).map((e) => [e.action, e.before]), [['mcid.linked', { orgId: CONTOSO.orgId }]]);
    // Her old identity can no longer unlink it.
    await assert.rejects(unlink(db, adaAtContoso, '991000001'), refusedWith('notYours'));
  });

  it('at most 3 new associations per rolling year, and the profile shows when the next is allowed', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    assert.equal(await nextLinkAllowedAt(db, '991000001', { now: T0 }), null);
    for (const day of [0, 30, 60]) {
      const outcome = await linkVerified(db, ada, '991000001', { now: at(day) });
      await unlink(db, ada, '991000001', { now: at(day + 1) });
      assert.equal(outcome.nextLinkAllowedAt?.toISOString() ?? null, day === 60 ? at(365).toISOString() : null);
    }
    assert.deepEqual(await nextLinkAllowedAt(db, '991000001', { now: at(100) }), at(365));
    const start = await canStartLink(db, ada, '991000001', { now: at(100) });
    assert.equal(!start.ok && start.refusal.reason, 'limitReached');
    assert.deepEqual(!start.ok && start.refusal.nextAllowedAt, at(365));
    assert.match(!start.ok ? start.refusal.message : '', /3 new associations in the last 12 months.*from 1 March 2027/);
    await assert.rejects(linkVerified(db, ada, '991000001', { now: at(364) }), refusedWith('limitReached'));
    // A year after the first one, one more is allowed (and then the second one's year is next).
    const fourth = await linkVerified(db, ada, '991000001', { now: at(365) });
    assert.deepEqual(fourth.nextLinkAllowedAt, at(395));
  });

  it('the yearly limit is configurable', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    const policy = { maxNewLinks: 1, windowMs: 365 * DAY };
    await linkVerified(db, ada, '991000001', { now: T0, policy });
    await unlink(db, ada, '991000001', { now: at(1) });
    await assert.rejects(linkVerified(db, ada, '991000001', { now: at(2), policy }), refusedWith('limitReached', /1 new association in the last 12 months/));
    assert.deepEqual(await nextLinkAllowedAt(db, '991000001', { now: at(2), policy }), at(365));
  });

  it('input that is not a plain MCID or identity is refused before any query', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    for (const bad of [{ $gt: '' }, ['991000001'], '99100000x', '', 991000001]) {
      await assert.rejects(linkVerified(db, ada, bad, { now: T0 }), refusedWith('invalidInput', /MCID/));
    }
    const sneaky = { tenantId: CONTOSO.tenantId, aadObjectId: { $ne: null } } as unknown as typeof ada;
    await assert.rejects(linkVerified(db, sneaky, '991000001', { now: T0 }), refusedWith('invalidInput'));
    await assert.rejects(unlink(db, sneaky, '991000001'), refusedWith('invalidInput'));
    assert.equal((await db.collection<McidDoc>(collections.mcids).findOne({ _id: '991000001' }))?.linked, undefined);
  });

  it('two confirmations of the same link at once make one association', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    const results = await Promise.allSettled([linkVerified(db, ada, '991000001', { now: T0 }), linkVerified(db, ada, '991000001', { now: T0 })]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((rejected.reason as LinkRefusedError).refusal.reason, 'alreadyLinked');
    const doc = await db.collection<McidDoc>(collections.mcids).findOne({ _id: '991000001' });
    assert.equal(doc?.associations?.length, 1);
    assert.equal((await audit(CONTOSO.orgId)).length, 1);
  });

  it('Partner University access is linked and removed by the user, separately from the MCID', async () => {
    const ada = await addMember(db, CONTOSO, { aadObjectId: 'ada' });
    const bob = await addMember(db, CONTOSO, { aadObjectId: 'bob' });
    await linkVerified(db, ada, '991000001', { now: T0 });
    const linked = await linkPartnerUniversityVerified(db, ada, 'Ada@PartnerU.example', { now: at(0.5) });
    assert.equal(linked.accountId, 'ada@partneru.example');
    assert.deepEqual(await partnerUniversityAccessOf(db, ada), [{ accountId: 'ada@partneru.example', orgId: CONTOSO.orgId, linkedAt: at(0.5) }]);
    await assert.rejects(removePartnerUniversityAccess(db, bob, 'ada@partneru.example'), refusedWith('notYours'));
    await assert.rejects(linkPartnerUniversityVerified(db, bob, 'ada@partneru.example', { now: at(0.5) }), refusedWith('linkedToColleague'));
    await removePartnerUniversityAccess(db, ada, 'ada@partneru.example', { now: at(1) });
    assert.deepEqual(await partnerUniversityAccessOf(db, ada), []);
    assert.deepEqual(await linkedMcidsOf(db, ada), [{ accountId: '991000001', orgId: CONTOSO.orgId, linkedAt: T0 }], 'the MCID is untouched');
    assert.deepEqual((await audit(CONTOSO.orgId)).map((e) => e.action), ['mcid.linked', 'partnerUniversity.linked', 'partnerUniversity.unlinked']);
    await assert.rejects(linkPartnerUniversityVerified(db, ada, 'not an address', { now: T0 }), refusedWith('invalidInput', /Partner University/));
  });
});
