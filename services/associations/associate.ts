// Submitting, reading and cancelling an association request (DESIGN §3, seed 000). A proven
// address on a pre-approved domain, or an invited address, is accepted at once and becomes a
// membership; anything else waits for the PPC or a global admin.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { LANGUAGES, type LanguageCode } from '../people/languages';
import { memberId, type MemberDoc } from '../people/members';
import { profileFields } from '../people/profiles';
import { domainOf, workEmail } from '../organisations/domains';
import type { OrganisationDoc } from '../organisations/organisation';
import { partnerIdField } from '../organisations/search';
import { useInvitation, type InvitationDoc } from '../invitations/invitations';
import { Refusal, refusalOfIssue } from '../refusal';
import { consumeLimit, DEFAULT_ABUSE_LIMITS, type RateLimit } from '../limits/rateLimit';
import type { AssociationRequestDoc } from './request';

/** The request cannot be made; `code` names why (errors catalogue). */
export class AssociationRefused extends Refusal {}

export const mcidField = z.string('errors:association.mcidFormat').trim().regex(/^\d{5,12}$/, 'errors:association.mcidFormat');

export const associationInput = z.object({
  partnerId: partnerIdField,
  displayName: profileFields.displayName,
  email: workEmail,
  emailProven: z.boolean(),
  phone: profileFields.phone.optional(),
  language: z.enum(LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]], 'errors:profile.languageChoice'),
  mcid: mcidField.optional(),
  /** Set when the user joins through an invitation link (`join CODE`). */
  invitationCode: z.string('errors:invitations.notACode').trim().regex(/^[A-Za-z0-9]{6,20}$/, 'errors:invitations.notACode').optional(),
});

export type AssociationInput = z.input<typeof associationInput>;

export interface SubmitResult {
  outcome: 'accepted' | 'pending';
  request: AssociationRequestDoc;
  organisation: Pick<OrganisationDoc, 'partnerId' | 'legalName'>;
}

/** `limit`: requests per person per window (config ASSOCIATION_REQUESTS_PER_DAY); over it, RateLimited. */
export async function submitAssociation(db: Db, who: Identity, raw: AssociationInput, now = new Date(), limit: RateLimit = DEFAULT_ABUSE_LIMITS.associationRequests): Promise<SubmitResult> {
  const parsed = associationInput.safeParse(raw);
  if (!parsed.success) { const { code, values } = refusalOfIssue(parsed.error.issues[0]); throw new AssociationRefused(code, values); }
  const input = parsed.data;

  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: input.partnerId });
  if (!org) throw new AssociationRefused('errors:association.noOrganisation', { partnerId: input.partnerId });
  if (org.tenantId !== who.tenantId) throw new AssociationRefused('errors:association.otherTenant', { organisation: org.legalName });
  const member = await db.collection<MemberDoc>(collections.members).findOne({ _id: memberId(who.tenantId, who.aadObjectId), status: 'associated' });
  if (member) {
    throw member.orgId === org._id
      ? new AssociationRefused('errors:association.alreadyMember', { organisation: org.legalName })
      : new AssociationRefused('errors:association.memberElsewhere');
  }

  // Each request reaches approvers: one person may not flood them (counted before anything is used up).
  const allowed = await consumeLimit(db, who, 'association', limit, now);
  if (!allowed.ok) throw new AssociationRefused('errors:limits.associationRequests', allowed.values);
  const domainPreApproved = input.emailProven && org.preApprovedDomains.includes(domainOf(input.email));
  if (input.invitationCode) {
    // Seed 002: the invitee must use the invited address as their (proven) e-mail.
    if (!input.emailProven || !(await useInvitation(db, who, input.invitationCode, input.email, now))) {
      throw new AssociationRefused('errors:association.invitationMismatch', { email: input.email });
    }
  }
  const invited = Boolean(input.invitationCode) || (input.emailProven && await useOpenInvitation(db, who, org._id, input.email, now));
  const accepted = domainPreApproved || invited;
  const request: AssociationRequestDoc = {
    _id: randomUUID(),
    tenantId: who.tenantId,
    orgId: org._id,
    requester: { aadObjectId: who.aadObjectId, displayName: input.displayName, email: input.email, phone: input.phone, language: input.language, mcid: input.mcid },
    emailProven: input.emailProven,
    domainPreApproved,
    invited,
    status: accepted ? 'accepted' : 'pending',
    createdAt: now,
    ...(accepted ? { decidedAt: now } : {}),
  };
  try {
    await db.collection<AssociationRequestDoc>(collections.associationRequests).insertOne(request);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw new AssociationRefused('errors:association.alreadyWaiting', { organisation: org.legalName });
  }
  if (accepted) await createMembership(db, request, now);
  await audit(db, { orgId: org._id, tenantId: who.tenantId, actor: who.aadObjectId, action: accepted ? 'association.accepted' : 'association.requested', subject: request._id, after: { status: request.status, email: request.requester.email } }, now);
  return { outcome: accepted ? 'accepted' : 'pending', request, organisation: { partnerId: org.partnerId, legalName: org.legalName } };
}

