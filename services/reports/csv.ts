// CSV cells for reports people open in a spreadsheet: RFC 4180 quoting, and no formula
// injection. A cell that starts with = + - @ (or a tab or carriage return, which some
// spreadsheets skip before reading a formula) gets a leading apostrophe, so a name such as
// "=HYPERLINK(…)" is shown as text instead of being run.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export type CsvValue = string | number | null | undefined;

/** Either of the above might apply (one test for the common, plain cell). */
const SPECIAL = /^[=+\-@\s]|[",\r\n]|\s$/;

export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (!SPECIAL.test(text)) return text;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 says. */
export function csvLine(cells: readonly CsvValue[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i += 1) line += (i ? ',' : '') + csvCell(cells[i]);
  return `${line}\r\n`;
}
