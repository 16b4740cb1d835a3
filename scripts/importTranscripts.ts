// `npm run import-transcripts -- FILE.csv [--org PARTNERID]`: imports a transcript CSV into the
// certification directory from the command line, on MONGODB_URI or the embedded store's data
// folder (like the bot). Progress goes to stderr, the summary to stdout. A file that cannot be
// read, a bad header or an unknown organisation ends with one line and exit code 1; rejected
// rows are listed with their line numbers and do not fail the run.
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { collections } from '../services/db/collections';
import { connect, type Connection } from '../services/db/connect';
import type { OrganisationDoc } from '../services/organisations/organisation';
import { partnerIdSchema } from '../services/certifications/inputs';
import { importTranscript, TranscriptFormatError, type ImportProgress } from '../services/certifications/importTranscript';
import { translator } from '../i18n';
import { formatErrorText, rejectionReason } from '../bot/actions/transcriptWording';

const USAGE = 'usage: npm run import-transcripts -- FILE.csv [--org PARTNERID]';
const SHOWN_REJECTIONS = 20;

class UsageError extends Error {}

const n = (value: number) => value.toLocaleString('en');
/** The operator's tool speaks English; the importer's problems are worded by the bot's catalogue. */
const english = translator('en');

function parse(argv: string[]): { file: string; org?: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { org: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (${USAGE})`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\nColumns: MCID, e-mail, name, type (exam, certification or assessment), code, title, date (YYYY-MM-DD); the first line is the header.\n`);
    process.exit(0);
  }
  if (parsed.positionals.length !== 1) throw new UsageError(`give exactly one CSV file to import (${USAGE})`);
  let org: string | undefined;
  if (parsed.values.org !== undefined) {
    const id = partnerIdSchema.safeParse(parsed.values.org);
    if (!id.success) throw new UsageError(`--org must be a Partner ID (digits), got '${parsed.values.org}'`);
    org = id.data;
  }
  return { file: parsed.positionals[0], org };
}

async function main(): Promise<number> {
  const { file, org } = parse(process.argv.slice(2));
  // Open the file before anything else, so a wrong path fails at once with the reason.
  let handle;
  try {
    handle = await open(file, 'r');
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (err) {
    await handle?.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new UsageError(`cannot read ${file}: ${why}`);
  }

  let connection: Connection | undefined;
  try {
    try {
      connection = await connect();
    } catch (err) {
      throw new UsageError(`cannot open the database: ${(err as Error).message}${process.env.MONGODB_URI ? '' : ' (stop the bot, or set MONGODB_URI to the store it uses: npm run db prints one)'}`);
    }
    const { db } = connection;
    if (org && !(await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: org }, { projection: { _id: 1 } }))) {
      throw new UsageError(`there is no organisation with Partner ID ${org}`);
    }
    // A progress line at most every second; a file imported within a second shows only the summary.
    const started = Date.now();
    let lastPrint = started;
    const report = (p: ImportProgress) => {
      if (Date.now() - lastPrint < 1000) return;
      lastPrint = Date.now();
      process.stderr.write(`  ${n(p.read)} rows read, ${n(p.imported)} imported, ${n(p.rejected)} rejected\n`);
    };
    const summary = await importTranscript(db, handle.createReadStream(), { orgId: org, onProgress: report });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Imported ${file}${org ? ` for Partner ID ${org}` : ''} in ${seconds} s: ${n(summary.read)} rows read, ${n(summary.imported)} imported `
      + `(${n(summary.inserted)} new, ${n(summary.updated)} updated, ${n(summary.unchanged)} unchanged), ${n(summary.rejected)} rejected.\n`,
    );
    if (summary.rejected > 0) {
      process.stdout.write('Rejected rows (not stored):\n');
      for (const r of summary.rejections.slice(0, SHOWN_REJECTIONS)) process.stdout.write(`  line ${r.line}: ${rejectionReason(english, r)}\n`);
      const more = summary.rejected - Math.min(SHOWN_REJECTIONS, summary.rejections.length);
      if (more > 0) process.stdout.write(`  … and ${n(more)} more.\n`);
    }
    return 0;
  } finally {
    await handle.close().catch(() => undefined);
    await connection?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const why = err instanceof TranscriptFormatError ? formatErrorText(english, err)
      : err instanceof UsageError ? err.message : (err as Error)?.stack ?? String(err);
    process.stderr.write(`import-transcripts: ${why}\n`);
    process.exit(1);
  },
);
