// What a competency evaluation returns (plain data: a status card or a report can show it as is).
// Per competency, level and option: met or not, progress, what is missing in words, who counts
// with which credentials, and which retired credentials stop counting when.

/** Arrays in these results may be shared between entries: treat them as read-only. */
export interface CountingPerson {
  tenantId: string;
  aadObjectId: string;
  /** The MCIDs through which they count here. */
  mcids: string[];
  /** The credential codes by which they count here (those that still count). */
  codes: string[];
}

export interface RetiredCredentialStatus {
  type: string;
  code: string;
  title?: string;
  /** The last day it counts (YYYY-MM-DD, UTC). */
  countsUntil: string;
  stopsCountingAt: Date;
  counting: boolean;
  /** People in the roster holding it. */
  holders: number;
}

export interface PeopleRequirementResult {
  id: string;
  description: string;
  required: number;
  count: number;
  met: boolean;
  /** Codes that count today. */
  codes: string[];
  missing?: string;
  people: CountingPerson[];
}

export interface PointsRuleResult {
  id: string;
  description: string;
  pointsPerPerson: number;
  maxPoints: number;
  minPeople: number;
  count: number;
  points: number;
  capped: boolean;
  /** Its minimum number of people is reached. */
  met: boolean;
  codes: string[];
  people: CountingPerson[];
}

interface OptionResultBase {
  id: string;
  name: string;
  met: boolean;
  /** What is missing, in words; empty when met. */
  missing: string[];
  retired: RetiredCredentialStatus[];
  /** Met now, but only until retired credentials stop counting: the moment it stops being met. */
  metUntil?: Date;
}

export interface PeopleOptionResult extends OptionResultBase {
  model: 'people';
  /** Sum over requirements of min(count, required), against the sum of required. */
  progress: { have: number; need: number };
  requirements: PeopleRequirementResult[];
}

export interface PointsOptionResult extends OptionResultBase {
  model: 'points';
  progress: { points: number; threshold: number };
  rules: PointsRuleResult[];
}

export type OptionResult = PeopleOptionResult | PointsOptionResult;

export interface LevelResult {
  id: string;
  name: string;
  /** Met when any of its options is met. */
  met: boolean;
  /** The missing items of the option closest to being met; empty when met. */
  missing: string[];
  metUntil?: Date;
  /** The id of the option a card shows: the first met one, else the one closest to being met. */
  closest: string;
  options: OptionResult[];
}

export interface CompetencyResult {
  id: string;
  name: string;
  kind: 'competency' | 'designation';
  met: boolean;
  levels: LevelResult[];
}

export interface OrganisationEvaluation {
  orgId: string;
  evaluatedAt: Date;
  catalogueVersion: string;
  /** Active members with a linked MCID. */
  countedPeople: number;
  linkedMcids: number;
  competencies: CompetencyResult[];
}
