// Who looks after an organisation's competencies (seed 004): its global admins and MPN partner
// admins. They may ask for competency status and the skills report, and they are the people told
// when a competency is at risk or an MCID is linked elsewhere.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';

export const COMPETENCY_ADMIN_ROLES = ['globalAdmin', 'mpnPartnerAdmin'] as const;

export interface AdminContact {
  tenantId: string;
  aadObjectId: string;
  displayName: string;
}

export async function competencyAdminsOf(db: Db, orgId: string): Promise<AdminContact[]> {
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId }, { projection: { tenantId: 1 } });
  if (!org) return [];
  const admins = await db.collection<MemberDoc>(collections.members)
    .find({ orgId, tenantId: org.tenantId, status: 'associated', roles: { $in: [...COMPETENCY_ADMIN_ROLES] } })
    .toArray();
  return admins
    .map((m) => ({ tenantId: m.tenantId, aadObjectId: m.aadObjectId, displayName: m.displayName }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}
