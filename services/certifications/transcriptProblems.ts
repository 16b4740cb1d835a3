// What can be wrong with a transcript, as codes and values: the importer speaks no language, and
// whoever shows the result (the chat, in the admin's language; the CLI, in English) words it
// (bot/actions/transcriptWording.ts). Columns are named by the heading the file must use
// ("MCID", "e-mail", "name"…), which is the same whatever the reader's language.
import type { TranscriptColumn } from './transcriptRow';

/** Why one data row was not stored. */
export type TranscriptProblem =
  | { code: 'fieldCount'; expected: number; found: number }
  | { code: 'mcidFormat' | 'emailInvalid' | 'typeUnknown' | 'codeFormat' | 'dateFormat' }
  | { code: 'dateNotReal' | 'dateFuture' | 'dateTooOld'; date: string }
  | { code: 'textEmpty' | 'textControl'; column: TranscriptColumn }
  | { code: 'textTooLong'; column: TranscriptColumn; max: number }
  /** A value our schema refused for a reason it has no code for (a safety net). */
  | { code: 'valueInvalid'; column: TranscriptColumn }
  // The CSV itself (csv-parse could not read the row).
  | { code: 'quoteNotClosed' | 'textAfterQuote' | 'notCsv' }
  | { code: 'rowTooLong'; max: number }
  // An organisation admin's import (see ImportOptions.asOrganisationAdmin).
  | { code: 'mcidLinkedElsewhere' | 'mcidOtherEmail'; mcid: string };

/** Why the file as a whole cannot be imported. */
export type TranscriptFileProblem =
  | { code: 'headerDuplicate'; heading: string }
  | { code: 'headerMissing'; missing: TranscriptColumn[] }
  | { code: 'fileEmpty' }
  /** The first record (where the header belongs) could not be read as CSV. */
  | { code: 'unreadableHeader'; problem: TranscriptProblem };

/** The file itself cannot be imported (no header, missing columns); the bot or CLI words `problem`. */
export class TranscriptFormatError extends Error {
  constructor(readonly problem: TranscriptFileProblem, readonly line?: number) {
    // For logs only: the code and the line, never a sentence meant for a user.
    super(`transcript refused: ${problem.code}${line === undefined ? '' : ` (line ${line})`}`);
    this.name = 'TranscriptFormatError';
  }
}
