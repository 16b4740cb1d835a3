// Competency status for an organisation (seed 004 "Verifying that competency requirements have
// been met"): who may ask, then the roster read and the pure evaluation.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { Identity } from '../access/identity';
import type { MemberDoc } from '../people/members';
import { authorizeCompetencyAdmin } from './access';
import { defaultCatalogue, type Catalogue } from './catalogue';
import { evaluateRoster } from './evaluation';
import type { CompetencyResult, OrganisationEvaluation } from './results';
import { loadRoster } from './roster';

export { CompetencyAccessError, type CompetencyAccessReason } from './access';
export type * from './results';

export interface EvaluateOptions {
  catalogue?: Catalogue;
  now?: Date;
}

/** Evaluates without an authorization check: for the bot's own work (at-risk checks, schedules). */
export async function evaluateOrganisation(db: Db, orgId: string, options: EvaluateOptions = {}): Promise<OrganisationEvaluation> {
  const roster = await loadRoster(db, orgId);
  return evaluateRoster(roster, options.catalogue ?? defaultCatalogue(), options.now ?? new Date());
}

/** Competency status, for a global admin or MPN partner admin of that organisation only. */
export async function competencyStatus(db: Db, who: Identity, orgId: string, options: EvaluateOptions = {}): Promise<OrganisationEvaluation> {
  const access = await authorizeCompetencyAdmin(db, who, orgId);
  return evaluateOrganisation(db, access.orgId, options);
}

export interface CompetencyDetail {
  orgId: string;
  evaluatedAt: Date;
  competency: CompetencyResult;
  /** Names of the first `namesPerPart` people of each requirement or rule (by member id). */
  names: Map<string, { displayName: string; email: string }>;
}

export class UnknownCompetencyError extends Error {}

/** One competency in detail ("drill into one"), with the names of the people who count. */
export async function competencyDetail(
  db: Db, who: Identity, orgId: string, competencyId: string, options: EvaluateOptions & { namesPerPart?: number } = {},
): Promise<CompetencyDetail> {
  const evaluation = await competencyStatus(db, who, orgId, options);
  const competency = evaluation.competencies.find((c) => c.id === competencyId);
  if (!competency) throw new UnknownCompetencyError(`There is no competency "${String(competencyId).slice(0, 60)}" in the catalogue.`);
  const limit = options.namesPerPart ?? 50;
  const wanted = new Set<string>();
  for (const level of competency.levels) {
    for (const option of level.options) {
      for (const part of option.model === 'people' ? option.requirements : option.rules) {
        for (const p of part.people.slice(0, limit)) wanted.add(`${p.tenantId}:${p.aadObjectId}`);
      }
    }
  }
  return { orgId: evaluation.orgId, evaluatedAt: evaluation.evaluatedAt, competency, names: await memberNames(db, evaluation.orgId, [...wanted]) };
}

/** Display names and e-mails of members of an organisation, by member id. */
export async function memberNames(db: Db, orgId: string, memberIds: readonly string[]): Promise<Map<string, { displayName: string; email: string }>> {
  const names = new Map<string, { displayName: string; email: string }>();
  const chunk = 100; // short $in lists: the embedded store tests each candidate against the whole list
  for (let i = 0; i < memberIds.length; i += chunk) {
    const docs = await db.collection<MemberDoc>(collections.members)
      .find({ _id: { $in: memberIds.slice(i, i + chunk) }, orgId })
      .toArray();
    for (const d of docs) names.set(d._id, { displayName: d.displayName, email: d.email });
  }
  return names;
}
