// A short reading of a V8 .cpuprofile (from node --cpu-prof): where the self time went, by
// function and by package, so a missed target can be traced without opening DevTools.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

export interface ProfileSummary {
  file: string;
  seconds: number;
  idlePercent: number;
  topFunctions: { name: string; where: string; selfPercent: number }[];
  byPackage: { name: string; selfPercent: number }[];
  /** Share of samples with a frame of the package anywhere on the stack (what it and its callees cost). */
  inclusiveByPackage: { name: string; percent: number }[];
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfMs.set(samples[i], (selfMs.get(samples[i]) ?? 0) + (deltas[i] ?? 0) / 1000);
  const total = [...selfMs.values()].reduce((s, v) => s + v, 0) || 1;

  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  const byPackage = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (!ms) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += ms;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  // Inclusive: walk each sample's stack once, counting every package on it once.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<string, number>();
  for (let i = 0; i < samples.length; i++) {
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame?.url) continue;
      const pkg = packageOf(frame.url, frame.functionName);
      if (!seen.has(pkg)) { seen.add(pkg); inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + (deltas[i] ?? 0) / 1000); }
    }
  }
  const pct = (ms: number) => Math.round((ms / total) * 1000) / 10;
  return {
    file,
    seconds: Math.round((profile.endTime - profile.startTime) / 1e4) / 100,
    idlePercent: pct(idle),
    topFunctions: [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((f) => ({ name: f.name, where: f.where, selfPercent: pct(f.ms) })),
    byPackage: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, selfPercent: pct(ms) })),
    inclusiveByPackage: [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, percent: pct(ms) })),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [`${path.basename(summary.file)}: ${summary.seconds} s, idle ${summary.idlePercent} %`, '  self time by package:'];
  for (const p of summary.byPackage) lines.push(`    ${String(p.selfPercent).padStart(5)} %  ${p.name}`);
  lines.push('  time with the package on the stack (inclusive; packages overlap):');
  for (const p of summary.inclusiveByPackage) lines.push(`    ${String(p.percent).padStart(5)} %  ${p.name}`);
  lines.push('  top functions (self time):');
  for (const f of summary.topFunctions) lines.push(`    ${String(f.selfPercent).padStart(5)} %  ${f.name}  ${f.where}`);
  return lines.join('\n');
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(ROOT) ? path.relative(ROOT, file) : url;
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/(bot|services|dialogs|cards|bench)\/(.*?)(\/|$)/.exec(url);
  if (m) return m[1] === 'services' ? `services/${m[2]}` : m[1];
  return url;
}
