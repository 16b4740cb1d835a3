// Every sentence the bot shows goes through here: i18next with one catalogue per feature
// (namespace) and language under i18n/<language>/<namespace>.json. A key is 'namespace:path',
// e.g. t('common:notAvailable', { command }). English is the fallback for a missing key, and a
// test keeps the French catalogues complete, so a user never sees a raw key.
import i18next, { type i18n } from 'i18next';
import commonEn from './en/common.json';
import commonFr from './fr/common.json';
import peopleEn from './en/people.json';
import peopleFr from './fr/people.json';
import certificationsEn from './en/certifications.json';
import certificationsFr from './fr/certifications.json';
import competenciesEn from './en/competencies.json';
import competenciesFr from './fr/competencies.json';
import invitationsEn from './en/invitations.json';
import invitationsFr from './fr/invitations.json';
import associationEn from './en/association.json';
import associationFr from './fr/association.json';
import approvalsEn from './en/approvals.json';
import approvalsFr from './fr/approvals.json';
import auditEn from './en/audit.json';
import auditFr from './fr/audit.json';
import errorsEn from './en/errors.json';
import errorsFr from './fr/errors.json';
import helpEn from './en/help.json';
import helpFr from './fr/help.json';
import organisationsEn from './en/organisations.json';
import organisationsFr from './fr/organisations.json';
import profileEn from './en/profile.json';
import profileFr from './fr/profile.json';
import invitationAdminEn from './en/invitationAdmin.json';
import invitationAdminFr from './fr/invitationAdmin.json';
import reliabilityEn from './en/reliability.json';
import reliabilityFr from './fr/reliability.json';

/** Languages the bot speaks; a user preferring any other gets English. */
export const BOT_LANGUAGES = ['en', 'fr'] as const;
export type BotLanguage = (typeof BOT_LANGUAGES)[number];
export const FALLBACK_LANGUAGE: BotLanguage = 'en';

type Catalogue = Record<string, unknown>;

/** namespace → language → catalogue. A feature adds its two imports and one line here. */
export const CATALOGUES: Record<string, Record<BotLanguage, Catalogue>> = {
  common: { en: commonEn, fr: commonFr },
  people: { en: peopleEn, fr: peopleFr },
  certifications: { en: certificationsEn, fr: certificationsFr },
  competencies: { en: competenciesEn, fr: competenciesFr },
  invitations: { en: invitationsEn, fr: invitationsFr },
  association: { en: associationEn, fr: associationFr },
  approvals: { en: approvalsEn, fr: approvalsFr },
  audit: { en: auditEn, fr: auditFr },
  errors: { en: errorsEn, fr: errorsFr },
  help: { en: helpEn, fr: helpFr },
  organisations: { en: organisationsEn, fr: organisationsFr },
  profile: { en: profileEn, fr: profileFr },
  invitationAdmin: { en: invitationAdminEn, fr: invitationAdminFr },
  reliability: { en: reliabilityEn, fr: reliabilityFr },
};

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

let instance: i18n | undefined;

function engine(): i18n {
  if (instance) return instance;
  const resources: Record<string, Record<string, Catalogue>> = {};
  for (const language of BOT_LANGUAGES) {
    resources[language] = Object.fromEntries(Object.entries(CATALOGUES).map(([ns, byLanguage]) => [ns, byLanguage[language]]));
  }
  const created = i18next.createInstance();
  // Synchronous: resources are in memory, so the first turn never waits for a load.
  void created.init({
    resources,
    initAsync: false,
    lng: FALLBACK_LANGUAGE,
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: [...BOT_LANGUAGES],
    ns: Object.keys(CATALOGUES),
    defaultNS: 'common',
    // Messages are Markdown or card text, not HTML; cards escape what they need themselves.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  instance = created;
  return created;
}

/**
 * The bot language from candidates in order of preference: e.g. the invitation's or profile's
 * language ('fr'), then the Teams locale ('fr-FR', 'fr-ca'). The first the bot speaks wins;
 * none → English.
 */
export function botLanguage(...candidates: ReadonlyArray<string | null | undefined>): BotLanguage {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate === '') continue;
    const base = candidate.toLowerCase().split(/[-_]/)[0];
    if ((BOT_LANGUAGES as readonly string[]).includes(base)) return base as BotLanguage;
  }
  return FALLBACK_LANGUAGE;
}

const translators = new Map<BotLanguage, Translate>();
/** Far above the catalogues' key count: only a caller inventing keys would reach it. */
const PLAIN_CACHE_LIMIT = 10_000;

/** A translate function bound to a language (any string: it goes through botLanguage). */
export function translator(language?: string | null): Translate {
  const lng = botLanguage(language);
  let t = translators.get(lng);
  if (!t) {
    const fixed = engine().getFixedT(lng);
    // A sentence without values is the same every time: looked up once (a card asks for dozens).
    const plain = new Map<string, string>();
    t = (key, vars) => {
      if (vars) return fixed(key, vars) as string;
      let text = plain.get(key);
      if (text === undefined) {
        text = fixed(key, {}) as string;
        if (plain.size < PLAIN_CACHE_LIMIT) plain.set(key, text);
      }
      return text;
    };
    translators.set(lng, t);
  }
  return t;
}
