// The benchmark harness. Starts the real bot (restify + CloudAdapter + our handler + the store)
// in child processes, a Bot Framework echo bot on the same stack as the baseline, and one
// Bot Connector stand-in that takes both bots' replies; drives them over HTTP; prints a table
// and writes results JSON. Every speed figure that is judged is a ratio to the echo baseline
// measured in the same run.
//
//   npm run bench                  full run (bench/results.json)
//   npm run bench -- --quick       smoke run, a few minutes (bench/results.quick.json)
//   npm run bench -- --only status,notifier
//   npm run bench -- --profile     CPU profiles of the bot and the echo during measured phases, summarised
//   options: --rounds N --duration S (paired echo/bot rounds), --memory-store (no journal),
//            --store-process (the embedded store in its own process, via MONGODB_URI),
//            --compiled (servers run from tsc output, not through tsx), --out FILE, --list
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BenchContext } from './lib/context';
import { machineInfo } from './lib/machine';
import { compileProject, killAllChildren, OUT_DIR, ROOT } from './lib/processes';
import { formatProfile, summarizeProfile } from './lib/profile';
import { markdownTable } from './lib/table';
import { SCENARIOS } from './scenarios';
import type { Row, Scenario, ScenarioOutcome } from './scenarios/types';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    'memory-store': { type: 'boolean', default: false },
    'store-process': { type: 'boolean', default: false },
    compiled: { type: 'boolean', default: false },
    out: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
});

interface ScenarioRecord {
  title: string;
  target: string;
  verdict: ScenarioOutcome['verdict'];
  seconds?: number;
  reason?: string;
  error?: string;
  figures?: Record<string, unknown>;
  notes?: string[];
}

async function main(): Promise<number> {
  if (values.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(14)} ${s.title}${s.skip ? `  (skipped: ${s.skip})` : ''}\n`);
    return 0;
  }
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (try --list)`);
  const selected = SCENARIOS.filter((s) => !only || only.includes(s.name));

  const ctx = new BenchContext({
    quick: values.quick,
    profile: values.profile,
    memoryStore: values['memory-store'],
    storeProcess: values['store-process'],
    rounds: values.rounds ? Number(values.rounds) : undefined,
    durationSeconds: values.duration ? Number(values.duration) : undefined,
  });
  const machine = machineInfo();
  const mode = values.quick ? 'quick' : 'full';
  const estimate = selected.reduce((s, x) => s + (x.skip ? 0 : (x.estimateSeconds?.[mode] ?? 30)), 0);
  ctx.log(`${mode} run: ${selected.filter((s) => !s.skip).map((s) => s.name).join(', ')} (about ${Math.ceil(estimate / 10) * 10} s) on ${machine.cores} × ${machine.cpu}, Node ${machine.node}`);
  if (values.profile) rmSync(path.join(OUT_DIR, 'profiles'), { recursive: true, force: true });
  if (values.compiled) {
    ctx.log('compiling the project with tsc (--compiled: servers run as plain JavaScript, as `npm start` runs the bot)');
    ctx.log(`compiled into ${path.relative(ROOT, compileProject())}`);
  }

  const started = Date.now();
  const rows: Row[] = [];
  const records: Record<string, ScenarioRecord> = {};
  const notes: string[] = [];
  let failures = 0;
  try {
    for (const scenario of selected) {
      const record = await runScenario(ctx, scenario);
      records[scenario.name] = record.record;
      rows.push(...record.rows);
      for (const n of record.record.notes ?? []) notes.push(`${scenario.name}: ${n}`);
      if (record.record.verdict === 'failed') failures++;
    }
  } finally {
    await ctx.close();
  }
  const totalSeconds = Math.round((Date.now() - started) / 1000);

  const table = markdownTable(rows);
  process.stdout.write(`\n${table}\n\n`);
  for (const n of notes) process.stdout.write(`- ${n}\n`);
  process.stdout.write(`\n${mode} run, ${totalSeconds} s, ${machine.cores} × ${machine.cpu}, Node ${machine.node}, commit ${machine.commit?.slice(0, 12) ?? 'unknown'}${machine.dirty ? ' (work tree has uncommitted changes)' : ''}\n`);

  const out = path.resolve(values.out ?? path.join(ROOT, 'bench', values.quick ? 'results.quick.json' : 'results.json'));
  const results = {
    generatedAt: new Date().toISOString(),
    mode,
    totalSeconds,
    machine,
    options: { only: only ?? null, profile: values.profile, runtime: values.compiled ? 'node (tsc output)' : 'node --import tsx', store: `${values['memory-store'] ? 'memory' : 'journal'}${values['store-process'] ? ', own process' : ', in the bot process'}`, rounds: ctx.options.rounds ?? null, durationSeconds: ctx.options.durationSeconds ?? null },
    scenarios: records,
    table,
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`results: ${path.relative(process.cwd(), out)}\n`);

  if (values.profile) printProfiles();
  return failures > 0 ? 1 : 0;
}

async function runScenario(ctx: BenchContext, scenario: Scenario): Promise<{ record: ScenarioRecord; rows: Row[] }> {
  const base = { title: scenario.title, target: scenario.target };
  if (scenario.skip || !scenario.run) {
    return {
      record: { ...base, verdict: 'skipped', reason: scenario.skip },
      rows: [{ scenario: scenario.title, measured: `skipped: ${scenario.skip}`, target: scenario.target, verdict: 'skipped' }],
    };
  }
  ctx.log(`— ${scenario.name}: ${scenario.title}`);
  const t = Date.now();
  try {
    const outcome = await scenario.run(ctx);
    const seconds = Math.round((Date.now() - t) / 100) / 10;
    ctx.log(`— ${scenario.name}: ${outcome.verdict} (${seconds} s)`);
    return { record: { ...base, verdict: outcome.verdict, seconds, figures: outcome.figures, notes: outcome.notes }, rows: outcome.rows };
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    ctx.log(`— ${scenario.name}: FAILED: ${(err as Error)?.stack ?? message}`);
    return {
      record: { ...base, verdict: 'failed', error: message, seconds: Math.round((Date.now() - t) / 100) / 10 },
      rows: [{ scenario: scenario.title, measured: `failed: ${message.slice(0, 120)}`, target: scenario.target, verdict: 'failed' }],
    };
  }
}

function printProfiles(): void {
  const dir = path.join(OUT_DIR, 'profiles');
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    process.stdout.write(`\n${formatProfile(summarizeProfile(path.join(dir, file)))}\n`);
  }
  process.stdout.write(`\nprofiles: ${path.relative(process.cwd(), dir)} (open in Chrome DevTools → Performance, or speedscope)\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { killAllChildren(); process.exit(130); });

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
  killAllChildren();
  process.exit(1);
});
