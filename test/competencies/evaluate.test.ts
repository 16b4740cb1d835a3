// Competency status as an admin sees it: what is met, the progress, what is missing and who
// counts; removed members and expired retired exams stop counting; only global admins and MPN
// partner admins of the organisation may ask.
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import {
  CompetencyAccessError, competencyDetail, competencyStatus, evaluateOrganisation,
  type OrganisationEvaluation, type PeopleOptionResult, type PointsOptionResult,
} from '../../services/competencies/evaluate';
import type { Identity } from '../../services/access/identity';
import { linkVerified, unlink } from '../../services/certifications/links';
import { useStoreSuite } from '../support/store';
import { addMember, addOrganisation, certifiedMember, CONTOSO, FABRIKAM, freshIndexedDb, importRecords, removeMember } from './fixtures';
import { TEST_CATALOGUE } from './testCatalogue';

const NOW = new Date('2026-06-01T12:00:00Z');
const options = { catalogue: TEST_CATALOGUE, now: NOW };

const level = (e: OrganisationEvaluation, competency: string, id: string) => e.competencies.find((c) => c.id === competency)!.levels.find((l) => l.id === id)!;
const peopleOption = (e: OrganisationEvaluation, competency: string, lvl: string, option = 0) => level(e, competency, lvl).options[option] as PeopleOptionResult;

