// What a scenario is: one file in bench/scenarios/ that exports a Scenario, listed in index.ts.
import type { BenchContext } from '../lib/context';

export type Verdict = 'met' | 'missed' | 'skipped' | 'info' | 'failed';

/** One line of the results table. Figures are already formatted for display. */
export interface Row {
  scenario: string;
  throughput?: string;
  p50?: string;
  p99?: string;
  errors?: string;
  /** Ratio to the echo baseline measured in the same run, where the scenario has one. */
  vsEcho?: string;
  /** The figure the target is about, as measured. */
  measured?: string;
  target?: string;
  verdict?: Verdict;
}

export interface ScenarioOutcome {
  verdict: Verdict;
  rows: Row[];
  /** Everything measured, for results.json. */
  figures: Record<string, unknown>;
  notes?: string[];
}

export interface Scenario {
  /** For --only. */
  name: string;
  /** As in the table. */
  title: string;
  target: string;
  /** Why it is not run (a feature not built yet). */
  skip?: string;
  /** Rough length in seconds, quick and full, for the plan printed at the start. */
  estimateSeconds?: { quick: number; full: number };
  run?(ctx: BenchContext): Promise<ScenarioOutcome>;
}
