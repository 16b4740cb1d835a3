// The authorization table as a full matrix: every action × every kind of person, allowed and
// refused. The expected matrix is written out here by hand from DESIGN §3 and the seeds, not
// derived from the table, so a change to who may do what has to be made in both places.
import assert from 'node:assert/strict';
import { ALL_ACTIONS, authorized, principalsOf, type Action, type Principal } from '../../services/access/authorization';
import { CAPABILITIES, may, type Role } from '../../services/access/capabilities';

// Columns: signed in but not associated, plain member, then members holding one role each.
const COLUMNS = ['nonMember', 'member', 'globalAdmin', 'accountAdmin', 'userManagementAdmin', 'mpnPartnerAdmin', 'ppc'] as const;
type Column = (typeof COLUMNS)[number];

const principals = (column: Column): Set<Principal> =>
  column === 'nonMember' ? new Set() : principalsOf(column === 'member' ? [] : [column as Role], true);

//                                   non  mem  GA   AA   UMA  MPN  PPC
const EXPECTED: Record<Action, string> = {
  help:                            'x    x    x    x    x    x    x',
  'association.request':           'x    x    x    x    x    x    x',
  'association.status':            'x    x    x    x    x    x    x',
  'profile.edit':                  'x    x    x    x    x    x    x',
  'organisation.register':         'x    x    x    x    x    x    x',
  'admins.find':                   'x    x    x    x    x    x    x',
  'role.request':                  '.    x    x    x    x    x    x',
  'certification.linkOwn':         '.    x    x    x    x    x    x',
  'association.decide':            '.    .    x    .    .    .    x',
  'invitation.manage':             '.    .    x    .    .    .    x',
  'domains.manage':                '.    .    x    .    .    .    x',
  'approvalsChannel.set':          '.    .    x    .    .    .    x',
  'ppc.transfer':                  '.    .    x    .    .    .    x',
  'user.add':                      '.    .    x    x    x    .    .',
  'user.remove':                   '.    .    x    x    x    .    .',
  'user.list':                     '.    .    x    x    x    .    .',
  'user.changeRoles':              '.    .    x    x    x    .    .',
  'roleRequest.decide':            '.    .    x    x    x    .    .',
  'role.assignGlobalAdmin':        '.    .    x    .    .    .    .',
  'competency.status':             '.    .    x    .    .    x    .',
  'skills.report':                 '.    .    x    .    .    x    .',
  'transcripts.import':            '.    .    x    .    .    x    .',
  'audit.read':                    '.    .    x    .    .    .    .',
};

const cells = (row: string) => row.split(/\s+/).map((c) => c === 'x');

describe('authorization: every role × every action', () => {
  it('the matrix covers exactly the actions of the table', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), [...ALL_ACTIONS].sort());
  });

  for (const action of ALL_ACTIONS) {
    const row = cells(EXPECTED[action]);
    for (const [i, column] of COLUMNS.entries()) {
      const allowed = row[i];
      it(`${action}: ${column} is ${allowed ? 'allowed' : 'refused'}`, () => {
        assert.equal(authorized(principals(column), action), allowed);
      });
    }
  }

  it('holding several roles allows the union of what each allows, nothing more', () => {
    const uma = principalsOf(['userManagementAdmin', 'mpnPartnerAdmin'], true);
    assert.equal(authorized(uma, 'user.add'), true);
    assert.equal(authorized(uma, 'competency.status'), true);
    assert.equal(authorized(uma, 'role.assignGlobalAdmin'), false);
    assert.equal(authorized(uma, 'audit.read'), false);
  });

  it("a command's capability asks the same table", () => {
    const expected: Record<keyof typeof CAPABILITIES, Column[]> = {
      anyone: [...COLUMNS],
      associationManagement: ['globalAdmin', 'ppc'],
      userManagement: ['globalAdmin', 'accountAdmin', 'userManagementAdmin'],
      competencyReports: ['globalAdmin', 'mpnPartnerAdmin'],
      auditLog: ['globalAdmin'],
    };
    for (const [capability, allowed] of Object.entries(expected) as [keyof typeof CAPABILITIES, Column[]][]) {
      for (const column of COLUMNS) {
        const roles = new Set<Role>(column === 'nonMember' || column === 'member' ? [] : [column]);
        assert.equal(may(roles, capability), allowed.includes(column), `${capability} for ${column}`);
      }
    }
  });
});
