// Membership: a person associated with an organisation's partner profile. Created when an
// association is accepted or approved (or a user is added by an admin); ended when they leave.
// The PPC is recorded on the organisation (exactly one), not as a member role.
import type { Role } from '../access/capabilities';

export const CONTACT_TYPES = ['salesMarketing', 'technical', 'executive'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

export type MemberStatus = 'associated' | 'removed';

export interface MemberDoc {
  /** `${tenantId}:${aadObjectId}`: one membership per person per tenant. */
  _id: string;
  tenantId: string;
  /** The organisation's Partner ID. */
  orgId: string;
  aadObjectId: string;
  /** The proven work e-mail, lower case. */
  email: string;
  displayName: string;
  /** Admin roles; `ppc` is never stored here (see OrganisationDoc.ppcAadObjectId). */
  roles: Exclude<Role, 'ppc'>[];
  contactTypes: ContactType[];
  status: MemberStatus;
  associatedAt: Date;
  removedAt?: Date;
}

export function memberId(tenantId: string, aadObjectId: string): string {
  return `${tenantId}:${aadObjectId}`;
}
