// Linking an account (an MCID, or Partner University access) to the user's organisation, by the
// user themself (seed 004). One rule set for both kinds:
// - only the person acting can link or unlink, for themself (privacy);
// - they need an active membership; the account is linked to that membership's organisation;
// - one organisation at a time: linking to B unlinks from A in the same single-document update,
//   and A's competency admins are returned so the caller can tell them;
// - an optional limit on new associations per rolling year;
// - every change is audited.
// Each change is one update guarded by the revision read with the state it was decided on, so
// two changes at once never both apply; the loser re-reads and decides again.
import type { Db, Filter, UpdateFilter } from 'mongodb';
import type { z } from 'zod';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { audit } from '../audit/audit';
import type { Identity } from '../access/identity';
import { memberId, type MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';
import { competencyAdminsOf, type AdminContact } from '../competencies/admins';
import { check, identitySchema } from './inputs';
import { formatDay, nextAllowedAt, withAssociation, type LinkPolicy } from './linkRules';
import type { LinkableDoc, LinkedState } from './records';

export interface AccountKind {
  collection: string;
  /** "MCID", "Partner University account": how messages name it. */
  noun: string;
  /** Audit action prefix: `${action}.linked`, `${action}.unlinked`. */
  action: string;
  idSchema: z.ZodType<string>;
  /** The account must already exist (an MCID must be in the certification directory). */
  mustExist: boolean;
  defaultPolicy: LinkPolicy;
  /** Adds kind-specific fields to a new link (an MCID's roster line), from the document read. */
  decorate?(doc: LinkableDoc | null, linked: LinkedState): LinkedState;
  /** More of the document's state a link change must not overwrite (an MCID's credentials). */
  guard?(doc: LinkableDoc): Filter<LinkableDoc>;
}

export type LinkRefusalReason =
  | 'invalidInput' | 'notInDirectory' | 'noMembership' | 'alreadyLinked' | 'linkedToColleague' | 'limitReached'
  | 'notLinked' | 'notYours';

export interface LinkRefusal {
  reason: LinkRefusalReason;
  /** Written for the user. */
  message: string;
  /** For 'limitReached': when a new association may start. */
  nextAllowedAt?: Date;
}

export class LinkRefusedError extends Error {
  constructor(readonly refusal: LinkRefusal) {
    super(refusal.message);
    this.name = 'LinkRefusedError';
  }
}

export interface LinkOptions {
  now?: Date;
  policy?: LinkPolicy;
}

export interface Membership {
  orgId: string;
  legalName: string;
  tenantId: string;
  aadObjectId: string;
  member: string;
}

export type LinkCheck<D extends LinkableDoc> =
  | { ok: true; accountId: string; membership: Membership; doc: D | null }
  | { ok: false; refusal: LinkRefusal };

export interface LinkOutcome {
  accountId: string;
  orgId: string;
  linkedAt: Date;
  /** Set when the account was linked to another organisation until now: it is unlinked there. */
  movedFrom?: { orgId: string; tenantId: string };
  /** That organisation's global and MPN partner admins: their competencies may be at risk. */
  tellAdmins: AdminContact[];
  /** When the next new association may start (null: now). */
  nextLinkAllowedAt: Date | null;
}

export interface UnlinkOutcome {
  accountId: string;
  /** The organisation it was linked to: its competencies may be at risk. */
  orgId: string;
  tenantId: string;
  linkedSince: Date;
}

export interface LinkedAccount { accountId: string; orgId: string; linkedAt: Date }

const MAX_ATTEMPTS = 5;

const refuse = (reason: LinkRefusalReason, message: string, extra: Partial<LinkRefusal> = {}): LinkRefusal => ({ reason, message, ...extra });

function parseInputs(kind: AccountKind, who: unknown, rawId: unknown): { ok: true; who: Identity; id: string } | { ok: false; refusal: LinkRefusal } {
  const person = check(identitySchema, who);
  if (!person.ok) return { ok: false, refusal: refuse('invalidInput', 'I could not tell who is asking; please try again from Teams.') };
  const id = check(kind.idSchema, rawId);
  if (!id.ok) return { ok: false, refusal: refuse('invalidInput', id.message) };
  return { ok: true, who: person.value, id: id.value };
}

async function membershipOf(db: Db, who: Identity): Promise<Membership | null> {
  const member = await db.collection<MemberDoc>(collections.members)
    .findOne({ _id: memberId(who.tenantId, who.aadObjectId), status: 'associated' });
  if (!member || member.tenantId !== who.tenantId) return null;
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: member.orgId });
  if (!org || org.tenantId !== who.tenantId) return null;
  return { orgId: org._id, legalName: org.legalName, tenantId: who.tenantId, aadObjectId: who.aadObjectId, member: member._id };
}

