// MCID links (seed 004): a person links their own Microsoft Certification ID to their
// organisation so their exams count toward its competencies. The ownership proof (a one-time
// code sent to the MCID's e-mail, `proofAddress` below) is a step the conversation runs between
// `canStartLink` and `linkVerified`.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { Identity } from '../access/identity';
import {
  accountsLinkedTo, checkLinkStart, linkAccount, nextAssociationAllowedAt, unlinkAccount,
  type AccountKind, type LinkedAccount, type LinkOptions, type LinkOutcome, type LinkRefusal, type UnlinkOutcome,
} from './accountLinks';
import { mcidSchema } from './inputs';
import { DEFAULT_MCID_POLICY } from './linkRules';
import { rosterLine, type McidDoc } from './records';

export { LinkRefusedError, type LinkRefusal, type LinkRefusalReason, type LinkOutcome, type UnlinkOutcome, type LinkOptions } from './accountLinks';
export { DEFAULT_MCID_POLICY, type LinkPolicy } from './linkRules';

export const MCID_KIND: AccountKind = {
  collection: collections.mcids,
  noun: 'MCID',
  action: 'mcid',
  idSchema: mcidSchema,
  mustExist: true,
  defaultPolicy: DEFAULT_MCID_POLICY,
  decorate: (doc, linked) => ({ ...linked, roster: rosterLine(linked.aadObjectId, doc!._id, (doc as McidDoc).credentials) }),
  guard: (doc) => ({ credRev: (doc as McidDoc).credRev }),
};

export type StartLinkCheck =
  | { ok: true; mcid: string; orgId: string; organisationName: string; proofAddress: string }
  | { ok: false; refusal: LinkRefusal };

/**
 * Whether `who` may start linking this MCID now; if so, the address on the MCID's certification
 * profile, where the ownership code must be sent (never shown in full to the user).
 */
export async function canStartLink(db: Db, who: Identity, mcid: unknown, options: LinkOptions = {}): Promise<StartLinkCheck> {
  const decided = await checkLinkStart<McidDoc>(db, MCID_KIND, who, mcid, options);
  if (!decided.ok) return decided;
  return {
    ok: true, mcid: decided.accountId, orgId: decided.membership.orgId, organisationName: decided.membership.legalName,
    proofAddress: decided.doc!.holder.email,
  };
}

/** Links the MCID once ownership is proven; throws LinkRefusedError if a rule now refuses. */
export function linkVerified(db: Db, who: Identity, mcid: unknown, options: LinkOptions = {}): Promise<LinkOutcome> {
  return linkAccount(db, MCID_KIND, who, mcid, options);
}

/** Unlinks the MCID; only the person it is linked to may. Throws LinkRefusedError otherwise. */
export function unlink(db: Db, who: Identity, mcid: unknown, options: LinkOptions = {}): Promise<UnlinkOutcome> {
  return unlinkAccount(db, MCID_KIND, who, mcid, options);
}

/** When a new association of this MCID may start (null: now), for the profile. */
export function nextLinkAllowedAt(db: Db, mcid: unknown, options: LinkOptions = {}): Promise<Date | null> {
  return nextAssociationAllowedAt(db, MCID_KIND, mcid, options);
}

/** The MCIDs linked to this person. */
export function linkedMcidsOf(db: Db, who: Identity): Promise<LinkedAccount[]> {
  return accountsLinkedTo(db, MCID_KIND, who);
}
