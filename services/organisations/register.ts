// Registering an organisation's partner profile in the bot. Only a global administrator of the
// user's Microsoft Entra tenant may do it (asked of the directory); they become its PPC and a
// global admin member. One organisation per Partner ID.
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { DirectoryError, type Directory } from '../directory';
import { memberId, type MemberDoc } from '../people/members';
import { checkDomain, DomainRefused } from './preApprovedDomains';
import type { OrganisationDoc } from './organisation';
import { partnerIdField, searchKey } from './search';
import { Refusal, refusalOfIssue } from '../refusal';

/** Registration cannot go ahead; `code` names why (errors catalogue). */
export class RegistrationRefused extends Refusal {}

export const registrationInput = z.object({
  partnerId: partnerIdField,
  legalName: z.string('errors:registration.legalNameRequired').trim().min(2, 'errors:registration.legalNameRequired').max(200, 'errors:registration.legalNameTooLong'),
  country: z.string('errors:registration.country').trim().toUpperCase().regex(/^[A-Z]{2}$/, 'errors:registration.country'),
  address: z.string('errors:registration.addressRequired').trim().min(5, 'errors:registration.addressRequired').max(300, 'errors:registration.addressTooLong'),
  /** Optional first pre-approved domains, separated by ";", "," or spaces. */
  domains: z.string('errors:registration.tooManyDomains').max(2000, 'errors:registration.tooManyDomains').optional(),
});

export type RegistrationInput = z.input<typeof registrationInput>;

export async function registerOrganisation(
  db: Db, directory: Directory, who: Identity & { displayName: string; email: string }, raw: RegistrationInput, now = new Date(),
): Promise<OrganisationDoc> {
  const parsed = registrationInput.safeParse(raw);
  if (!parsed.success) { const { code, values } = refusalOfIssue(parsed.error.issues[0]); throw new RegistrationRefused(code, values); }
  const input = parsed.data;
  const domains: string[] = [];
  for (const part of (input.domains ?? '').split(/[;,\s]+/).filter(Boolean)) {
    try { domains.push(checkDomain(part)); } catch (err) { if (err instanceof DomainRefused) throw new RegistrationRefused(err.code, err.values); throw err; }
  }

  let isGlobalAdmin: boolean;
  try {
    isGlobalAdmin = (await directory.listGlobalAdmins(who.tenantId)).some((u) => u.id === who.aadObjectId);
  } catch (err) {
    if (err instanceof DirectoryError) throw new RegistrationRefused('errors:registration.directory', {}, err);
    throw err;
  }
  if (!isGlobalAdmin) throw new RegistrationRefused('errors:registration.notGlobalAdmin');

  const existing = await db.collection<MemberDoc>(collections.members).findOne({ _id: memberId(who.tenantId, who.aadObjectId), status: 'associated' });
  if (existing) throw new RegistrationRefused('errors:registration.alreadyMember');

  const org: OrganisationDoc = {
    _id: input.partnerId, partnerId: input.partnerId, legalName: input.legalName, searchName: searchKey(input.legalName), country: input.country,
    address: input.address, tenantId: who.tenantId, preApprovedDomains: [...new Set(domains)], ppcAadObjectId: who.aadObjectId, createdAt: now,
  };
  try {
    await db.collection<OrganisationDoc>(collections.organisations).insertOne(org);
  } catch (err) {
    if (isDuplicateKey(err)) throw new RegistrationRefused('errors:registration.taken', { partnerId: input.partnerId });
    throw err;
  }
  await db.collection<MemberDoc>(collections.members).updateOne(
    { _id: memberId(who.tenantId, who.aadObjectId) },
    { $set: { tenantId: who.tenantId, orgId: org._id, aadObjectId: who.aadObjectId, email: who.email, displayName: who.displayName, roles: ['globalAdmin'], contactTypes: [], status: 'associated', associatedAt: now } },
    { upsert: true },
  );
  await audit(db, { orgId: org._id, tenantId: who.tenantId, actor: who.aadObjectId, action: 'organisation.registered', subject: org._id, after: { legalName: org.legalName, domains: org.preApprovedDomains } }, now);
  return org;
}
