import assert from 'node:assert/strict';
import { collections } from '../../services/db/collections';
import { importSeed } from '../../services/organisations/importSeed';
import { useStoreSuite } from '../support/store';

const T = '99999999-cccc-4000-8000-000000000009';
const PPC = '99999999-cccc-4000-8000-0000000000aa';

describe('importing organisations and members from a seed file', () => {
  const suite = useStoreSuite();
  const file = {
    organisations: [
      { partnerId: '3131313', legalName: 'Adatum Ltd', country: 'ie', address: '1 Quay, Dublin', tenantId: T, preApprovedDomains: ['Adatum.example'], ppcAadObjectId: PPC },
      { partnerId: 'ABC', legalName: 'Bad Row', country: 'IE', address: 'x', tenantId: T, ppcAadObjectId: PPC },
    ],
    members: [
      { partnerId: '3131313', aadObjectId: PPC, email: 'Pat@Adatum.example', displayName: 'Pat', roles: ['globalAdmin'] },
      { partnerId: '3131313', aadObjectId: PPC.replace('aa', 'ab'), email: 'not-an-email', displayName: 'Bad' },
      { partnerId: '4545454', aadObjectId: PPC.replace('aa', 'ac'), email: 'x@y.example', displayName: 'Orphan' },
      { partnerId: '3131313', aadObjectId: PPC.replace('aa', 'ad'), email: 'r@adatum.example', displayName: 'Root', roles: ['superuser'] },
    ],
  };

  it('imports good rows and reports each bad one with its position and reason', async () => {
    const report = await importSeed(suite.db, file);
    assert.equal(report.organisations, 1);
    assert.equal(report.members, 1);
    assert.equal(report.problems.length, 4);
    assert.match(report.problems[0], /^organisations\[1\]\.partnerId: A Partner ID is 4 to 10 digits/);
    assert.match(report.problems[1], /^members\[1\]\.email: "not-an-email" is not an e-mail address/);
    assert.match(report.problems[2], /^members\[2\]\.partnerId: no organisation has Partner ID 4545454/);
    assert.match(report.problems[3], /^members\[3\]\.roles\.0: /);
    const org = await suite.db.collection(collections.organisations).findOne({ _id: '3131313' as never });
    assert.equal(org?.country, 'IE');
    assert.deepEqual(org?.preApprovedDomains, ['adatum.example']);
    assert.equal((await suite.db.collection(collections.members).findOne({ aadObjectId: PPC }))?.email, 'pat@adatum.example');
  });

  it('importing twice changes nothing', async () => {
    const before = await suite.db.collection(collections.organisations).find().toArray();
    await importSeed(suite.db, file);
    assert.deepEqual(await suite.db.collection(collections.organisations).find().toArray(), before);
    assert.equal(await suite.db.collection(collections.members).countDocuments(), 1);
  });

  it('a file of the wrong shape is one clear problem', async () => {
    const report = await importSeed(suite.db, [1, 2]);
    assert.match(report.problems[0], /expected \{ "organisations": \[\.\.\.\], "members": \[\.\.\.\] \}/);
  });
});
