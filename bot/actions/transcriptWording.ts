// Transcript problems in the reader's words: the importer reports codes and values
// (services/certifications/transcriptProblems.ts); the chat words them in the admin's language
// and the CLI in English (translator('en')). Columns keep the headings the file must use.
import type { Translate } from '../../i18n';
import { COLUMN_TITLES, TRANSCRIPT_COLUMNS, type TranscriptColumn } from '../../services/certifications/transcriptRow';
import type { RowRejection } from '../../services/certifications/importTranscript';
import type { TranscriptFileProblem, TranscriptFormatError, TranscriptProblem } from '../../services/certifications/transcriptProblems';

const heading = (column: TranscriptColumn) => COLUMN_TITLES[column];
const allColumns = () => TRANSCRIPT_COLUMNS.map(heading).join(', ');

/** One row problem ("MCID must be 4 to 12 digits"). */
export function problemText(t: Translate, p: TranscriptProblem): string {
  switch (p.code) {
    case 'fieldCount': return t('certifications:transcript.row.fieldCount', { expected: p.expected, found: p.found });
    case 'mcidFormat': return t('certifications:transcript.row.mcidFormat');
    case 'emailInvalid': return t('certifications:transcript.row.emailInvalid');
    case 'typeUnknown': return t('certifications:transcript.row.typeUnknown');
    case 'codeFormat': return t('certifications:transcript.row.codeFormat');
    case 'dateFormat': return t('certifications:transcript.row.dateFormat');
    case 'dateNotReal': return t('certifications:transcript.row.dateNotReal', { date: p.date });
    case 'dateFuture': return t('certifications:transcript.row.dateFuture', { date: p.date });
    case 'dateTooOld': return t('certifications:transcript.row.dateTooOld', { date: p.date });
    case 'textEmpty': return t('certifications:transcript.row.textEmpty', { column: heading(p.column) });
    case 'textControl': return t('certifications:transcript.row.textControl', { column: heading(p.column) });
    case 'textTooLong': return t('certifications:transcript.row.textTooLong', { column: heading(p.column), max: p.max });
    case 'valueInvalid': return t('certifications:transcript.row.valueInvalid', { column: heading(p.column) });
    case 'quoteNotClosed': return t('certifications:transcript.row.quoteNotClosed');
    case 'textAfterQuote': return t('certifications:transcript.row.textAfterQuote');
    case 'notCsv': return t('certifications:transcript.row.notCsv');
    case 'rowTooLong': return t('certifications:transcript.row.rowTooLong', { max: p.max });
    case 'mcidLinkedElsewhere': return t('certifications:transcript.row.mcidLinkedElsewhere', { mcid: p.mcid });
    case 'mcidOtherEmail': return t('certifications:transcript.row.mcidOtherEmail', { mcid: p.mcid });
  }
}

/** Every problem of a rejected row, in one sentence. */
export function rejectionReason(t: Translate, rejection: RowRejection): string {
  return rejection.problems.map((p) => problemText(t, p)).join(t('certifications:transcript.separator'));
}

function fileProblemText(t: Translate, p: TranscriptFileProblem, line: number): string {
  switch (p.code) {
    case 'headerDuplicate': return t('certifications:transcript.file.headerDuplicate', { line, heading: p.heading });
    case 'headerMissing':
      return t('certifications:transcript.file.headerMissing', { line, columns: allColumns(), missing: p.missing.map(heading).join(', ') });
    case 'fileEmpty': return t('certifications:transcript.file.empty', { columns: allColumns() });
    case 'unreadableHeader': return t('certifications:transcript.file.unreadable', { line, reason: problemText(t, p.problem) });
  }
}

/** Why the file cannot be imported at all ("Line 1: the first line must be a header …"). */
export function formatErrorText(t: Translate, err: TranscriptFormatError): string {
  return fileProblemText(t, err.problem, err.line ?? 1);
}
