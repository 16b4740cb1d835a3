// Reads a CSV byte stream into records, each with the line it starts on, so a bad row can be
// reported as "line 17: …". Streaming: csv-parse pulls from the source only as fast as the
// consumer takes records, so a file of any size is read with steady memory.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import type { TranscriptProblem } from './transcriptProblems';

export type CsvItem =
  | { kind: 'record'; line: number; fields: string[] }
  | { kind: 'error'; line: number; problem: TranscriptProblem };

/** A single record longer than this is refused (a runaway quote must not eat the memory). */
export const MAX_RECORD_CHARS = 64 * 1024;

export type CsvSource = Readable | AsyncIterable<string | Uint8Array> | string;

function toReadable(source: CsvSource): Readable {
  if (typeof source === 'string') return Readable.from([source]);
  return source instanceof Readable ? source : Readable.from(source);
}

const LINE_BREAK = /\r\n|\n|\r/g;

/**
 * Yields every non-blank record (the header included) in file order. Rows csv-parse cannot
 * read (an unclosed quote, an oversized record) come as errors with their line; the rest of
 * the file is still read. A failing source (unreadable file) throws.
 */
export async function* readCsv(source: CsvSource): AsyncGenerator<CsvItem> {
  // csv-parse's own line counter counts a CRLF inside a quoted field twice, so lines are
  // counted here from each record's raw text, in the order the parser sees them.
  let nextLine = 1;
  const startOf = (raw: string | undefined): number => {
    const start = nextLine;
    const body = (raw ?? '').replace(/(\r\n|\n|\r)$/, '');
    nextLine = start + (body.match(LINE_BREAK)?.length ?? 0) + 1;
    return start;
  };
  // Skipped records are reported through a callback, not the stream: keep them in order here.
  const skipped: CsvItem[] = [];
  const options: Options<unknown, unknown> = {
    bom: true,
    raw: true,
    relax_column_count: true, // a short or long row is reported by the caller, with its line
    relax_quotes: true, // a stray quote inside an unquoted field is kept as text
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    // With `raw`, csv-parse hands on_record { record, raw } rather than the bare fields.
    on_record: (record: unknown, context: InfoRecord) => {
      const fields = Array.isArray(record) ? record as string[] : (record as { record: string[] }).record;
      return { line: startOf(context.raw), fields };
    },
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      skipped.push({ kind: 'error', line: startOf(raw), problem: problemOfParseError(err) });
      return undefined;
    },
  };
  // csv-parse's typings tie on_record's result to string[] unless `columns` is set.
  const parser = parse(options as Options);
  const done = pipeline(toReadable(source), parser);
  let finished = false;
  try {
    for await (const item of parser as AsyncIterable<{ line: number; fields: string[] }>) {
      while (skipped.length && skipped[0].line < item.line) yield skipped.shift()!;
      if (item.fields.every((f) => f.trim() === '')) continue; // blank line (or only commas)
      yield { kind: 'record', line: item.line, fields: item.fields };
    }
    await done;
    finished = true;
    while (skipped.length) yield skipped.shift()!;
  } finally {
    if (!finished) {
      parser.destroy();
      await done.catch(() => undefined);
    }
  }
}

function problemOfParseError(err: Error | undefined): TranscriptProblem {
  const code = (err as { code?: string } | undefined)?.code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { code: 'quoteNotClosed' };
    case 'CSV_MAX_RECORD_SIZE':
      return { code: 'rowTooLong', max: MAX_RECORD_CHARS };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return { code: 'textAfterQuote' };
    default:
      return { code: 'notCsv' };
  }
}
