// `add user` (seed 003 "Add a new user"): a user-management, account or global admin gives a
// name, a unique e-mail and roles. Someone the tenant's directory already knows becomes a member
// at once; someone it does not know, on one of the organisation's own domains, is created in the
// directory with a temporary password they must change at first sign-in. The password is
// returned to the caller once and is never stored, logged or audited.
//
// "The tenant's domains" are the organisation's pre-approved domains: the only domains the bot
// knows to belong to it (Graph refuses a user principal name on an unverified domain anyway).
import type { Db } from 'mongodb';
import { z } from 'zod';
import { authorize } from '../access/actor';
import { authorized } from '../access/authorization';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import type { Directory, DirectoryUser } from '../directory';
import { domainOf } from '../organisations/domains';
import { PeopleRefused } from './errors';
import { check, contactTypesField, emailField, nameField, rolesField } from './inputs';
import { memberId, type MemberDoc } from './members';

export const addUserInput = z.object({
  displayName: nameField,
  email: emailField,
  roles: rolesField.default([]),
  contactTypes: contactTypesField.default([]),
}, 'nameEmpty');

export type AddUserInput = z.input<typeof addUserInput>;

export type AddUserResult =
  /** Found in the directory: the membership was added; the person should be told. */
  | { outcome: 'added'; member: MemberDoc; organisation: string }
  /** Created in the directory: show `temporaryPassword` to the admin once, and nowhere else. */
  | { outcome: 'created'; member: MemberDoc; organisation: string; temporaryPassword: string; userPrincipalName: string };

export async function addUser(db: Db, directory: Directory, who: Identity, raw: unknown, now = new Date()): Promise<AddUserResult> {
  const actor = await authorize(db, who, 'user.add');
  const input = check(addUserInput, raw);
  if (input.roles.includes('globalAdmin') && !authorized(actor.principals, 'role.assignGlobalAdmin')) throw new PeopleRefused('globalAdminOnly');
  const { org } = actor;
  const members = db.collection<MemberDoc>(collections.members);
  // A duplicate e-mail is refused before anything is asked of the directory.
  if (await members.findOne({ tenantId: org.tenantId, email: input.email, status: 'associated' }, { projection: { _id: 1 } })) {
    throw new PeopleRefused('duplicateEmail', { email: input.email });
  }

  const found: DirectoryUser | null = await directory.findUserByEmail(org.tenantId, input.email);
  let created: { user: DirectoryUser; temporaryPassword: string } | undefined;
  if (!found) {
    const domain = domainOf(input.email);
    if (!org.preApprovedDomains.includes(domain)) throw new PeopleRefused('notInTenant', { email: input.email, domain });
    created = await directory.createUser(org.tenantId, { displayName: input.displayName, userPrincipalName: input.email });
  }
  const person = found ?? created!.user;

  const existing = await members.findOne({ _id: memberId(org.tenantId, person.id), status: 'associated' });
  if (existing) {
    if (existing.orgId !== org._id) throw new PeopleRefused('memberOfOtherOrganisation', { email: input.email });
    throw new PeopleRefused('alreadyMember', { name: existing.displayName, email: existing.email });
  }
  const member: MemberDoc = {
    _id: memberId(org.tenantId, person.id), tenantId: org.tenantId, orgId: org._id, aadObjectId: person.id, email: input.email,
    displayName: input.displayName, roles: input.roles, contactTypes: input.contactTypes, status: 'associated', associatedAt: now,
  };
  const { _id, ...fields } = member;
  try {
    // Guarded: only a person who is not an associated member (never was, or was removed) is (re)added.
    await members.updateOne(
      { _id, status: { $ne: 'associated' } },
      { $set: { ...fields, addedBy: who.aadObjectId }, $unset: { removedAt: '' } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw new PeopleRefused('alreadyMember', { name: input.displayName, email: input.email });
  }
  await audit(db, {
    orgId: org._id, tenantId: org.tenantId, actor: who.aadObjectId, action: created ? 'user.created' : 'user.added', subject: input.email,
    after: { displayName: input.displayName, roles: input.roles, contactTypes: input.contactTypes, createdInDirectory: Boolean(created) },
  }, now);
  if (created) {
    return { outcome: 'created', member, organisation: org.legalName, temporaryPassword: created.temporaryPassword, userPrincipalName: created.user.userPrincipalName ?? input.email };
  }
  return { outcome: 'added', member, organisation: org.legalName };
}
