// Scenarios of the issue that are not benchmarked yet. Each is listed (so the table shows what
// is missing) and skipped; when it is written it becomes a file of its own, like status.ts, and
// replaces its entry here. The competency and report services were still uncommitted work in
// progress when the harness was written.
import type { Scenario } from './types';

export const competencyScenario: Scenario = {
  name: 'competencies',
  title: 'competency status / skills report',
  target: 'to be set',
  skip: 'in progress elsewhere (services/competencies, and bench/competencies.ts for issue 5, uncommitted): wrap that as a scenario, as store.ts wraps bench/store.ts, once it lands',
};
