// Who is acting, in which organisation, with which principals: read once per request, always
// within the caller's tenant, then checked against the authorization table. Services call
// `authorize(db, who, action)` first; a refusal is an AccessDenied the bot layer translates.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { memberId, type MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';
import { authorized, principalsOf, type Action, type Principal } from './authorization';
import { ROLES, type Role } from './capabilities';
import type { Identity } from './identity';

export interface Actor {
  who: Identity;
  org: OrganisationDoc;
  /** Their associated membership of `org`, if any (the PPC may in principle not be a member). */
  member: MemberDoc | null;
  roles: Set<Role>;
  principals: Set<Principal>;
}

export type AccessDeniedReason = 'noOrganisation' | 'notAllowed';

/** Refused by the authorization table; carries the action so the bot can say who may. */
export class AccessDenied extends Error {
  override name = 'AccessDenied';
  constructor(readonly reason: AccessDeniedReason, readonly action: Action) {
    super(`access denied (${reason}) for ${action}`);
  }
}

/** The organisation `who` belongs to (membership, else the one they are PPC of), and their principals. */
export async function actorOf(db: Db, who: Identity): Promise<Actor | undefined> {
  const member = await db.collection<MemberDoc>(collections.members)
    .findOne({ _id: memberId(who.tenantId, who.aadObjectId), tenantId: who.tenantId, status: 'associated' });
  const orgs = db.collection<OrganisationDoc>(collections.organisations);
  const org = member
    ? await orgs.findOne({ _id: member.orgId, tenantId: who.tenantId })
    : await orgs.findOne({ tenantId: who.tenantId, ppcAadObjectId: who.aadObjectId });
  if (!org) return undefined;
  const roles = new Set<Role>();
  // Only known role names count: a stray value in the document grants nothing.
  for (const r of Array.isArray(member?.roles) ? member.roles : []) {
    if ((ROLES as readonly unknown[]).includes(r) && (r as string) !== 'ppc') roles.add(r as Role);
  }
  if (org.ppcAadObjectId === who.aadObjectId) roles.add('ppc');
  return { who, org, member: member ?? null, roles, principals: principalsOf(roles, Boolean(member)) };
}

/** The actor, if the table lets them take `action`; throws AccessDenied otherwise. */
export async function authorize(db: Db, who: Identity, action: Action): Promise<Actor> {
  const actor = await actorOf(db, who);
  if (!actor) throw new AccessDenied('noOrganisation', action);
  if (!authorized(actor.principals, action)) throw new AccessDenied('notAllowed', action);
  return actor;
}
