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

/** Registration cannot go ahead; `message` is written for the user. */
export class RegistrationRefused extends Error {}

export const registrationInput = z.object({
  partnerId: partnerIdField,
  legalName: z.string().trim().min(2, 'The legal name is required.').max(200, 'The legal name can be at most 200 characters.'),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'The country is a two-letter ISO code, for example GB, FR or US.'),
  address: z.string().trim().min(5, 'The address is required.').max(300, 'The address can be at most 300 characters.'),
  /** Optional first pre-approved domains, separated by ";", "," or spaces. */
  domains: z.string().max(2000, 'That is too many domains for a first list.').optional(),
});

export type RegistrationInput = z.input<typeof registrationInput>;

export async function registerOrganisation(
  db: Db, directory: Directory, who: Identity & { displayName: string; email: string }, raw: RegistrationInput, now = new Date(),
): Promise<OrganisationDoc> {
  const parsed = registrationInput.safeParse(raw);
  if (!parsed.success) throw new RegistrationRefused(parsed.error.issues[0].message);
  const input = parsed.data;
  const domains: string[] = [];
  for (const part of (input.domains ?? '').split(/[;,\s]+/).filter(Boolean)) {
    try { domains.push(checkDomain(part)); } catch (err) { if (err instanceof DomainRefused) throw new RegistrationRefused(err.message); throw err; }
  }

  let isGlobalAdmin: boolean;
  try {
    isGlobalAdmin = (await directory.listGlobalAdmins(who.tenantId)).some((u) => u.id === who.aadObjectId);
  } catch (err) {
    if (err instanceof DirectoryError) throw new RegistrationRefused(`I could not check that you are a global administrator of your organisation: ${err.userMessage}`);
    throw err;
  }
  if (!isGlobalAdmin) throw new RegistrationRefused("Only a global administrator of your organisation's Microsoft Entra tenant can register it. Ask one of them to type **register**.");

  const existing = await db.collection<MemberDoc>(collections.members).findOne({ _id: memberId(who.tenantId, who.aadObjectId), status: 'associated' });
  if (existing) throw new RegistrationRefused('You are already associated with an organisation, so you cannot register another one.');

  const org: OrganisationDoc = {
    _id: input.partnerId, partnerId: input.partnerId, legalName: input.legalName, searchName: searchKey(input.legalName), country: input.country,
    address: input.address, tenantId: who.tenantId, preApprovedDomains: [...new Set(domains)], ppcAadObjectId: who.aadObjectId, createdAt: now,
  };
  try {
    await db.collection<OrganisationDoc>(collections.organisations).insertOne(org);
  } catch (err) {
    if (isDuplicateKey(err)) throw new RegistrationRefused(`Partner ID ${input.partnerId} is already registered. If it is yours, ask its Primary Program Contact to add you.`);
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
