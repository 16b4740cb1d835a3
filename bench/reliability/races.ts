// `npx tsx bench/reliability/races.ts [--requests 500] [--in-flight 8]`: issue 7's race across
// instances at full size. Two bot processes share one embedded store process (`npm run db`), one
// connector stand-in outside both; every pending request is approved by two approvers clicking
// at once through different instances. Prints the counts and writes bench/out/races.json;
// exits 1 when any count is off (test/reliability/racesAcrossInstances.test.ts runs 40).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { raceAcrossInstances, type RaceCounts } from '../../test/support/raceAcrossInstances';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '500' }, 'in-flight': { type: 'string', default: '8' } } });
  const requests = Number(values.requests);
  const inFlight = Number(values['in-flight']);
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(inFlight) || inFlight < 1) throw new Error('--requests and --in-flight are whole numbers ≥ 1');
  const c = await raceAcrossInstances({ requests, inFlight, log: (line) => process.stdout.write(`… ${line}\n`) });
  const problems = judge(c);
  const rows: [string, string][] = [
    ['pending requests', `${c.requests}`],
    ['bot instances / store processes', `${c.instances} / 1`],
    ['approve clicks (2 per request, at once, different instances)', `${c.clicks}`],
    ['clicks not answered with a card', `${c.badAnswers}`],
    ['pairs shown different decisions', `${c.disagreements}`],
    ['requests approved, with who decided', `${c.approved}, ${c.decided}`],
    ['audit entries (distinct requests)', `${c.audited} (${c.auditedSubjects})`],
    ['memberships created', `${c.memberships}`],
    ['requesters told once / more than once / never', `${c.toldOnce} / ${c.toldMoreThanOnce} / ${c.notTold}`],
    ['approval card copies / in their final state', `${c.cardCopies} / ${c.cardCopiesFinal}`],
    ['dead notifications', `${c.deadNotifications}`],
    ['seconds: set-up / race / settle', `${c.seconds.setUp} / ${c.seconds.race} / ${c.seconds.settle}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n${problems.length ? `MISSED: ${problems.join('; ')}` : 'met: exactly one decision per request, each requester told once, every copy final'}\n`);
  const out = path.resolve(__dirname, '..', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'races.json'), `${JSON.stringify({ at: new Date().toISOString(), counts: c, problems }, null, 2)}\n`);
  process.exitCode = problems.length ? 1 : 0;
}

function judge(c: RaceCounts): string[] {
  const n = c.requests;
  const expect: [string, number, number][] = [
    ['bad answers', c.badAnswers, 0], ['disagreements', c.disagreements, 0], ['approved', c.approved, n], ['decided', c.decided, n],
    ['audited', c.audited, n], ['audited requests', c.auditedSubjects, n], ['memberships', c.memberships, n], ['told once', c.toldOnce, n],
    ['card copies', c.cardCopies, 2 * n], ['final copies', c.cardCopiesFinal, 2 * n], ['dead', c.deadNotifications, 0],
  ];
  return expect.filter(([, got, want]) => got !== want).map(([what, got, want]) => `${what} ${got} (expected ${want})`);
}

main().catch((err: unknown) => {
  process.stderr.write(`races failed: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
