// Who may see an organisation's competency status and skills report (DESIGN §3, seed 004):
// its global admins and MPN partner admins, in the organisation's own tenant. Checked here, in
// the service, so no command, card or link can skip it.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { rolesOf } from '../access/roles';
import { may } from '../access/capabilities';
import type { Identity } from '../access/identity';
import { memberId, type MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';
import { check, identitySchema, partnerIdSchema } from '../certifications/inputs';

export type CompetencyAccessReason = 'invalidRequest' | 'otherOrganisation' | 'notAdmin';

/** A refused request; `message` is written for the user. */
export class CompetencyAccessError extends Error {
  constructor(readonly reason: CompetencyAccessReason, message: string) {
    super(message);
    this.name = 'CompetencyAccessError';
  }
}

export interface CompetencyAccess {
  orgId: string;
  tenantId: string;
  legalName: string;
  who: Identity;
}

const OTHER_ORGANISATION = 'You can only see the competencies of the organisation you are associated with.';

/** Resolves to the organisation if `who` may see its competencies; throws CompetencyAccessError otherwise. */
export async function authorizeCompetencyAdmin(db: Db, who: unknown, orgId: unknown): Promise<CompetencyAccess> {
  const person = check(identitySchema, who);
  const partnerId = check(partnerIdSchema, orgId);
  if (!person.ok || !partnerId.ok) throw new CompetencyAccessError('invalidRequest', 'That request is not valid.');
  const me = person.value;
  // All reads at once, every check after: one round trip to the database.
  const [org, member, roles] = await Promise.all([
    db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: partnerId.value }),
    db.collection<MemberDoc>(collections.members).findOne({ _id: memberId(me.tenantId, me.aadObjectId), status: 'associated' }),
    rolesOf(db, me),
  ]);
  // An unknown organisation gets the same answer as another tenant's: nothing to probe.
  if (!org || org.tenantId !== me.tenantId || !member || member.orgId !== org._id) {
    throw new CompetencyAccessError('otherOrganisation', OTHER_ORGANISATION);
  }
  if (!may(roles, 'competencyReports')) {
    throw new CompetencyAccessError('notAdmin',
      'Only global admins and MPN partner admins can see competency status and download the skills report. Type "admins" to find yours.');
  }
  return { orgId: org._id, tenantId: org.tenantId, legalName: org.legalName, who: me };
}
