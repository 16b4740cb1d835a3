// Retired exams keep counting until their validation date (DESIGN §3); the moment one stops
// counting, every organisation is evaluated again, and a level that drops is an at-risk alert
// like any other (cause: that exam). One delayed job per retirement (code + date), scheduled at
// start-up: the key makes it once across restarts and instances, and the scheduler runs it once.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { OrganisationDoc } from '../organisations/organisation';
import type { Outbox } from '../outbox/outbox';
import type { JobHandler } from '../scheduler/job';
import type { Scheduler } from '../scheduler/scheduler';
import { checkCompetenciesAtRisk, upcomingRetirements } from './atRisk';
import type { Catalogue } from './catalogue';

export const RETIREMENT_JOB = 'competency.retirement';

export const retirementJobKey = (code: string, countsUntil: string) => `competency-retirement:${code}:${countsUntil}`;

/** Schedules a check at each retirement still to come; returns how many were new. */
export async function scheduleRetirementChecks(scheduler: Scheduler, catalogue: Catalogue, now = new Date()): Promise<number> {
  let created = 0;
  for (const r of upcomingRetirements(catalogue, now)) {
    const result = await scheduler.schedule(retirementJobKey(r.code, r.countsUntil), RETIREMENT_JOB, r.at, { code: r.code, countsUntil: r.countsUntil });
    if (result.created) created += 1;
  }
  return created;
}

export interface RetirementHandlerDeps {
  db: Db;
  outbox: Outbox;
  catalogue: Catalogue;
}

export function retirementHandlers(deps: RetirementHandlerDeps): Record<string, JobHandler> {
  return {
    [RETIREMENT_JOB]: async (job) => {
      const code = String(job.data.code ?? '');
      const countsUntil = typeof job.data.countsUntil === 'string' ? job.data.countsUntil : undefined;
      const cause = { kind: 'retiredCredentialExpired' as const, code, countsUntil };
      // One organisation at a time, ids only: a rerun after a crash finds the ones already done
      // with a newer snapshot and alerts nobody twice.
      const ids = deps.db.collection<OrganisationDoc>(collections.organisations).find({}, { projection: { _id: 1 } }).sort({ _id: 1 });
      for await (const { _id } of ids) {
        await checkCompetenciesAtRisk(deps.db, _id, cause, { catalogue: deps.catalogue, outbox: deps.outbox, baselineBefore: job.runAt });
      }
    },
  };
}
