// One transcript row, checked with zod: the header names the columns (any order, any case,
// "e-mail" or "email"), and each row must give a valid value for every one of them. A row that
// fails gets one reason naming every bad column, written for the person who made the file.
import { z } from 'zod';
import { CERTIFICATION_TYPES, type CertificationRecord } from './records';

export const TRANSCRIPT_COLUMNS = ['mcid', 'email', 'name', 'type', 'code', 'title', 'date'] as const;
export type TranscriptColumn = (typeof TRANSCRIPT_COLUMNS)[number];

/** How the columns are written in the error messages and the expected header. */
export const COLUMN_TITLES: Record<TranscriptColumn, string> = {
  mcid: 'MCID', email: 'e-mail', name: 'name', type: 'type', code: 'code', title: 'title', date: 'date',
};

/** The file itself cannot be imported (no header, missing columns); `message` is for the user. */
export class TranscriptFormatError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

export type ColumnMap = Record<TranscriptColumn, number> & { width: number };

const normalise = (heading: string) => heading.trim().toLowerCase().replace(/[\s_-]+/g, '');

/** Maps the header's headings to the columns; other headings are ignored. */
export function mapHeader(fields: readonly string[], line: number): ColumnMap {
  const found = new Map<string, number>();
  fields.forEach((heading, i) => {
    const key = normalise(heading);
    if (found.has(key) && (TRANSCRIPT_COLUMNS as readonly string[]).includes(key)) {
      throw new TranscriptFormatError(`Line ${line}: the header names the column "${heading.trim()}" twice.`, line);
    }
    found.set(key, i);
  });
  const missing = TRANSCRIPT_COLUMNS.filter((c) => !found.has(c));
  if (missing.length) {
    throw new TranscriptFormatError(
      `Line ${line}: the first line must be a header naming the columns ${TRANSCRIPT_COLUMNS.map((c) => COLUMN_TITLES[c]).join(', ')}; `
      + `missing: ${missing.map((c) => COLUMN_TITLES[c]).join(', ')}.`,
      line,
    );
  }
  const map = Object.fromEntries(TRANSCRIPT_COLUMNS.map((c) => [c, found.get(c)!])) as Record<TranscriptColumn, number>;
  return { ...map, width: fields.length };
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const MIN_DATE = Date.UTC(1990, 0, 1);

// Line breaks and tabs inside a quoted field become single spaces: names and titles are one line.
const text = (column: string, max: number) => z.string().transform((v) => v.replace(/\s+/g, ' ').trim())
  .pipe(z.string()
    .min(1, `${column} is empty`)
    .max(max, `${column} is longer than ${max} characters`)
    .refine((v) => !CONTROL.test(v), `${column} contains control characters`));

/** The row schema; `now` bounds the date (a record cannot be from the future). */
export function rowSchema(now: Date) {
  return z.object({
    mcid: z.string().trim().regex(/^\d{4,12}$/, 'MCID must be 4 to 12 digits'),
    email: z.string().trim().toLowerCase().pipe(z.email('e-mail is not a valid address')),
    name: text('name', 200),
    type: z.string().trim().toLowerCase()
      .pipe(z.enum(CERTIFICATION_TYPES, { error: 'type must be exam, certification or assessment' })),
    code: z.string().trim().toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/, 'code must be letters, digits and hyphens, like AZ-104'),
    title: text('title', 300),
    date: z.string().trim()
      .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'date must be written YYYY-MM-DD')
      .transform((v, ctx) => {
        const day = v.slice(0, 10);
        const date = new Date(`${day}T00:00:00.000Z`);
        if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
          ctx.addIssue({ code: 'custom', message: `date ${day} is not a real day` });
          return z.NEVER;
        }
        // One day of slack: the file may come from a time zone ahead of ours.
        if (date.getTime() > now.getTime() + 86_400_000) {
          ctx.addIssue({ code: 'custom', message: `date ${day} is in the future` });
          return z.NEVER;
        }
        if (date.getTime() < MIN_DATE) {
          ctx.addIssue({ code: 'custom', message: `date ${day} is before 1990` });
          return z.NEVER;
        }
        return date;
      }),
  });
}

export type RowCheck = { ok: true; record: CertificationRecord } | { ok: false; reason: string };

/** Checks one data row against the header's column map. */
export function checkRow(fields: readonly string[], columns: ColumnMap, schema: ReturnType<typeof rowSchema>): RowCheck {
  // Extra empty cells at the end (spreadsheet exports) are harmless; anything else is not.
  let width = fields.length;
  while (width > columns.width && fields[width - 1].trim() === '') width -= 1;
  if (width !== columns.width) {
    return { ok: false, reason: `expected ${columns.width} fields like the header, found ${width} (a comma inside a field needs quotes around the field)` };
  }
  const values = Object.fromEntries(TRANSCRIPT_COLUMNS.map((c) => [c, fields[columns[c]] ?? '']));
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, record: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((issue) => issue.message).join('; ') };
}
