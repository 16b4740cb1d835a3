// Invitations (seed 002): the PPC enters work e-mails separated by ";" and a language. Those
// addresses become pre-approved for 14 days, and the PPC gets one link (a single-use code per
// address, the same code for the batch) to share. The invitee must join with the invited
// address as their proven e-mail; otherwise the invitation refuses them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Identity } from '../access/identity';
import { mayDecide, organisationOf } from '../associations/decide';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { LANGUAGES, type LanguageCode } from '../people/languages';
import type { MemberDoc } from '../people/members';
import { normaliseEmail } from '../organisations/domains';
import type { OrganisationDoc } from '../organisations/organisation';
import { Refusal } from '../refusal';
import { consumeLimit, DEFAULT_ABUSE_LIMITS, type RateLimit } from '../limits/rateLimit';

export const MAX_ADDRESSES = 500;
export const INVITATION_TTL_MS = 14 * 24 * 3600_000;

export interface InvitationDoc {
  _id: string;
  batchId: string;
  orgId: string;
  tenantId: string;
  email: string;
  language: LanguageCode;
  codeHash: string;
  status: 'open' | 'used' | 'revoked';
  createdAt: Date;
  expiresAt: Date;
  invitedBy: string;
  usedBy?: string;
}

/** The invitation cannot be made or used; `code` names why (errors catalogue). */
export class InvitationRefused extends Refusal {}

export interface ParsedAddresses { valid: string[]; invalid: string[]; duplicates: string[] }

/** Splits on ";", "," and new lines; sorts what is usable from what is not. */
export function parseAddresses(text: string): ParsedAddresses {
  const parts = text.split(/[;,\n\r]+/).map((p) => p.trim()).filter(Boolean);
  if (parts.length > MAX_ADDRESSES) throw new InvitationRefused('errors:invitations.tooMany', { max: MAX_ADDRESSES, count: parts.length });
  const seen = new Set<string>();
  const result: ParsedAddresses = { valid: [], invalid: [], duplicates: [] };
  for (const part of parts) {
    const email = normaliseEmail(part.replace(/^.*<([^>]+)>$/, '$1'));
    if (!email) result.invalid.push(part.slice(0, 100));
    else if (seen.has(email)) result.duplicates.push(email);
    else { seen.add(email); result.valid.push(email); }
  }
  return result;
}

export const hashInvitationCode = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

export interface InviteResult extends ParsedAddresses {
  alreadyMembers: string[];
  invited: string[];
  /** Shown once to the PPC, never stored. */
  code?: string;
  /** The stored batch, when anyone was invited (delivery finds its invitations by it). */
  batchId?: string;
  expiresAt?: Date;
  organisation: string;
}

/** `limit`: batches per approver per window (config INVITATION_BATCHES_PER_HOUR); over it, refused. */
export async function invite(db: Db, actor: Identity, input: { addresses: string; language: string }, now = new Date(), limit: RateLimit = DEFAULT_ABUSE_LIMITS.invitationBatches): Promise<InviteResult> {
  const orgId = await organisationOf(db, actor);
  if (!orgId || !(await mayDecide(db, actor, orgId))) throw new InvitationRefused('errors:invitations.notApprover');
  const language = LANGUAGES.find((l) => l.code === input.language)?.code;
  if (!language) throw new InvitationRefused('errors:invitations.languageChoice');
  if (typeof input.addresses !== 'string' || !input.addresses.trim()) throw new InvitationRefused('errors:invitations.noAddresses');
  const parsed = parseAddresses(input.addresses);
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId });
  const members = await db.collection<MemberDoc>(collections.members)
    .find({ tenantId: actor.tenantId, orgId, status: 'associated', email: { $in: parsed.valid } }).project<{ email: string }>({ email: 1 }).toArray();
  const memberEmails = new Set(members.map((m) => m.email));
  const toInvite = parsed.valid.filter((e) => !memberEmails.has(e));
  const result: InviteResult = { ...parsed, alreadyMembers: parsed.valid.filter((e) => memberEmails.has(e)), invited: toInvite, organisation: org?.legalName ?? orgId };
  if (toInvite.length === 0) return result;
  // Each batch e-mails and messages people: one approver may not turn the bot into a mailer.
  const allowed = await consumeLimit(db, actor, 'invitations', limit, now);
  if (!allowed.ok) throw new InvitationRefused('errors:limits.invitationBatches', allowed.values);

  // Ten characters from a 32-letter alphabet without look-alikes: 50 bits, typed by people.
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const code = Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('');
  const batchId = randomUUID();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await db.collection<InvitationDoc>(collections.invitations).insertMany(toInvite.map((email) => ({
    _id: randomUUID(), batchId, orgId, tenantId: actor.tenantId, email, language, codeHash: hashInvitationCode(code),
    status: 'open' as const, createdAt: now, expiresAt, invitedBy: actor.aadObjectId,
  })));
  await audit(db, { orgId, tenantId: actor.tenantId, actor: actor.aadObjectId, action: 'invitation.created', subject: batchId, after: { addresses: toInvite.length, language, expiresAt } }, now);
  return { ...result, code, expiresAt, batchId };
}

/** The organisation an invitation code leads to, if it is open for anyone in the user's tenant. */
export async function organisationForCode(db: Db, who: Identity, code: string, now = new Date()): Promise<{ orgId: string; language: LanguageCode } | undefined> {
  if (typeof code !== 'string' || !/^[A-Za-z0-9]{6,20}$/.test(code.trim())) return undefined;
  const found = await db.collection<InvitationDoc>(collections.invitations).findOne({ codeHash: hashInvitationCode(code), tenantId: who.tenantId, status: 'open', expiresAt: { $gt: now } });
  return found ? { orgId: found.orgId, language: found.language } : undefined;
}

/** Marks the invitation of `email` under `code` used; false if there is no such open invitation. */
export async function useInvitation(db: Db, who: Identity, code: string, email: string, now = new Date()): Promise<boolean> {
  const used = await db.collection<InvitationDoc>(collections.invitations).findOneAndUpdate(
    { codeHash: hashInvitationCode(code), tenantId: who.tenantId, email, status: 'open', expiresAt: { $gt: now } },
    { $set: { status: 'used', usedBy: who.aadObjectId } },
  );
  return Boolean(used);
}

export async function openInvitations(db: Db, actor: Identity, now = new Date()): Promise<InvitationDoc[]> {
  const orgId = await organisationOf(db, actor);
  if (!orgId || !(await mayDecide(db, actor, orgId))) throw new InvitationRefused('errors:invitations.notApproverList');
  return db.collection<InvitationDoc>(collections.invitations).find({ orgId, tenantId: actor.tenantId, status: 'open', expiresAt: { $gt: now } }).sort({ createdAt: -1 }).limit(100).toArray();
}

export async function revokeInvitation(db: Db, actor: Identity, invitationId: string, now = new Date()): Promise<boolean> {
  const orgId = await organisationOf(db, actor);
  if (!orgId || !(await mayDecide(db, actor, orgId))) throw new InvitationRefused('errors:invitations.notApproverRevoke');
  const revoked = await db.collection<InvitationDoc>(collections.invitations).findOneAndUpdate(
    { _id: String(invitationId), orgId, tenantId: actor.tenantId, status: 'open' },
    { $set: { status: 'revoked' } },
  );
  if (revoked) await audit(db, { orgId, tenantId: actor.tenantId, actor: actor.aadObjectId, action: 'invitation.revoked', subject: revoked.email, before: { status: 'open' }, after: { status: 'revoked' } }, now);
  return Boolean(revoked);
}
