// Competency status and the skills report, each in a child process of its own with the embedded
// store on a thread of that process as the bot runs it (memory only), seeded through the real
// import and link services:
// bench/competencies.ts (10,000 members, 50,000 exam records; measures competencyStatus, the
// admin's `competencies` answer without its card) and bench/skillsReport.ts (100,000 rows
// streamed as CSV, RSS sampled throughout). --quick runs a twentieth of each (not judged as the
// target's size, but the verdict is still shown against it).
import { runBenchScript } from '../lib/script';
import { fmt } from '../lib/table';
import type { Row, Scenario } from './types';

interface CompetenciesResult {
  members: number;
  records: number;
  timings: { label: string; median: number; p95: number; min: number }[];
  seeding: { importSeconds: number; linksPerSecond: number };
}

interface SkillsReportResult {
  people: number;
  rows: number;
  bytes: number;
  stream: { seconds: number; rowsPerSecond: number; peakRssGrowthMB: number; peakHeapGrowthMB: number; rssBeforeMB: number };
}

const SIZES = {
  full: { members: 10_000, records: 50_000, runs: 40, people: 10_000 },
  quick: { members: 500, records: 2_500, runs: 10, people: 500 },
};

export const competencyScenario: Scenario = {
  name: 'competencies',
  title: 'competency status (10,000 members, 50,000 exam records) and skills report (100,000 rows)',
  target: 'status ≤ 200 ms median; report ≤ 3 s, peak RSS growth ≤ 100 MB',
  estimateSeconds: { quick: 15, full: 100 },
  async run(ctx) {
    const size = SIZES[ctx.options.quick ? 'quick' : 'full'];
    const scaled = ctx.options.quick ? ' (--quick: a twentieth of the size)' : '';
    const status = await runBenchScript<CompetenciesResult>(ctx, 'competencies', 'competencies.ts',
      ['--members', String(size.members), '--records', String(size.records), '--runs', String(size.runs)], 'competencies.json');
    const report = await runBenchScript<SkillsReportResult>(ctx, 'skills report', 'skillsReport.ts',
      ['--people', String(size.people), '--per-person', '10'], 'skillsReport.json');

    const whole = status.timings.find((t) => t.label.startsWith('competencyStatus'));
    if (!whole) throw new Error('bench/competencies.ts reported no competencyStatus timing');
    const statusMet = whole.median <= 200;
    const reportMet = report.stream.seconds <= 3 && report.stream.peakRssGrowthMB <= 100;
    const rows: Row[] = [
      {
        scenario: `competency status, ${status.members.toLocaleString('en')} members, ${status.records.toLocaleString('en')} exam records${scaled}`,
        p50: fmt.ms(whole.median), p99: `${fmt.ms(whole.p95)} (p95)`, errors: '0', vsEcho: 'n/a (no HTTP)',
        measured: `median ${fmt.ms(whole.median)} of ${size.runs} (${status.timings.filter((t) => t !== whole).map((t) => `${t.label.trim()} ${fmt.ms(t.median)}`).join(', ')})`,
        target: '≤ 200 ms median', verdict: statusMet ? 'met' : 'missed',
      },
      {
        scenario: `skills report, ${report.rows.toLocaleString('en')} rows${scaled}`,
        throughput: fmt.rate(report.stream.rowsPerSecond, 'rows/s'), errors: '0', vsEcho: 'n/a (no HTTP)',
        measured: `${report.stream.seconds.toFixed(2)} s; peak RSS growth ${fmt.mb(report.stream.peakRssGrowthMB)} (heap ${fmt.mb(report.stream.peakHeapGrowthMB)}) from ${fmt.mb(report.stream.rssBeforeMB)}`,
        target: '≤ 3 s; peak RSS growth ≤ 100 MB', verdict: reportMet ? 'met' : 'missed',
      },
    ];
    return {
      verdict: statusMet && reportMet ? 'met' : 'missed',
      rows,
      figures: { competencyStatus: status, skillsReport: report },
      notes: ['Measured in-process, without HTTP (no echo ratio): competencyStatus is what the `competencies` command waits for before its card; the report streams what GET /api/reports/skills sends.'],
    };
  },
};
