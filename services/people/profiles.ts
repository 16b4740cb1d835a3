// A user's own profile (seed 000 "fill in a profile"): display name, phone, preferred language.
// It exists before association, so the association dialog can reuse what the user entered.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { collections } from '../db/collections';
import type { Identity } from '../access/identity';
import { DEFAULT_LANGUAGE, LANGUAGES, type LanguageCode } from './languages';

export interface UserProfile {
  displayName?: string;
  phone?: string;
  language: LanguageCode;
  updatedAt?: Date;
}

interface ProfileDoc extends UserProfile {
  _id: string;
  tenantId: string;
  aadObjectId: string;
}

/** A value the user typed that cannot be stored; `message` is written for the user. */
export class ProfileInputError extends Error {}

const CONTROL = /[\u0000-\u001f\u007f]/;
const languageCodes = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];

export const profileFields = {
  displayName: z.string().trim()
    .min(1, 'Your name cannot be empty.')
    .max(100, 'Your name can be at most 100 characters.')
    .refine((v) => !CONTROL.test(v), 'Your name cannot contain control characters.'),
  phone: z.string().trim()
    .regex(/^\+?[0-9 ()./-]+$/, 'A phone number may contain digits, spaces, ( ) - . and a leading +, for example +44 20 7946 0000.')
    .refine((v) => { const digits = v.replace(/\D/g, '').length; return digits >= 6 && digits <= 15; },
      'A phone number has between 6 and 15 digits, for example +44 20 7946 0000.'),
  language: z.enum(languageCodes, `Choose one of: ${LANGUAGES.map((l) => l.name).join(', ')}.`),
};

export type ProfileField = keyof typeof profileFields;
export type ProfilePatch = Partial<Pick<UserProfile, ProfileField>>;

const profileId = (who: Identity) => `${who.tenantId}:${who.aadObjectId}`;

export async function getProfile(db: Db, who: Identity): Promise<UserProfile> {
  const doc = await db.collection<ProfileDoc>(collections.userProfiles).findOne({ _id: profileId(who) });
  return { language: doc?.language ?? DEFAULT_LANGUAGE, displayName: doc?.displayName, phone: doc?.phone, updatedAt: doc?.updatedAt };
}

/** Checks one field's value as the user typed it; returns the cleaned value or throws ProfileInputError. */
export function checkProfileField<F extends ProfileField>(field: F, value: unknown): NonNullable<ProfilePatch[F]> {
  const parsed = profileFields[field].safeParse(value);
  if (!parsed.success) throw new ProfileInputError(parsed.error.issues[0].message);
  return parsed.data as NonNullable<ProfilePatch[F]>;
}

export async function updateProfile(db: Db, who: Identity, patch: ProfilePatch): Promise<UserProfile> {
  const set: Partial<ProfileDoc> = { updatedAt: new Date() };
  for (const field of Object.keys(patch) as ProfileField[]) {
    if (!(field in profileFields)) throw new ProfileInputError(`'${String(field)}' is not part of your profile.`);
    Object.assign(set, { [field]: checkProfileField(field, patch[field]) });
  }
  const doc = await db.collection<ProfileDoc>(collections.userProfiles).findOneAndUpdate(
    { _id: profileId(who) },
    { $set: set, $setOnInsert: { tenantId: who.tenantId, aadObjectId: who.aadObjectId, ...('language' in set ? {} : { language: DEFAULT_LANGUAGE }) } },
    { upsert: true, returnDocument: 'after' },
  );
  if (!doc) throw new Error('profile upsert returned no document');
  return { language: doc.language, displayName: doc.displayName, phone: doc.phone, updatedAt: doc.updatedAt };
}
