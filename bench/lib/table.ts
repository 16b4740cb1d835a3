// The results table (Markdown, so it can be pasted into the README as is) and figure formatting.
import type { Row } from '../scenarios/types';

const COLUMNS: { key: keyof Row; title: string }[] = [
  { key: 'scenario', title: 'scenario' },
  { key: 'throughput', title: 'throughput' },
  { key: 'p50', title: 'p50' },
  { key: 'p99', title: 'p99' },
  { key: 'errors', title: 'errors' },
  { key: 'vsEcho', title: 'vs echo (same run)' },
  { key: 'measured', title: 'measured' },
  { key: 'target', title: 'target' },
  { key: 'verdict', title: 'verdict' },
];

export function markdownTable(rows: Row[]): string {
  const cells = rows.map((row) => COLUMNS.map((c) => String(row[c.key] ?? '')));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, 3, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const grouped = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const fmt = {
  rate: (perSecond: number, unit = 'req/s') => `${grouped(perSecond, perSecond < 10 ? 1 : 0)} ${unit}`,
  ms: (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : grouped(value)} ms` : 'n/a'),
  ratio: (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a'),
  count: (n: number) => grouped(n),
  mb: (n: number) => `${grouped(n)} MB`,
};
