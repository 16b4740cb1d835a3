// Partner University access (seed 004 "Get Partner University access … Remove access"): the same
// rules as an MCID link, on a record of its own, keyed by the Partner University sign-in name.
// There is no directory of Partner University accounts here, so none has to exist beforehand,
// and no yearly limit applies unless a policy is passed.
import { z } from 'zod';
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { Identity } from '../access/identity';
import {
  accountsLinkedTo, checkLinkStart, linkAccount, unlinkAccount,
  type AccountKind, type LinkedAccount, type LinkOptions, type LinkOutcome, type LinkRefusal, type UnlinkOutcome,
} from './accountLinks';
import { NO_LIMIT_POLICY } from './linkRules';

export const partnerUniversityAccountSchema = z.string({ error: 'Give the e-mail address you sign in to Partner University with.' })
  .trim()
  .toLowerCase()
  .pipe(z.email('Give the e-mail address you sign in to Partner University with.'));

export const PARTNER_UNIVERSITY_KIND: AccountKind = {
  collection: collections.partnerUniversityLinks,
  noun: 'Partner University account',
  action: 'partnerUniversity',
  idSchema: partnerUniversityAccountSchema,
  mustExist: false,
  defaultPolicy: NO_LIMIT_POLICY,
};

export async function canStartPartnerUniversityLink(db: Db, who: Identity, account: unknown, options: LinkOptions = {}): Promise<{ ok: true; account: string; orgId: string } | { ok: false; refusal: LinkRefusal }> {
  const decided = await checkLinkStart(db, PARTNER_UNIVERSITY_KIND, who, account, options);
  return decided.ok ? { ok: true, account: decided.accountId, orgId: decided.membership.orgId } : decided;
}

/** Links Partner University access once the sign-in is proven; throws LinkRefusedError if refused. */
export function linkPartnerUniversityVerified(db: Db, who: Identity, account: unknown, options: LinkOptions = {}): Promise<LinkOutcome> {
  return linkAccount(db, PARTNER_UNIVERSITY_KIND, who, account, options);
}

/** "Remove access": only the person it is linked to may. */
export function removePartnerUniversityAccess(db: Db, who: Identity, account: unknown, options: LinkOptions = {}): Promise<UnlinkOutcome> {
  return unlinkAccount(db, PARTNER_UNIVERSITY_KIND, who, account, options);
}

export function partnerUniversityAccessOf(db: Db, who: Identity): Promise<LinkedAccount[]> {
  return accountsLinkedTo(db, PARTNER_UNIVERSITY_KIND, who);
}
