// `npm run import-transcripts -- FILE.csv [--org PARTNERID]` from the command line: a summary
// with the rejected rows' lines, and one clear line with exit code 1 when the file cannot be read.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HEADER } from '../competencies/fixtures';

const repo = path.resolve(__dirname, '..', '..');

interface Run { code: number; stdout: string; stderr: string }

function cli(args: string[], dbPath: string): Promise<Run> {
  // Always the embedded store in a folder of the test's own, never a MONGODB_URI database.
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_DB_PATH: dbPath };
  delete env.MONGODB_URI;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/importTranscripts.ts', ...args], { cwd: repo, env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('certifications: the import-transcripts command', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'import-cli-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file and prints a summary with each rejected row and its line; importing again changes nothing', async () => {
    const file = path.join(dir, 'transcript.csv');
    writeFileSync(file, [HEADER, '991000001,ada@contoso.example,Ada,exam,AZ-104,Admin,2025-03-14', '12ab,bob@contoso.example,Bob,exam,AZ-104,Admin,2025-03-14', ''].join('\n'));
    const first = await cli([file], path.join(dir, 'db'));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /2 rows read, 1 imported \(1 new, 0 updated, 0 unchanged\), 1 rejected\./);
    assert.match(first.stdout, /line 3: MCID must be 4 to 12 digits/);
    const again = await cli([file], path.join(dir, 'db'));
    assert.match(again.stdout, /1 imported \(0 new, 0 updated, 1 unchanged\)/);
  });

  it('a missing file, a folder, no file or a bad --org ends with one line and exit code 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[path.join(dir, 'missing.csv')], /^import-transcripts: cannot read .*missing\.csv: no such file\n$/],
      [[dir], /^import-transcripts: cannot read .*: it is a directory\n$/],
      [[], /^import-transcripts: give exactly one CSV file to import \(usage: npm run import-transcripts -- FILE\.csv \[--org PARTNERID\]\)\n$/],
      [[path.join(dir, 'x.csv'), '--org', 'abc'], /^import-transcripts: --org must be a Partner ID \(digits\), got 'abc'\n$/],
    ];
    for (const [args, expected] of cases) {
      const run = await cli(args, path.join(dir, 'db'));
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, expected);
      assert.equal(run.stdout, '');
    }
  });

  it('a file without the header, or an unknown organisation, is refused with one line', async () => {
    const file = path.join(dir, 'noheader.csv');
    writeFileSync(file, '991000001,ada@contoso.example,Ada,exam,AZ-104,Admin,2025-03-14\n');
    const noHeader = await cli([file], path.join(dir, 'db'));
    assert.equal(noHeader.code, 1);
    assert.match(noHeader.stderr, /^import-transcripts: Line 1: the first line must be a header naming the columns MCID, e-mail, name, type, code, title, date; missing: MCID, e-mail, name, type, code, title, date\.\n$/);
    const unknownOrg = await cli([file, '--org', '999999'], path.join(dir, 'db'));
    assert.equal(unknownOrg.code, 1);
    assert.match(unknownOrg.stderr, /^import-transcripts: there is no organisation with Partner ID 999999\n$/);
  });
});