/** Whether this person may start linking this account now, and if not, the specific reason. */
export async function checkLinkStart<D extends LinkableDoc>(
  db: Db, kind: AccountKind, who: unknown, rawId: unknown, options: LinkOptions = {},
): Promise<LinkCheck<D>> {
  const input = parseInputs(kind, who, rawId);
  if (!input.ok) return input;
  const now = options.now ?? new Date();
  const policy = options.policy ?? kind.defaultPolicy;
  const membership = await membershipOf(db, input.who);
  if (!membership) {
    return { ok: false, refusal: refuse('noMembership', `You need to be associated with your organisation before you can link your ${kind.noun}. Type "associate" to start.`) };
  }
  const doc = await db.collection<D>(kind.collection).findOne({ _id: input.id } as Filter<D>) as D | null;
  if (kind.mustExist && !doc) {
    return { ok: false, refusal: refuse('notInDirectory', `I can't find ${kind.noun} ${input.id} in the certification directory. Check the number on your Microsoft Learn profile, or ask an admin to import the latest transcript.`) };
  }
  const linked = doc?.linked;
  if (linked && linked.member === membership.member && linked.orgId === membership.orgId) {
    return { ok: false, refusal: refuse('alreadyLinked', `Your ${kind.noun} ${input.id} is already linked to ${membership.legalName}.`) };
  }
  // Someone else in the same tenant holds it: a colleague's account, not a job change.
  if (linked && linked.member !== membership.member && linked.tenantId === membership.tenantId) {
    return { ok: false, refusal: refuse('linkedToColleague', `This ${kind.noun} is linked to another person in your organisation. Only its owner can link it.`) };
  }
  const next = nextAllowedAt(doc?.associations, now, policy);
  if (next) {
    return { ok: false, refusal: refuse('limitReached',
      `This ${kind.noun} has started ${policy.maxNewLinks} new association${policy.maxNewLinks === 1 ? '' : 's'} in the last 12 months, the most allowed. A new one can start from ${formatDay(next)}.`,
      { nextAllowedAt: next }) };
  }
  return { ok: true, accountId: input.id, membership, doc };
}

/**
 * Links the account to the person's organisation. The caller has proven the person owns it
 * (a one-time code); every rule is checked again here, at the moment of the change.
 */
export async function linkAccount(db: Db, kind: AccountKind, who: unknown, rawId: unknown, options: LinkOptions = {}): Promise<LinkOutcome> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? kind.defaultPolicy;
  const col = db.collection<LinkableDoc>(kind.collection);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const decided = await checkLinkStart<LinkableDoc>(db, kind, who, rawId, { now, policy });
    if (!decided.ok) throw new LinkRefusedError(decided.refusal);
    const { accountId, membership: m, doc } = decided;
    const plain: LinkedState = { orgId: m.orgId, tenantId: m.tenantId, aadObjectId: m.aadObjectId, member: m.member, at: now };
    const linked = kind.decorate ? kind.decorate(doc, plain) : plain;
    const associations = withAssociation(doc?.associations, now, policy);
    const update: UpdateFilter<LinkableDoc> = { $set: { linked, associations }, $inc: { rev: 1 } };
    try {
      const result = await col.updateOne({ _id: accountId, ...revisionGuard(kind, doc) }, update, { upsert: !doc });
      if (result.matchedCount + result.upsertedCount !== 1) continue; // changed since read: decide again
    } catch (err) {
      if (isDuplicateKey(err)) continue; // created since read: decide again
      throw err;
    }
    const previous = doc?.linked;
    const movedFrom = previous && previous.orgId !== m.orgId ? { orgId: previous.orgId, tenantId: previous.tenantId } : undefined;
    await audit(db, {
      orgId: m.orgId, tenantId: m.tenantId, actor: m.aadObjectId, action: `${kind.action}.linked`, subject: accountId,
      before: previous ? { orgId: previous.orgId } : null, after: { orgId: m.orgId, member: m.member },
    }, now);
    if (movedFrom && previous) {
      await audit(db, {
        orgId: previous.orgId, tenantId: previous.tenantId, actor: m.aadObjectId, action: `${kind.action}.unlinked`, subject: accountId,
        before: { orgId: previous.orgId, member: previous.member }, after: { linkedElsewhere: true },
      }, now);
    }
    return {
      accountId, orgId: m.orgId, linkedAt: now, movedFrom,
      tellAdmins: movedFrom ? await competencyAdminsOf(db, movedFrom.orgId) : [],
      nextLinkAllowedAt: nextAllowedAt(associations, now, policy),
    };
  }
  throw new Error(`The ${kind.noun} kept changing while it was being linked; please try again.`);
}