describe('competencies: status', () => {
  const suite = useStoreSuite();
  let db: Db;
  let gabriel: Identity;
  let ada: Identity;
  let bob: Identity;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    await addOrganisation(db, CONTOSO, 'priya');
    await addOrganisation(db, FABRIKAM);
    gabriel = await addMember(db, CONTOSO, { aadObjectId: 'gabriel', roles: ['globalAdmin'] });
    ada = await certifiedMember(db, CONTOSO, { aadObjectId: 'ada', mcid: '991000001', codes: ['AZ-104', 'AZ-305'] });
    bob = await certifiedMember(db, CONTOSO, { aadObjectId: 'bob', mcid: '991000002', codes: ['AZ-104'] });
    await certifiedMember(db, CONTOSO, { aadObjectId: 'cat', mcid: '991000003', codes: ['70-533'] });
    await certifiedMember(db, CONTOSO, { aadObjectId: 'dan', mcid: '991000004', codes: ['DP-203', 'MS-900'] });
  });

  it('a global admin sees what is met, the progress, what is missing and who counts with which exams', async () => {
    const status = await competencyStatus(db, gabriel, CONTOSO.orgId, options);
    assert.equal(status.countedPeople, 4);
    assert.equal(status.catalogueVersion, 'test-1');
    const silver = peopleOption(status, 'cloud-platform', 'silver');
    assert.equal(silver.met, true);
    assert.deepEqual(silver.progress, { have: 2, need: 2 });
    assert.deepEqual(silver.requirements[0].people.map((p) => [p.aadObjectId, p.mcids, p.codes]), [
      ['ada', ['991000001'], ['AZ-104', 'AZ-305']], ['bob', ['991000002'], ['AZ-104']], ['cat', ['991000003'], ['70-533']],
    ]);
    const gold = level(status, 'cloud-platform', 'gold');
    assert.equal(gold.met, false);
    assert.deepEqual(gold.missing, ['2 more people with AZ-104 for Cloud Platform Gold']);
    const goldOption = gold.options[0] as PeopleOptionResult;
    assert.deepEqual(goldOption.requirements.map((r) => [r.id, r.count, r.required, r.met]), [['administrators', 2, 4, false], ['architect', 1, 1, true]]);
    assert.deepEqual(goldOption.progress, { have: 3, need: 5 });
    const data = level(status, 'data-analytics', 'silver');
    assert.equal(data.met, false);
    assert.deepEqual(data.missing, ['1 more person with DP-203 for Data Analytics Silver (Data engineering option)']);
    assert.deepEqual(data.options.map((o) => o.missing), [
      ['1 more person with DP-203 for Data Analytics Silver (Data engineering option)'],
      ['2 more people with PL-300 for Data Analytics Silver (Business intelligence option)'],
    ]);
    assert.equal(status.competencies.find((c) => c.id === 'cloud-platform')!.met, true);
  });

  it('each person counts once per requirement, whatever else they hold', async () => {
    // Ada holds two of the three exams of the Silver requirement: she is one person.
    const status = await evaluateOrganisation(db, CONTOSO.orgId, options);
    const requirement = peopleOption(status, 'cloud-platform', 'silver').requirements[0];
    assert.equal(requirement.count, 3);
    assert.equal(requirement.people.filter((p) => p.aadObjectId === 'ada').length, 1);
  });

  it('a person with two MCIDs counts once, through the MCIDs that hold what counts', async () => {
    await importRecords(db, [{ mcid: '991000009', code: 'DP-203' }, { mcid: '991000009', code: 'AZ-104' }]);
    await linkVerified(db, bob, '991000009', { now: NOW });
    const status = await evaluateOrganisation(db, CONTOSO.orgId, options);
    const engineers = peopleOption(status, 'data-analytics', 'silver').requirements[0];
    assert.deepEqual(engineers.people.map((p) => [p.aadObjectId, p.mcids]), [['bob', ['991000009']], ['dan', ['991000004']]]);
    const administrators = (level(status, 'cloud-platform', 'gold').options[0] as PeopleOptionResult).requirements[0];
    assert.deepEqual(administrators.people.find((p) => p.aadObjectId === 'bob')?.mcids, ['991000002']);
    assert.equal(administrators.count, 2, 'Bob holds AZ-104 under both MCIDs and still counts once');
  });

  it("a removed member's exams no longer count, nor an unlinked MCID's", async () => {
    await removeMember(db, bob);
    let status = await evaluateOrganisation(db, CONTOSO.orgId, options);
    assert.equal(status.countedPeople, 3);
    assert.deepEqual(level(status, 'cloud-platform', 'gold').missing, ['3 more people with AZ-104 for Cloud Platform Gold']);
    assert.deepEqual(peopleOption(status, 'cloud-platform', 'silver').requirements[0].people.map((p) => p.aadObjectId), ['ada', 'cat']);
    await unlink(db, ada, '991000001');
    status = await evaluateOrganisation(db, CONTOSO.orgId, options);
    assert.equal(level(status, 'cloud-platform', 'silver').met, false);
    assert.deepEqual(level(status, 'cloud-platform', 'silver').missing, ['1 more person with AZ-104, AZ-305 or 70-533 for Cloud Platform Silver']);
  });

  it('an exam imported after the MCID was linked counts at once', async () => {
    await importRecords(db, [{ mcid: '991000004', code: 'DP-203', date: '2026-05-20' }, { mcid: '991000002', code: 'DP-203' }]);
    const status = await evaluateOrganisation(db, CONTOSO.orgId, options);
    const data = level(status, 'data-analytics', 'silver');
    assert.equal(data.met, true);
    assert.deepEqual(peopleOption(status, 'data-analytics', 'silver').requirements[0].people.map((p) => p.aadObjectId), ['bob', 'dan']);
  });

  it('a retired exam counts until its date and not after; the status says when it stops', async () => {
    await removeMember(db, bob); // Silver now rests on Ada and Cat, and Cat only has retired 70-533
    const lastDay = await evaluateOrganisation(db, CONTOSO.orgId, { ...options, now: new Date('2026-12-31T23:59:59Z') });
    const before = peopleOption(lastDay, 'cloud-platform', 'silver');
    assert.equal(before.met, true);
    assert.deepEqual(before.retired, [{
      type: 'exam', code: '70-533', title: undefined, countsUntil: '2026-12-31', stopsCountingAt: new Date('2027-01-01T00:00:00Z'), counting: true, holders: 1,
    }]);
    assert.deepEqual(before.metUntil, new Date('2027-01-01T00:00:00Z'));
    assert.deepEqual(level(lastDay, 'cloud-platform', 'silver').metUntil, new Date('2027-01-01T00:00:00Z'));

    const after = await evaluateOrganisation(db, CONTOSO.orgId, { ...options, now: new Date('2027-01-01T00:00:00Z') });
    const expired = peopleOption(after, 'cloud-platform', 'silver');
    assert.equal(expired.met, false);
    assert.equal(expired.retired[0].counting, false);
    assert.deepEqual(expired.requirements[0].codes, ['AZ-104', 'AZ-305']);
    assert.deepEqual(expired.missing, ['1 more person with AZ-104 or AZ-305 for Cloud Platform Silver']);
  });

  it('a points designation adds capped points per certified person against its threshold', async () => {
    const intermediate = { type: 'certification', code: 'AZURE-ADMINISTRATOR-ASSOCIATE' };
    const advanced = { type: 'certification', code: 'AZURE-SOLUTIONS-ARCHITECT-EXPERT' };
    for (let i = 0; i < 5; i += 1) await certifiedMember(db, CONTOSO, { aadObjectId: `int${i}`, mcid: `99200000${i}`, codes: [intermediate] });
    await certifiedMember(db, CONTOSO, { aadObjectId: 'arch1', mcid: '992000010', codes: [advanced, intermediate] });
    let status = await evaluateOrganisation(db, CONTOSO.orgId, options);
    let option = level(status, 'sp-infra', 'designation').options[0] as PointsOptionResult;
    assert.deepEqual(option.rules.map((r) => [r.id, r.count, r.points, r.capped]), [['intermediate', 6, 40, true], ['advanced', 1, 20, false]]);
    assert.deepEqual(option.progress, { points: 60, threshold: 70 });
    assert.equal(option.met, false);
    assert.deepEqual(option.missing, ['10 more points for Solutions Partner for Infrastructure (Azure): advanced certifications give 20 per person (40 more possible)']);
    await certifiedMember(db, CONTOSO, { aadObjectId: 'arch2', mcid: '992000011', codes: [advanced] });
    status = await evaluateOrganisation(db, CONTOSO.orgId, options);
    option = level(status, 'sp-infra', 'designation').options[0] as PointsOptionResult;
    assert.deepEqual(option.progress, { points: 80, threshold: 70 });
    assert.equal(option.met, true);
    assert.deepEqual(option.missing, []);
  });

  it('a non-admin asking for status is refused with a message saying who can', async () => {
    await assert.rejects(competencyStatus(db, ada, CONTOSO.orgId, options), (err: unknown) => {
      assert.ok(err instanceof CompetencyAccessError);
      assert.equal(err.reason, 'notAdmin');
      assert.match(err.message, /Only global admins and MPN partner admins can see competency status/);
      return true;
    });
    // The PPC manages associations, not competencies.
    const priya = await addMember(db, CONTOSO, { aadObjectId: 'priya' });
    await assert.rejects(competencyStatus(db, priya, CONTOSO.orgId, options), (err: unknown) => err instanceof CompetencyAccessError && err.reason === 'notAdmin');
  });

  it('an MPN partner admin may ask; an admin of another organisation, a removed admin or a forged request may not', async () => {
    const maria = await addMember(db, CONTOSO, { aadObjectId: 'maria', roles: ['mpnPartnerAdmin'] });
    assert.equal((await competencyStatus(db, maria, CONTOSO.orgId, options)).orgId, CONTOSO.orgId);
    const fabrikamAdmin = await addMember(db, FABRIKAM, { aadObjectId: 'frank', roles: ['globalAdmin'] });
    const refused = (reason: string) => (err: unknown) => err instanceof CompetencyAccessError && err.reason === reason;
    await assert.rejects(competencyStatus(db, fabrikamAdmin, CONTOSO.orgId, options), refused('otherOrganisation'));
    await assert.rejects(competencyStatus(db, { tenantId: FABRIKAM.tenantId, aadObjectId: 'gabriel' }, CONTOSO.orgId, options), refused('otherOrganisation'));
    await assert.rejects(competencyStatus(db, gabriel, '999', options), refused('otherOrganisation'));
    await removeMember(db, gabriel);
    await assert.rejects(competencyStatus(db, gabriel, CONTOSO.orgId, options), refused('otherOrganisation'));
    await assert.rejects(competencyStatus(db, maria, { $ne: null } as unknown as string, options), refused('invalidRequest'));
  });

  it('one competency in detail names the people who count', async () => {
    const detail = await competencyDetail(db, gabriel, CONTOSO.orgId, 'cloud-platform', options);
    assert.equal(detail.competency.name, 'Cloud Platform');
    assert.equal(detail.names.get(`${CONTOSO.tenantId}:ada`)?.displayName, 'Person ada');
    assert.equal(detail.names.size, 3);
  });
});
