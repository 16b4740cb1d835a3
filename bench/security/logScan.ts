// Privacy of logs over the whole end-to-end suite (issue 7): runs every test file that starts a
// bot, with logging at debug level and every log line copied to one file, then scans that file
// for what must never be logged. `npm run bench:logscan`. Prints counts, writes
// bench/out/logScan.json; exit code 1 on any finding (or if the suite itself failed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The suites whose bots log (the store, browser and pure-unit suites start none in process).
const SPECS = ['test/bot', 'test/people', 'test/certifications', 'test/competencies', 'test/reports', 'test/security', 'test/dialogs', 'test/associations']
  .map((dir) => `${dir}/*.test.ts`);

/** What must not appear in a log line, each with a pattern that finds it. */
const RULES: Array<{ name: string; pattern: RegExp }> = [
  { name: 'JWT (access or id token)', pattern: /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { name: 'Bearer credential', pattern: /Bearer\s+[A-Za-z0-9._~+/=-]{8,}/i },
  { name: 'full e-mail address', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/ },
  { name: 'password value', pattern: /"(temporaryPassword|password|passwd|clientSecret|client_secret)":"(?!\[redacted\])[^"]+"/i },
  { name: 'one-time or invitation code value', pattern: /"(code|otp|invitationCode)":"(?!\[redacted\])[^"]+"/i },
  { name: 'report link token', pattern: /[?&]token=(?!\[redacted\])[A-Za-z0-9._~-]{16,}/ },
];

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mpn-logscan-'));
  const file = join(dir, 'logs.ndjson');
  writeFileSync(file, '');
  const started = Date.now();
  const run = spawnSync('npx', ['mocha', '--no-config', '-r', 'tsx/cjs', '--extension', 'ts', '--timeout', '60000', '--exit', '--reporter', 'dot', ...SPECS], {
    env: { ...process.env, TEST_LOG_LEVEL: 'debug', TEST_LOG_FILE: file, NODE_OPTIONS: '--disable-warning=DEP0111' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const findings = RULES.map((rule) => {
    const hits = lines.filter((l) => rule.pattern.test(l));
    return { rule: rule.name, lines: hits.length, examples: hits.slice(0, 3).map((l) => l.replace(rule.pattern, (m) => `«${m.slice(0, 4)}…»`).slice(0, 300)) };
  });
  const debugLines = lines.filter((l) => /"level":20\b/.test(l)).length;
  const result = {
    suiteExit: run.status, seconds: Math.round((Date.now() - started) / 1000), linesScanned: lines.length, debugLines,
    findings: findings.map(({ rule, lines: n }) => ({ rule, lines: n })), totalFindings: findings.reduce((a, f) => a + f.lines, 0),
  };
  process.stdout.write(`\nlog privacy over the end-to-end suite (debug level): ${result.linesScanned} lines scanned (${debugLines} at debug), suite exit ${run.status}, ${result.seconds} s\n`);
  for (const f of findings) {
    process.stdout.write(`  ${f.rule.padEnd(36)} ${String(f.lines).padStart(5)}\n`);
    for (const example of f.examples) process.stdout.write(`      ${example}\n`);
  }
  mkdirSync(join(__dirname, '..', 'out'), { recursive: true });
  writeFileSync(join(__dirname, '..', 'out', 'logScan.json'), `${JSON.stringify(result, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = result.totalFindings > 0 || run.status !== 0 ? 1 : 0;
}

main();
