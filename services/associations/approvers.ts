// Who may decide an organisation's association requests (seed 000): its one PPC and any member
// with global admin rights, all in the organisation's own tenant.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';

/** `displayName` is empty for a PPC who is not (yet) a member: the bot layer names the role instead. */
export interface Approver { aadObjectId: string; displayName: string; isPpc: boolean }

export async function approversOf(db: Db, orgId: string): Promise<Approver[]> {
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId });
  if (!org) return [];
  const members = await db.collection<MemberDoc>(collections.members)
    .find({ tenantId: org.tenantId, orgId, status: 'associated', $or: [{ roles: 'globalAdmin' }, { aadObjectId: org.ppcAadObjectId }] })
    .project<Pick<MemberDoc, 'aadObjectId' | 'displayName'>>({ aadObjectId: 1, displayName: 1 })
    .toArray();
  const approvers = members.map((m) => ({ aadObjectId: m.aadObjectId, displayName: m.displayName, isPpc: m.aadObjectId === org.ppcAadObjectId }));
  if (!approvers.some((a) => a.isPpc)) approvers.unshift({ aadObjectId: org.ppcAadObjectId, displayName: '', isPpc: true });
  return approvers.sort((a, b) => Number(b.isPpc) - Number(a.isPpc));
}