/** An invited address associating without the link still counts as invited (seed 002); the invitation is used up. */
async function useOpenInvitation(db: Db, who: Identity, orgId: string, email: string, now: Date): Promise<boolean> {
  const used = await db.collection<InvitationDoc>(collections.invitations).findOneAndUpdate(
    { orgId, tenantId: who.tenantId, email, status: 'open', expiresAt: { $gt: now } },
    { $set: { status: 'used', usedBy: who.aadObjectId } },
  );
  return Boolean(used);
}

/** Makes (or renews) the membership an accepted or approved request grants. */
export async function createMembership(db: Db, request: AssociationRequestDoc, now: Date): Promise<void> {
  const { filter, update } = membershipUpsert(request, now);
  await db.collection<MemberDoc>(collections.members).updateOne(filter, update, { upsert: true });
}

/** The upsert createMembership sends, for callers making many at once (bulk decisions, one bulkWrite). */
export function membershipUpsert(request: AssociationRequestDoc, now: Date) {
  return {
    filter: { _id: memberId(request.tenantId, request.requester.aadObjectId) },
    update: {
      $set: { tenantId: request.tenantId, orgId: request.orgId, aadObjectId: request.requester.aadObjectId, email: request.requester.email, displayName: request.requester.displayName, status: 'associated' as const, associatedAt: now },
      $setOnInsert: { roles: [], contactTypes: [] },
      $unset: { removedAt: '' as const },
    },
  };
}

/** The user's most recent request, if any (for `status`). */
export async function latestRequest(db: Db, who: Identity): Promise<AssociationRequestDoc | undefined> {
  const found = await db.collection<AssociationRequestDoc>(collections.associationRequests)
    .find({ tenantId: who.tenantId, 'requester.aadObjectId': who.aadObjectId }).sort({ createdAt: -1 }).limit(1).toArray();
  return found[0];
}

/** Withdraws the user's own pending request; false if there was none (or it was decided meanwhile). */
export async function cancelRequest(db: Db, who: Identity, requestId: string, now = new Date()): Promise<AssociationRequestDoc | undefined> {
  const doc = await db.collection<AssociationRequestDoc>(collections.associationRequests).findOneAndUpdate(
    { _id: String(requestId), tenantId: who.tenantId, 'requester.aadObjectId': who.aadObjectId, status: 'pending' },
    { $set: { status: 'cancelled', decidedAt: now } },
    { returnDocument: 'after' },
  );
  if (doc) await audit(db, { orgId: doc.orgId, tenantId: doc.tenantId, actor: who.aadObjectId, action: 'association.cancelled', subject: doc._id, before: { status: 'pending' }, after: { status: 'cancelled' } }, now);
  return doc ?? undefined;
}
