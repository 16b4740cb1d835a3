// A user's roles in their tenant's organisation. Always scoped by tenant: a user of tenant A
// never gains a role from tenant B's data, whatever ids they send.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { Identity } from './identity';
import { ROLES, type Role } from './capabilities';

interface MemberRoles { roles?: unknown }
interface OrgPpc { ppcAadObjectId?: string }

export async function rolesOf(db: Db, who: Identity): Promise<Set<Role>> {
  const [member, org] = await Promise.all([
    db.collection<MemberRoles>(collections.members).findOne(
      { tenantId: who.tenantId, aadObjectId: who.aadObjectId, status: 'associated' },
      { projection: { roles: 1 } },
    ),
    db.collection<OrgPpc>(collections.organisations).findOne(
      { tenantId: who.tenantId, ppcAadObjectId: who.aadObjectId },
      { projection: { ppcAadObjectId: 1 } },
    ),
  ]);
  const roles = new Set<Role>();
  // Only known role names count: a stray value in the document grants nothing.
  for (const r of Array.isArray(member?.roles) ? member.roles : []) {
    if ((ROLES as readonly unknown[]).includes(r)) roles.add(r as Role);
  }
  if (org) roles.add('ppc');
  return roles;
}
