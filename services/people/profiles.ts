// A user's own profile (seed 000 "fill in a profile"): display name, phone, preferred language.
// It exists before association, so the association dialog can reuse what the user entered.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { collections } from '../db/collections';
import type { Identity } from '../access/identity';
import { Refusal, refusalOfIssue } from '../refusal';
import { DEFAULT_LANGUAGE, LANGUAGES, type LanguageCode } from './languages';

export interface UserProfile {
  displayName?: string;
  phone?: string;
  /** The language to use: the stated one, else English. */
  language: LanguageCode;
  /** The language the person chose (profile, association form, invitation); undefined if they never did. */
  statedLanguage?: LanguageCode;
  updatedAt?: Date;
}

interface ProfileDoc {
  _id: string;
  tenantId: string;
  aadObjectId: string;
  displayName?: string;
  phone?: string;
  /** Only set once the person chose a language: its absence means "never chose". */
  language?: LanguageCode;
  updatedAt?: Date;
}

/** A value the user typed that cannot be stored; `code` names why (errors catalogue). */
export class ProfileInputError extends Refusal {}

const CONTROL = /[\u0000-\u001f\u007f]/;
const languageCodes = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];

export const profileFields = {
  displayName: z.string('errors:profile.nameEmpty').trim()
    .min(1, 'errors:profile.nameEmpty')
    .max(100, 'errors:profile.nameTooLong')
    .refine((v) => !CONTROL.test(v), 'errors:profile.nameControl'),
  phone: z.string('errors:profile.phoneChars').trim()
    .regex(/^\+?[0-9 ()./-]+$/, 'errors:profile.phoneChars')
    .refine((v) => { const digits = v.replace(/\D/g, '').length; return digits >= 6 && digits <= 15; }, 'errors:profile.phoneDigits'),
  // The message lists the languages: the bot layer adds their names as {{languages}}.
  language: z.enum(languageCodes, 'errors:profile.languageChoice'),
};

export type ProfileField = keyof typeof profileFields;
export type ProfilePatch = Partial<Pick<UserProfile, ProfileField>>;

const profileId = (who: Identity) => `${who.tenantId}:${who.aadObjectId}`;

const profileOf = (doc: ProfileDoc | null): UserProfile => ({
  language: doc?.language ?? DEFAULT_LANGUAGE, statedLanguage: doc?.language, displayName: doc?.displayName, phone: doc?.phone, updatedAt: doc?.updatedAt,
});

export async function getProfile(db: Db, who: Identity): Promise<UserProfile> {
  return profileOf(await db.collection<ProfileDoc>(collections.userProfiles).findOne({ _id: profileId(who) }));
}

/** Checks one field's value as the user typed it; returns the cleaned value or throws ProfileInputError. */
export function checkProfileField<F extends ProfileField>(field: F, value: unknown): NonNullable<ProfilePatch[F]> {
  const parsed = profileFields[field].safeParse(value);
  if (!parsed.success) { const { code, values } = refusalOfIssue(parsed.error.issues[0]); throw new ProfileInputError(code, values); }
  return parsed.data as NonNullable<ProfilePatch[F]>;
}

export async function updateProfile(db: Db, who: Identity, patch: ProfilePatch): Promise<UserProfile> {
  const set: Partial<ProfileDoc> = { updatedAt: new Date() };
  for (const field of Object.keys(patch) as ProfileField[]) {
    if (!(field in profileFields)) throw new ProfileInputError('errors:profile.notAField', { field: String(field).slice(0, 40) });
    Object.assign(set, { [field]: checkProfileField(field, patch[field]) });
  }
  const doc = await db.collection<ProfileDoc>(collections.userProfiles).findOneAndUpdate(
    { _id: profileId(who) },
    // No language on insert: a profile without one means the person never chose (the Teams locale decides).
    { $set: set, $setOnInsert: { tenantId: who.tenantId, aadObjectId: who.aadObjectId } },
    { upsert: true, returnDocument: 'after' },
  );
  if (!doc) throw new Error('profile upsert returned no document');
  return profileOf(doc);
}