/** Unlinks the account; only the person it is linked to may. */
export async function unlinkAccount(db: Db, kind: AccountKind, who: unknown, rawId: unknown, options: LinkOptions = {}): Promise<UnlinkOutcome> {
  const input = parseInputs(kind, who, rawId);
  if (!input.ok) throw new LinkRefusedError(input.refusal);
  const now = options.now ?? new Date();
  const me = memberId(input.who.tenantId, input.who.aadObjectId);
  const col = db.collection<LinkableDoc>(kind.collection);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const doc = await col.findOne({ _id: input.id });
    const linked = doc?.linked;
    if (!doc || !linked) throw new LinkRefusedError(refuse('notLinked', `${kind.noun} ${input.id} is not linked to any organisation.`));
    if (linked.member !== me) throw new LinkRefusedError(refuse('notYours', `Only the person who linked a ${kind.noun} can unlink it.`));
    const result = await col.updateOne({ _id: input.id, ...revisionGuard(kind, doc) }, { $unset: { linked: '' }, $inc: { rev: 1 } });
    if (result.matchedCount !== 1) continue;
    await audit(db, {
      orgId: linked.orgId, tenantId: linked.tenantId, actor: input.who.aadObjectId, action: `${kind.action}.unlinked`, subject: input.id,
      before: { orgId: linked.orgId, member: linked.member }, after: null,
    }, now);
    return { accountId: input.id, orgId: linked.orgId, tenantId: linked.tenantId, linkedSince: linked.at };
  }
  throw new Error(`The ${kind.noun} kept changing while it was being unlinked; please try again.`);
}

/** The accounts of this kind linked to this person (for their profile). */
export async function accountsLinkedTo(db: Db, kind: AccountKind, who: unknown): Promise<LinkedAccount[]> {
  const person = check(identitySchema, who);
  if (!person.ok) return [];
  const docs = await db.collection<LinkableDoc>(kind.collection)
    .find({ 'linked.member': memberId(person.value.tenantId, person.value.aadObjectId) })
    .toArray();
  return docs.map((d) => ({ accountId: d._id, orgId: d.linked!.orgId, linkedAt: d.linked!.at }));
}

/** When a new association of this account may start: null if now. */
export async function nextAssociationAllowedAt(db: Db, kind: AccountKind, rawId: unknown, options: LinkOptions = {}): Promise<Date | null> {
  const id = check(kind.idSchema, rawId);
  if (!id.ok) throw new LinkRefusedError(refuse('invalidInput', id.message));
  const doc = await db.collection<LinkableDoc>(kind.collection).findOne({ _id: id.value }, { projection: { associations: 1 } });
  return nextAllowedAt(doc?.associations, options.now ?? new Date(), options.policy ?? kind.defaultPolicy);
}

/** The state a change was decided on: the revision read (or "no document yet"). */
function revisionGuard(kind: AccountKind, doc: LinkableDoc | null): Filter<LinkableDoc> {
  if (!doc) return { rev: { $exists: false } };
  const rev: Filter<LinkableDoc> = doc.rev === undefined ? { rev: { $exists: false } } : { rev: doc.rev };
  return kind.guard ? { ...rev, ...kind.guard(doc) } : rev;
}
