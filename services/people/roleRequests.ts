// `request role` (seeds 002, 003: "If users want a role assignment, they can find account admins
// to contact"): a member asks for roles or contact types; the organisation's user-management,
// account and global admins get a card to grant or deny it. One pending request per person; the
// decision is one guarded update (pending → granted/denied), so of two clicks one decides.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { AccessDenied, authorize } from '../access/actor';
import { authorized, ruleOf } from '../access/authorization';
import type { Role } from '../access/capabilities';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { PeopleRefused } from './errors';
import { check, contactTypesField, noteField, rolesField, type AssignableRole } from './inputs';
import type { ContactType, MemberDoc } from './members';

export type RoleRequestStatus = 'pending' | 'granted' | 'denied';

export interface RoleRequestDoc {
  _id: string;
  tenantId: string;
  orgId: string;
  requester: { aadObjectId: string; displayName: string; email: string };
  roles: AssignableRole[];
  contactTypes: ContactType[];
  note?: string;
  status: RoleRequestStatus;
  createdAt: Date;
  decidedAt?: Date;
  decidedBy?: { aadObjectId: string; displayName: string };
}

export const roleRequestInput = z.object({
  roles: rolesField.default([]),
  contactTypes: contactTypesField.default([]),
  note: noteField.optional(),
}, 'nothingRequested');

export interface Decider { aadObjectId: string; displayName: string }

export async function requestRole(db: Db, who: Identity, raw: unknown, now = new Date()): Promise<{ request: RoleRequestDoc; organisation: string; deciders: Decider[] }> {
  const actor = await authorize(db, who, 'role.request');
  if (!actor.member) throw new AccessDenied('noOrganisation', 'role.request');
  const input = check(roleRequestInput, raw);
  if (input.roles.length === 0 && input.contactTypes.length === 0) throw new PeopleRefused('nothingRequested');
  const member = actor.member;
  const roles = input.roles.filter((r) => !(member.roles ?? []).includes(r));
  const contactTypes = input.contactTypes.filter((c) => !(member.contactTypes ?? []).includes(c));
  if (roles.length === 0 && contactTypes.length === 0) throw new PeopleRefused('alreadyHeld');
  const request: RoleRequestDoc = {
    _id: randomUUID(), tenantId: actor.org.tenantId, orgId: actor.org._id,
    requester: { aadObjectId: member.aadObjectId, displayName: member.displayName, email: member.email },
    roles, contactTypes, ...(input.note ? { note: input.note } : {}), status: 'pending', createdAt: now,
  };
  try {
    await db.collection<RoleRequestDoc>(collections.roleRequests).insertOne(request);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw new PeopleRefused('requestPending');
  }
  await audit(db, { orgId: actor.org._id, tenantId: actor.org.tenantId, actor: who.aadObjectId, action: 'role.requested', subject: member.email, after: { roles, contactTypes } }, now);
  return { request, organisation: actor.org.legalName, deciders: await decidersOf(db, actor.org.tenantId, actor.org._id) };
}

/** Who may grant a role request: the members holding a role the table allows to decide. */
export async function decidersOf(db: Db, tenantId: string, orgId: string): Promise<Decider[]> {
  const rule = ruleOf('roleRequest.decide');
  const roles = Array.isArray(rule) ? [...rule] as Role[] : [];
  return db.collection<MemberDoc>(collections.members)
    .find({ tenantId, orgId, status: 'associated', roles: { $in: roles.filter((r) => r !== 'ppc') as AssignableRole[] } })
    .sort({ displayName: 1 })
    .project<Decider>({ _id: 0, aadObjectId: 1, displayName: 1 })
    .toArray();
}

export type RoleDecision = 'grant' | 'deny';

export type DecideRoleResult =
  | { outcome: 'decided'; request: RoleRequestDoc; organisation: string }
  | { outcome: 'alreadyDecided'; request: RoleRequestDoc; organisation: string };

export const requestIdField = z.string('requestNotFound').uuid('requestNotFound');

export async function decideRoleRequest(db: Db, who: Identity, requestId: unknown, decision: RoleDecision, now = new Date()): Promise<DecideRoleResult> {
  const actor = await authorize(db, who, 'roleRequest.decide');
  const id = check(requestIdField, requestId);
  const requests = db.collection<RoleRequestDoc>(collections.roleRequests);
  // Scoped by the actor's tenant and organisation: another organisation's request is not found.
  const current = await requests.findOne({ _id: id, tenantId: actor.org.tenantId, orgId: actor.org._id });
  if (!current) throw new PeopleRefused('requestNotFound');
  const organisation = actor.org.legalName;
  if (current.status !== 'pending') return { outcome: 'alreadyDecided', request: current, organisation };
  if (decision === 'grant' && current.roles.includes('globalAdmin') && !authorized(actor.principals, 'role.assignGlobalAdmin')) throw new PeopleRefused('globalAdminOnly');
  const decided = await requests.findOneAndUpdate(
    { _id: id, tenantId: actor.org.tenantId, status: 'pending' },
    { $set: { status: decision === 'grant' ? 'granted' : 'denied', decidedAt: now, decidedBy: { aadObjectId: who.aadObjectId, displayName: actor.member?.displayName ?? who.name ?? '' } } },
    { returnDocument: 'after' },
  );
  if (!decided) return { outcome: 'alreadyDecided', request: (await requests.findOne({ _id: id })) ?? current, organisation };
  if (decided.status === 'granted') {
    await db.collection<MemberDoc>(collections.members).updateOne(
      { tenantId: actor.org.tenantId, orgId: actor.org._id, aadObjectId: decided.requester.aadObjectId, status: 'associated' },
      { $addToSet: { roles: { $each: decided.roles }, contactTypes: { $each: decided.contactTypes } } },
    );
  }
  await audit(db, {
    orgId: actor.org._id, tenantId: actor.org.tenantId, actor: who.aadObjectId, action: `role.${decided.status}`, subject: decided.requester.email,
    before: { status: 'pending' }, after: { status: decided.status, roles: decided.roles, contactTypes: decided.contactTypes },
  }, now);
  return { outcome: 'decided', request: decided, organisation };
}
