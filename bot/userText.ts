// Services name what went wrong with a code (+ values); this turns those into sentences in the
// reader's language: refusals, zod issues of our schemas (their messages are errors keys) and
// zod's own messages (in zod's locale for the language), and directory failures.
import { z } from 'zod';
import type { BotLanguage, Translate } from '../i18n';
import { DirectoryForbiddenError, DirectoryUnavailableError, type DirectoryError } from '../services/directory/errors';
import { LANGUAGES } from '../services/people/languages';
import type { Refusal, RefusalValues } from '../services/refusal';

/** Values every errors sentence may use (the list of languages a user may choose). */
const COMMON_VALUES = { languages: LANGUAGES.map((l) => l.name).join(', ') };

/** An `errors:` key with its values; anything else (a zod default message) is shown as it is. */
export function errorText(t: Translate, code: string, values: RefusalValues = {}): string {
  if (!code.startsWith('errors:')) return code;
  return t(code, { ...COMMON_VALUES, ...values });
}

/** A refusal from a service; {{detail}} is its directory problem (a generic one if none is known). */
export function refusalText(t: Translate, err: Refusal): string {
  const detail = err.directoryProblem ? directoryText(t, err.directoryProblem) : t('errors:directory.failed');
  return errorText(t, err.code, { detail, ...err.values });
}

type Issue = { code: string; message: string; params?: Record<string, unknown> };

/** One zod issue: our schemas' keys are translated; zod's own messages come in the language already (see zodOptions). */
export function issueText(t: Translate, issue: Issue): string {
  const values = issue.code === 'custom' && issue.params ? (issue.params as RefusalValues) : {};
  return errorText(t, issue.message, values);
}

const ZOD_LOCALES: Partial<Record<BotLanguage, z.core.$ZodErrorMap>> = { fr: z.locales.fr().localeError };

/** Parse options that make zod's own messages (wrong types…) speak the language; English is zod's default. */
export function zodOptions(language: BotLanguage): { error?: z.core.$ZodErrorMap } {
  const error = ZOD_LOCALES[language];
  return error ? { error } : {};
}

/** A Microsoft Graph failure, in words for the user. */
export function directoryText(t: Translate, err: DirectoryError): string {
  if (err instanceof DirectoryUnavailableError) {
    switch (err.reason) {
      case 'no-credentials': return t('errors:directory.noCredentials');
      case 'not-consented': return t('errors:directory.notConsented');
      case 'credentials-rejected': return t('errors:directory.credentialsRejected');
      case 'no-sender-mailbox': return t('errors:directory.noSenderMailbox');
      case 'no-teams-app': return t('errors:directory.noTeamsApp');
    }
  }
  if (err instanceof DirectoryForbiddenError) return t('errors:directory.forbidden', { permissions: err.permissions.join(', ') });
  switch (err.problem) {
    case 'throttled': return t('errors:directory.busy');
    case 'unreachable': return t('errors:directory.unreachable');
    case 'refused': return t('errors:directory.refused');
    case 'badAnswer': return t('errors:directory.badAnswer');
    case 'unknownPerson': return t('errors:directory.unknownPerson');
    case 'unknownOrganisation': return t('errors:directory.unknownOrganisation');
    case 'signInUnreachable': return t('errors:directory.signInUnreachable');
    case 'signInRefused': return t('errors:directory.signInRefused');
    case 'conflict': return t('errors:directory.conflict');
    default: return t('errors:directory.failed'); // serverError, and any problem not worded apart
  }
}
