// The two kinds of account a person links to their organisation themself (seed 004): their
// Microsoft Certification ID (MCID) and their Partner University access. One table, so the link
// and unlink conversations are written once; the rules stay in services/certifications. Every
// refusal the services return is translated here from its reason code: their English `message`
// is never shown.
import type { Db } from 'mongodb';
import type { z } from 'zod';
import type { Translate } from '../i18n';
import type { Identity } from '../services/access/identity';
import type { LinkedAccount, LinkOptions, LinkOutcome, LinkRefusal, LinkRefusalReason, UnlinkOutcome } from '../services/certifications/accountLinks';
import { mcidSchema } from '../services/certifications/inputs';
import { canStartLink, linkedMcidsOf, linkVerified, nextLinkAllowedAt, unlink, type LinkPolicy } from '../services/certifications/links';
import {
  canStartPartnerUniversityLink, linkPartnerUniversityVerified, partnerUniversityAccessOf, partnerUniversityAccountSchema,
  removePartnerUniversityAccess,
} from '../services/certifications/partnerUniversity';

export type LinkKind = 'mcid' | 'partnerUniversity';
export const LINK_KINDS: readonly LinkKind[] = ['mcid', 'partnerUniversity'];

export type StartCheck =
  | { ok: true; accountId: string; orgId: string; proofAddress: string }
  | { ok: false; refusal: LinkRefusal };

export interface KindOps {
  kind: LinkKind;
  /** One-time code purpose: a code for one kind never proves the other. */
  codePurpose: string;
  idSchema: z.ZodType<string>;
  start(db: Db, who: Identity, id: string, options: LinkOptions): Promise<StartCheck>;
  link(db: Db, who: Identity, id: string, options: LinkOptions): Promise<LinkOutcome>;
  unlink(db: Db, who: Identity, id: string): Promise<UnlinkOutcome>;
  linkedTo(db: Db, who: Identity): Promise<LinkedAccount[]>;
}

export const KINDS: Record<LinkKind, KindOps> = {
  mcid: {
    kind: 'mcid',
    codePurpose: 'mcid-link',
    idSchema: mcidSchema,
    async start(db, who, id, options) {
      const r = await canStartLink(db, who, id, options);
      return r.ok ? { ok: true, accountId: r.mcid, orgId: r.orgId, proofAddress: r.proofAddress } : r;
    },
    link: (db, who, id, options) => linkVerified(db, who, id, options),
    unlink: (db, who, id) => unlink(db, who, id),
    linkedTo: (db, who) => linkedMcidsOf(db, who),
  },
  partnerUniversity: {
    kind: 'partnerUniversity',
    codePurpose: 'partner-university-link',
    idSchema: partnerUniversityAccountSchema,
    // The Partner University sign-in is an e-mail address: the code proving it goes there.
    // No yearly limit applies to it (the configured limit is the MCID's).
    async start(db, who, id) {
      const r = await canStartPartnerUniversityLink(db, who, id);
      return r.ok ? { ok: true, accountId: r.account, orgId: r.orgId, proofAddress: r.account } : r;
    },
    link: (db, who, id) => linkPartnerUniversityVerified(db, who, id),
    unlink: (db, who, id) => removePartnerUniversityAccess(db, who, id),
    linkedTo: (db, who) => partnerUniversityAccessOf(db, who),
  },
};

/** When the next new MCID association may start (null: now), under the configured policy. */
export function nextMcidLinkAt(db: Db, mcid: string, policy: LinkPolicy): Promise<Date | null> {
  return nextLinkAllowedAt(db, mcid, { policy });
}

/** "3 March 2027" / "3 mars 2027": a day in UTC, like every date the bot stores, in the turn's language. */
export function formatDay(t: Translate, date: Date): string {
  return date.toLocaleDateString(t('certifications:dateLocale'), { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}

/** j***@contoso.com: enough for the owner to recognise the address, not enough to learn it. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** What a kind is called in a sentence's subject position, e.g. for buttons and headings. */
export function kindName(t: Translate, kind: LinkKind): string {
  return kind === 'mcid' ? t('certifications:kind.mcid') : t('certifications:kind.partnerUniversity');
}

type Vars = { id: string; organisation?: string; date?: string };

const REFUSALS: Record<LinkKind, Record<LinkRefusalReason, (t: Translate, v: Vars) => string>> = {
  mcid: {
    invalidInput: (t) => t('certifications:mcid.invalid'),
    notInDirectory: (t, v) => t('certifications:mcid.refused.notInDirectory', v),
    noMembership: (t) => t('certifications:mcid.refused.noMembership'),
    alreadyLinked: (t, v) => t('certifications:mcid.refused.alreadyLinked', v),
    linkedToColleague: (t) => t('certifications:mcid.refused.linkedToColleague'),
    limitReached: (t, v) => t('certifications:mcid.refused.limitReached', v),
    notLinked: (t, v) => t('certifications:mcid.refused.notLinked', v),
    notYours: (t) => t('certifications:mcid.refused.notYours'),
  },
  partnerUniversity: {
    invalidInput: (t) => t('certifications:partnerUniversity.invalid'),
    notInDirectory: (t, v) => t('certifications:partnerUniversity.refused.notLinked', v),
    noMembership: (t) => t('certifications:partnerUniversity.refused.noMembership'),
    alreadyLinked: (t, v) => t('certifications:partnerUniversity.refused.alreadyLinked', v),
    linkedToColleague: (t) => t('certifications:partnerUniversity.refused.linkedToColleague'),
    limitReached: (t, v) => t('certifications:partnerUniversity.refused.limitReached', v),
    notLinked: (t, v) => t('certifications:partnerUniversity.refused.notLinked', v),
    notYours: (t) => t('certifications:partnerUniversity.refused.notYours'),
  },
};

/** The refusal in the user's language, from its reason code and values. */
export function refusalText(t: Translate, kind: LinkKind, refusal: LinkRefusal, id: string, organisation?: string): string {
  const date = refusal.nextAllowedAt ? formatDay(t, refusal.nextAllowedAt) : undefined;
  return REFUSALS[kind][refusal.reason](t, { id, organisation: organisation ?? '', date: date ?? '' });
}

/** The id as typed, if it is one of this kind; else undefined. */
/** What to say of an id that is not one of this kind. */
export function invalidId(t: Translate, kind: LinkKind): string {
  return kind === 'mcid' ? t('certifications:mcid.invalid') : t('certifications:partnerUniversity.invalid');
}

export function parseId(kind: LinkKind, raw: string): string | undefined {
  const parsed = KINDS[kind].idSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Reads what follows `link` / `unlink`: "certification 12345", "mcid 12345", "partner university
 * me@x.com", or a bare MCID. Pure; the kind is undefined when the words name neither.
 */
export function parseLinkArgs(args: string): { kind?: LinkKind; id?: string; unknownWords?: boolean } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  const first = words[0].toLowerCase();
  if (/^(certifications?|cert|mcid|mcp)$/.test(first)) return { kind: 'mcid', id: words.slice(1).join(' ') || undefined };
  if (first === 'partner' && /^universit(y|ies)$/i.test(words[1] ?? '')) return { kind: 'partnerUniversity', id: words.slice(2).join(' ') || undefined };
  if (/^(partneruniversity|pu)$/.test(first)) return { kind: 'partnerUniversity', id: words.slice(1).join(' ') || undefined };
  if (/^\d+$/.test(first) && words.length === 1) return { kind: 'mcid', id: first };
  return { unknownWords: true };
}
