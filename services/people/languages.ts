// The languages a user may prefer for the bot's messages and invitations (seed 000/002 ask
// for a preferred language). Codes are BCP 47; names are shown in the language itself.
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'es', name: 'Español' },
  { code: 'fr', name: 'Français' },
  { code: 'it', name: 'Italiano' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'pt-BR', name: 'Português (Brasil)' },
  { code: 'ja', name: '日本語' },
  { code: 'ko', name: '한국어' },
  { code: 'zh-Hans', name: '中文(简体)' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const DEFAULT_LANGUAGE: LanguageCode = 'en';

export function languageName(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.name ?? code;
}

/** Matches a code or a name, case-insensitively ("de", "Deutsch", "deutsch"). */
export function findLanguage(input: string): LanguageCode | undefined {
  const wanted = input.trim().toLowerCase();
  return LANGUAGES.find((l) => l.code.toLowerCase() === wanted || l.name.toLowerCase() === wanted)?.code;
}
