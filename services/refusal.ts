// A rule said no, or a value cannot be used. Services speak no language: they name the reason
// with a key of the `errors` catalogue (e.g. 'errors:association.alreadyMember') and the values
// that fill it in; the bot layer translates it for whoever is asking. `message` (the key) is
// for logs only.
import type { DirectoryError } from './directory/errors';

export type RefusalValues = Record<string, string | number>;

export class Refusal extends Error {
  constructor(
    /** An `errors:` catalogue key. */
    readonly code: string,
    readonly values: RefusalValues = {},
    /** A directory failure behind the refusal; the bot layer words it as the detail. */
    readonly directoryProblem?: DirectoryError,
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/** A zod issue of our schemas (their messages are errors keys; custom issues carry values in params). */
export function refusalOfIssue(issue: { code: string; message: string; params?: Record<string, unknown> }): { code: string; values: RefusalValues } {
  return {
    code: issue.message.startsWith('errors:') ? issue.message : 'errors:input.invalid',
    values: issue.code === 'custom' && issue.params ? (issue.params as RefusalValues) : {},
  };
}
