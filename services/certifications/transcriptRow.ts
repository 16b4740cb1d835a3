// One transcript row, checked with zod: the header names the columns (any order, any case,
// "e-mail" or "email"), and each row must give a valid value for every one of them. A row that
// fails gets every problem found (one per bad column), as codes the reader's language words.
import { z } from 'zod';
import { CERTIFICATION_TYPES, type CertificationRecord } from './records';
import { TranscriptFormatError, type TranscriptProblem } from './transcriptProblems';

export const TRANSCRIPT_COLUMNS = ['mcid', 'email', 'name', 'type', 'code', 'title', 'date'] as const;
export type TranscriptColumn = (typeof TRANSCRIPT_COLUMNS)[number];

/** The headings as a file writes them (the same in every language: the header must use them). */
export const COLUMN_TITLES: Record<TranscriptColumn, string> = {
  mcid: 'MCID', email: 'e-mail', name: 'name', type: 'type', code: 'code', title: 'title', date: 'date',
};

export type ColumnMap = Record<TranscriptColumn, number> & { width: number };

const normalise = (heading: string) => heading.trim().toLowerCase().replace(/[\s_-]+/g, '');

/** Maps the header's headings to the columns; other headings are ignored. */
export function mapHeader(fields: readonly string[], line: number): ColumnMap {
  const found = new Map<string, number>();
  fields.forEach((heading, i) => {
    const key = normalise(heading);
    if (found.has(key) && (TRANSCRIPT_COLUMNS as readonly string[]).includes(key)) {
      throw new TranscriptFormatError({ code: 'headerDuplicate', heading: heading.trim().slice(0, 100) }, line);
    }
    found.set(key, i);
  });
  const missing = TRANSCRIPT_COLUMNS.filter((c) => !found.has(c));
  if (missing.length) {
    throw new TranscriptFormatError({ code: 'headerMissing', missing }, line);
  }
  const map = Object.fromEntries(TRANSCRIPT_COLUMNS.map((c) => [c, found.get(c)!])) as Record<TranscriptColumn, number>;
  return { ...map, width: fields.length };
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const MIN_DATE = Date.UTC(1990, 0, 1);

// Line breaks and tabs inside a quoted field become single spaces: names and titles are one line.
// The schema's messages are problem codes; problemOf below turns an issue into its problem.
const text = (max: number) => z.string().transform((v) => v.replace(/\s+/g, ' ').trim())
  .pipe(z.string()
    .min(1, 'textEmpty')
    .max(max, 'textTooLong')
    .refine((v) => !CONTROL.test(v), 'textControl'));

/** The row schema; `now` bounds the date (a record cannot be from the future). */
export function rowSchema(now: Date) {
  return z.object({
    mcid: z.string().trim().regex(/^\d{4,12}$/, 'mcidFormat'),
    email: z.string().trim().toLowerCase().pipe(z.email('emailInvalid')),
    name: text(200),
    type: z.string().trim().toLowerCase().pipe(z.enum(CERTIFICATION_TYPES, { error: 'typeUnknown' })),
    code: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/, 'codeFormat'),
    title: text(300),
    date: z.string().trim()
      .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'dateFormat')
      .transform((v, ctx) => {
        const day = v.slice(0, 10);
        const date = new Date(`${day}T00:00:00.000Z`);
        const refuse = (message: 'dateNotReal' | 'dateFuture' | 'dateTooOld') => {
          ctx.addIssue({ code: 'custom', message, params: { date: day } });
          return z.NEVER;
        };
        if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) return refuse('dateNotReal');
        // One day of slack: the file may come from a time zone ahead of ours.
        if (date.getTime() > now.getTime() + 86_400_000) return refuse('dateFuture');
        if (date.getTime() < MIN_DATE) return refuse('dateTooOld');
        return date;
      }),
  });
}

type Issue = z.core.$ZodIssue;

/** One zod issue of rowSchema as the problem it names. */
function problemOf(issue: Issue): TranscriptProblem {
  const column = (TRANSCRIPT_COLUMNS as readonly unknown[]).includes(issue.path[0]) ? issue.path[0] as TranscriptColumn : 'mcid';
  switch (issue.message) {
    case 'mcidFormat': case 'emailInvalid': case 'typeUnknown': case 'codeFormat': case 'dateFormat':
      return { code: issue.message };
    case 'dateNotReal': case 'dateFuture': case 'dateTooOld':
      return { code: issue.message, date: String((issue as { params?: { date?: unknown } }).params?.date ?? '') };
    case 'textEmpty': case 'textControl':
      return { code: issue.message, column };
    case 'textTooLong':
      return { code: 'textTooLong', column, max: Number((issue as { maximum?: unknown }).maximum) };
    default:
      return { code: 'valueInvalid', column };
  }
}

export type RowCheck = { ok: true; record: CertificationRecord } | { ok: false; problems: TranscriptProblem[] };

/** Checks one data row against the header's column map. */
export function checkRow(fields: readonly string[], columns: ColumnMap, schema: ReturnType<typeof rowSchema>): RowCheck {
  // Extra empty cells at the end (spreadsheet exports) are harmless; anything else is not.
  let width = fields.length;
  while (width > columns.width && fields[width - 1].trim() === '') width -= 1;
  if (width !== columns.width) {
    return { ok: false, problems: [{ code: 'fieldCount', expected: columns.width, found: width }] };
  }
  const values = Object.fromEntries(TRANSCRIPT_COLUMNS.map((c) => [c, fields[columns[c]] ?? '']));
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, record: parsed.data };
  return { ok: false, problems: parsed.error.issues.map(problemOf) };
}
