// The roles card (seed 003 "Assign user roles"): a user-management, account or global admin
// changes a member's roles and contact types. Only a global admin gives or takes the global
// admin role, and the organisation keeps at least one. The update is guarded by the values the
// admin saw, so two admins editing the same person at once cannot silently overwrite each other.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { authorize, type Actor } from '../access/actor';
import { authorized } from '../access/authorization';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { PeopleRefused } from './errors';
import { keepingAGlobalAdmin } from './globalAdmins';
import { check, contactTypesField, rolesField } from './inputs';
import { memberId, type MemberDoc } from './members';
import { viewOf, type MemberView } from './listMembers';

export const aadObjectIdField = z.string('memberNotFound').trim().min(1, 'memberNotFound').max(200, 'memberNotFound');

export const rolesInput = z.object({ roles: rolesField, contactTypes: contactTypesField }, 'roleUnknown');

export interface RolesView {
  organisation: string;
  member: MemberView;
  /** Whether this admin may give or take the global admin role. */
  canAssignGlobalAdmin: boolean;
}

async function memberOf(db: Db, actor: Actor, aadObjectId: unknown): Promise<MemberDoc> {
  const id = check(aadObjectIdField, aadObjectId);
  const member = await db.collection<MemberDoc>(collections.members)
    .findOne({ _id: memberId(actor.org.tenantId, id), orgId: actor.org._id, status: 'associated' });
  if (!member) throw new PeopleRefused('memberNotFound', { email: '' });
  return member;
}

/** What the roles card shows for one member. */
export async function rolesOfMember(db: Db, who: Identity, aadObjectId: unknown): Promise<RolesView> {
  const actor = await authorize(db, who, 'user.changeRoles');
  const member = await memberOf(db, actor, aadObjectId);
  return { organisation: actor.org.legalName, member: viewOf(member, actor.org.ppcAadObjectId), canAssignGlobalAdmin: authorized(actor.principals, 'role.assignGlobalAdmin') };
}

/** Arrays compare exactly; a field an old document lacks is matched as missing. */
const same = <T>(value: T[] | undefined) => (value === undefined ? { $exists: false } : value);

export async function setRoles(db: Db, who: Identity, aadObjectId: unknown, raw: unknown, now = new Date()): Promise<RolesView & { before: MemberView; changed: boolean }> {
  const actor = await authorize(db, who, 'user.changeRoles');
  const input = check(rolesInput, raw);
  const member = await memberOf(db, actor, aadObjectId);
  const beforeRoles = member.roles ?? [];
  const beforeContacts = member.contactTypes ?? [];
  const canAssignGlobalAdmin = authorized(actor.principals, 'role.assignGlobalAdmin');
  if (beforeRoles.includes('globalAdmin') !== input.roles.includes('globalAdmin') && !canAssignGlobalAdmin) throw new PeopleRefused('globalAdminOnly');
  const before = viewOf(member, actor.org.ppcAadObjectId);
  const unchanged = input.roles.join() === beforeRoles.join() && input.contactTypes.join() === beforeContacts.join();
  if (unchanged) return { organisation: actor.org.legalName, member: before, before, canAssignGlobalAdmin, changed: false };

  const members = db.collection<MemberDoc>(collections.members);
  const guard = { _id: member._id, tenantId: actor.org.tenantId, status: 'associated' as const };
  const kept = await keepingAGlobalAdmin(db, actor.org.tenantId, actor.org._id,
    async () => (await members.updateOne(
      { ...guard, roles: same(member.roles), contactTypes: same(member.contactTypes) },
      { $set: { roles: input.roles, contactTypes: input.contactTypes } },
    )).matchedCount === 1,
    async () => { await members.updateOne({ ...guard, roles: input.roles, contactTypes: input.contactTypes }, { $set: { roles: beforeRoles, contactTypes: beforeContacts } }); });
  if (kept === 'unchanged') throw new PeopleRefused('changedMeanwhile');
  if (!kept) throw new PeopleRefused('lastGlobalAdmin');
  await audit(db, {
    orgId: actor.org._id, tenantId: actor.org.tenantId, actor: who.aadObjectId, action: 'user.rolesChanged', subject: member.email,
    before: { roles: beforeRoles, contactTypes: beforeContacts }, after: { roles: input.roles, contactTypes: input.contactTypes },
  }, now);
  const after = viewOf({ ...member, roles: input.roles, contactTypes: input.contactTypes }, actor.org.ppcAadObjectId);
  return { organisation: actor.org.legalName, member: after, before, canAssignGlobalAdmin, changed: true };
}
