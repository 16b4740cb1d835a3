// Every scenario, in the order of the table. A new scenario is one file in this folder
// exporting a Scenario, added here.
import { memoryScenario } from './memory';
import { notifierScenario } from './notifier';
import { approveInvokeScenario } from './approve';
import { approveCostScenario } from './approveCost';
import { approversRaceScenario } from './approvers';
import { associationDialogScenario } from './associate';
import { bulkApproveScenario } from './bulkApprove';
import { competencyScenario } from './competencies';
import { statusScenario } from './status';
import { storeScenario } from './store';
import type { Scenario } from './types';

export const SCENARIOS: readonly Scenario[] = [
  statusScenario,
  associationDialogScenario,
  approveInvokeScenario,
  approveCostScenario,
  approversRaceScenario,
  bulkApproveScenario,
  competencyScenario,
  notifierScenario,
  memoryScenario,
  storeScenario,
];
