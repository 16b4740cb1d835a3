// A competency at risk: when a level stops being met, its global admins and MPN partner admins
// are told once, with the cause and what is now missing; the same drop seen again (a second
// event, a second instance) tells nobody anything new.
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { AT_RISK_ALERT, checkCompetenciesAtRisk, type AtRiskAlert, type AtRiskCause } from '../../services/competencies/atRisk';
import { activityOf } from '../../services/outbox/outboxQueue';
import type { NotificationDoc } from '../../services/outbox/notification';
import type { Identity } from '../../services/access/identity';
import { linkVerified, unlink } from '../../services/certifications/links';
import { useStoreSuite } from '../support/store';
import { addMember, addOrganisation, certifiedMember, CONTOSO, FABRIKAM, freshIndexedDb, rememberChat, removeMember } from './fixtures';
import { TEST_CATALOGUE } from './testCatalogue';

const NOW = new Date('2026-06-01T12:00:00Z');
const options = { catalogue: TEST_CATALOGUE, now: NOW };
const alertOf = (doc: NotificationDoc) => (activityOf(doc).render as { data: AtRiskAlert }).data;

describe('competencies: at risk', () => {
  const suite = useStoreSuite();
  let db: Db;
  let ada: Identity;
  let bob: Identity;
  const outbox = () => db.collection<NotificationDoc>(collections.outbox).find({}).sort({ _id: 1 }).toArray();

  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    await addOrganisation(db, CONTOSO);
    await addOrganisation(db, FABRIKAM);
    const gabriel = await addMember(db, CONTOSO, { aadObjectId: 'gabriel', name: 'Gabriel', roles: ['globalAdmin'] });
    const maria = await addMember(db, CONTOSO, { aadObjectId: 'maria', name: 'Maria', roles: ['mpnPartnerAdmin'] });
    await addMember(db, CONTOSO, { aadObjectId: 'uma', name: 'Uma', roles: ['userManagementAdmin'] });
    for (const who of [gabriel, maria]) await rememberChat(db, who);
    await rememberChat(db, { tenantId: CONTOSO.tenantId, aadObjectId: 'uma' });
    ada = await certifiedMember(db, CONTOSO, { aadObjectId: 'ada', name: 'Ada', mcid: '991000001', codes: ['AZ-104'] });
    bob = await certifiedMember(db, CONTOSO, { aadObjectId: 'bob', name: 'Bob', mcid: '991000002', codes: ['AZ-104'] });
    // Cloud Platform Silver is met (two people); the first check records that as the baseline.
    const baseline = await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'other', text: 'start' }, options);
    assert.deepEqual(baseline.drops, []);
    assert.equal((await outbox()).length, 0);
  });

  it('a member removed: each competency admin is told once, with the cause and what is missing', async () => {
    await removeMember(db, bob);
    const cause: AtRiskCause = { kind: 'memberRemoved', personName: 'Bob' };
    const result = await checkCompetenciesAtRisk(db, CONTOSO.orgId, cause, options);
    assert.deepEqual(result.drops.map((d) => d.label), ['Cloud Platform Silver']);
    const sent = await outbox();
    assert.deepEqual(sent.map((n) => n.conversationId), ['a:chat-gabriel', 'a:chat-maria']); // not Uma: not a competency admin
    // Stored as data for the bot to render in the admin's language (the card: test/competencies/chat.test.ts).
    assert.deepEqual(activityOf(sent[0]), { type: 'message', render: { kind: AT_RISK_ALERT, data: {
      orgId: '1234567', organisation: 'Contoso Ltd', recipient: { tenantId: CONTOSO.tenantId, aadObjectId: 'gabriel' },
      competency: { id: 'cloud-platform', name: 'Cloud Platform', kind: 'competency' }, level: { id: 'silver', name: 'Silver', single: false },
      gaps: [{ kind: 'people', requirement: 'Two certified people', missing: 1, codes: ['AZ-104', 'AZ-305', '70-533'] }],
      cause: { kind: 'memberRemoved', personName: 'Bob' },
    } } });
    assert.deepEqual(result.drops[0].missing, ['1 more person with AZ-104, AZ-305 or 70-533 for Cloud Platform Silver']);
  });

  it('two events for the same drop send one alert', async () => {
    await removeMember(db, bob);
    await unlink(db, ada, '991000001');
    const first = await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'memberRemoved', personName: 'Bob' }, options);
    const second = await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'mcidUnlinked', personName: 'Ada' }, options);
    assert.equal(first.drops.length, 1);
    assert.equal(second.drops.length, 0);
    assert.equal((await outbox()).length, 2); // one per admin
  });

  it('two checks of the same drop at once (two instances) enqueue one alert per admin', async () => {
    await removeMember(db, bob);
    const results = await Promise.all(Array.from({ length: 4 }, () => checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'memberRemoved', personName: 'Bob' }, options)));
    assert.ok(results.some((r) => r.drops.length === 1));
    assert.equal((await outbox()).length, 2);
    const snapshot = await db.collection<{ _id: string; version: number }>(collections.competencySnapshots).findOne({ _id: CONTOSO.orgId });
    assert.equal(snapshot?.version, 2);
  });

  it('met again and then lost again is a new drop, told again', async () => {
    await removeMember(db, bob);
    await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'memberRemoved', personName: 'Bob' }, options);
    const carl = await certifiedMember(db, CONTOSO, { aadObjectId: 'carl', name: 'Carl', mcid: '991000003', codes: ['AZ-305'] });
    const back = await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'other', text: 'Carl linked his MCID.' }, options);
    assert.deepEqual(back.drops, []);
    // Carl takes a job at Fabrikam and links his MCID there.
    const carlAtFabrikam = await addMember(db, FABRIKAM, { aadObjectId: 'carl-f', name: 'Carl' });
    const moved = await linkVerified(db, carlAtFabrikam, '991000003', { now: NOW });
    assert.deepEqual(moved.tellAdmins.map((a) => a.displayName), ['Gabriel', 'Maria']);
    const again = await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'mcidLinkedElsewhere', personName: carl.name ?? 'Carl' }, options);
    assert.equal(again.drops.length, 1);
    const sent = await outbox();
    assert.equal(sent.length, 4);
    assert.deepEqual(alertOf(sent.find((n) => n._id.includes(':v3:'))!).cause, { kind: 'mcidLinkedElsewhere', personName: 'Carl' });
  });

  it('an expired retired exam is given as the cause; an admin who never chatted with the bot is listed as unreachable', async () => {
    await removeMember(db, bob);
    await certifiedMember(db, CONTOSO, { aadObjectId: 'cat', name: 'Cat', mcid: '991000004', codes: ['70-533'] });
    await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'other', text: 'Cat linked her MCID.' }, options); // met again (Ada + Cat)
    await addMember(db, CONTOSO, { aadObjectId: 'nina', name: 'Nina', roles: ['globalAdmin'] });
    const result = await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'retiredCredentialExpired', code: '70-533', countsUntil: '2026-12-31' },
      { ...options, now: new Date('2027-01-01T00:00:00Z') });
    assert.equal(result.drops.length, 1);
    assert.deepEqual(result.unreachable.map((a) => a.displayName), ['Nina']);
    assert.equal(result.alerts.length, 2);
    const sent = await db.collection<NotificationDoc>(collections.outbox).findOne({ _id: result.alerts[0].key });
    assert.deepEqual(alertOf(sent!).cause, { kind: 'retiredCredentialExpired', code: '70-533', countsUntil: '2026-12-31' });
  });
  it('a retirement compares with the state just before it, even when the snapshot predates people who certified since; a rerun alerts nobody again', async () => {
    await removeMember(db, bob);
    await checkCompetenciesAtRisk(db, CONTOSO.orgId, { kind: 'memberRemoved', personName: 'Bob' }, options); // Silver dropped: 2 alerts
    // Cat certifies with the retired 70-533: Silver is met again, but no event checks it.
    await certifiedMember(db, CONTOSO, { aadObjectId: 'cat', name: 'Cat', mcid: '991000004', codes: ['70-533'] });
    const retirement = new Date('2027-01-01T00:00:00Z');
    const cause: AtRiskCause = { kind: 'retiredCredentialExpired', code: '70-533', countsUntil: '2026-12-31' };
    const later = { catalogue: TEST_CATALOGUE, now: new Date('2027-01-01T00:05:00Z'), baselineBefore: retirement };
    const result = await checkCompetenciesAtRisk(db, CONTOSO.orgId, cause, later);
    assert.deepEqual(result.drops.map((d) => d.label), ['Cloud Platform Silver']);
    assert.equal((await outbox()).length, 4);
    const rerun = await checkCompetenciesAtRisk(db, CONTOSO.orgId, cause, later);
    assert.deepEqual(rerun.drops, []);
    assert.equal((await outbox()).length, 4);
  });
});
