// At-risk detection (seed 004: "The Global Admin and MPN Partner Admin roles receive
// notifications when a competency is at risk … a user has left the organisation"). After an
// event that can lower a competency (a member removed, an MCID unlinked or linked elsewhere, a
// retired exam expiring), the organisation is evaluated again and compared with the snapshot
// stored last time. Each level that went from met to not met is one drop, and each drop is one
// alert per admin: the outbox key names the snapshot version the level was met in, so the same
// drop seen by two events (or two instances) is enqueued, and posted, once.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { Outbox } from '../outbox/outbox';
import { personalConversationOf } from '../conversations/references';
import type { OrganisationDoc } from '../organisations/organisation';
import { formatDay } from '../certifications/linkRules';
import { competencyAdminsOf, type AdminContact } from './admins';
import { defaultCatalogue, type Catalogue } from './catalogue';
import { evaluateOrganisation } from './evaluate';
import type { OrganisationEvaluation } from './results';
import { levelLabel } from './wording';

/** What happened, as the caller knows it; it is told to the admins as the cause. */
export type AtRiskCause =
  | { kind: 'memberRemoved'; personName: string }
  | { kind: 'mcidUnlinked'; personName: string }
  | { kind: 'mcidLinkedElsewhere'; personName: string }
  | { kind: 'retiredCredentialExpired'; code: string; countsUntil?: string }
  | { kind: 'other'; text: string };

interface SnapshotDoc {
  _id: string;
  version: number;
  /** `${competencyId}/${levelId}` of every level met at that evaluation. */
  met: string[];
  at: Date;
  catalogueVersion: string;
}

export interface CompetencyDrop {
  competencyId: string;
  competencyName: string;
  levelId: string;
  levelName: string;
  /** "Cloud Platform Gold". */
  label: string;
  /** What is missing now, in words. */
  missing: string[];
  /** The snapshot version in which the level was last seen met. */
  metInVersion: number;
}

export interface AtRiskResult {
  drops: CompetencyDrop[];
  /** One per drop and reachable admin; `created` is false when that alert was already enqueued. */
  alerts: Array<{ key: string; aadObjectId: string; created: boolean }>;
  /** Admins who never opened a chat with the bot, so cannot be messaged. */
  unreachable: AdminContact[];
  evaluation: OrganisationEvaluation;
}

export interface AtRiskOptions {
  catalogue?: Catalogue;
  now?: Date;
  outbox?: Outbox;
}

const MAX_ATTEMPTS = 5;

export async function checkCompetenciesAtRisk(db: Db, orgId: string, cause: AtRiskCause, options: AtRiskOptions = {}): Promise<AtRiskResult> {
  const catalogue = options.catalogue ?? defaultCatalogue();
  const snapshots = db.collection<SnapshotDoc>(collections.competencySnapshots);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const now = options.now ?? new Date();
    const snapshot = await snapshots.findOne({ _id: orgId });
    const evaluation = await evaluateOrganisation(db, orgId, { catalogue, now });
    const metNow = new Set<string>();
    const levels = new Map<string, CompetencyDrop>();
    for (const c of evaluation.competencies) {
      for (const l of c.levels) {
        const key = `${c.id}/${l.id}`;
        if (l.met) metNow.add(key);
        levels.set(key, {
          competencyId: c.id, competencyName: c.name, levelId: l.id, levelName: l.name, label: levelLabel(c, l), missing: l.missing,
          metInVersion: snapshot?.version ?? 0,
        });
      }
    }
    const fields = { met: [...metNow].sort(), at: now, catalogueVersion: catalogue.version };
    if (!snapshot) {
      // The first evaluation is the baseline: nothing to compare with, nothing to report.
      try {
        await snapshots.insertOne({ _id: orgId, version: 1, ...fields });
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      return { drops: [], alerts: [], unreachable: [], evaluation };
    }
    // A level no longer in the catalogue has not dropped; it is simply gone.
    const drops = snapshot.met.filter((key) => levels.has(key) && !metNow.has(key)).map((key) => levels.get(key)!);
    // Alerts first, then the snapshot: a crash in between re-sends under the same keys (no-op).
    const { alerts, unreachable } = drops.length ? await alert(db, orgId, drops, cause, options.outbox ?? new Outbox(db)) : { alerts: [], unreachable: [] };
    if (sameSet(snapshot.met, fields.met)) return { drops, alerts, unreachable, evaluation };
    const saved = await snapshots.updateOne({ _id: orgId, version: snapshot.version }, { $set: fields, $inc: { version: 1 } });
    if (saved.matchedCount === 1) return { drops, alerts, unreachable, evaluation };
    // Another check saved a newer snapshot meanwhile: compare against that one instead.
  }
  throw new Error(`Competency snapshot of organisation ${orgId} kept changing; the check will run again with the next event.`);
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((v, i) => v === b[i]);

async function alert(db: Db, orgId: string, drops: CompetencyDrop[], cause: AtRiskCause, outbox: Outbox) {
  const [org, admins] = await Promise.all([
    db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId }, { projection: { legalName: 1 } }),
    competencyAdminsOf(db, orgId),
  ]);
  const alerts: AtRiskResult['alerts'] = [];
  const unreachable: AdminContact[] = [];
  for (const admin of admins) {
    const reference = await personalConversationOf(db, admin.tenantId, admin.aadObjectId);
    if (!reference) {
      unreachable.push(admin);
      continue;
    }
    for (const drop of drops) {
      const key = `competencyAtRisk:${orgId}:${drop.competencyId}:${drop.levelId}:v${drop.metInVersion}:${admin.aadObjectId}`;
      const result = await outbox.enqueue({
        key,
        target: { tenantId: admin.tenantId, reference },
        activity: { type: 'message', text: alertText(org?.legalName ?? `Partner ID ${orgId}`, orgId, drop, cause) },
      });
      alerts.push({ key, aadObjectId: admin.aadObjectId, created: result.created });
    }
  }
  return { alerts, unreachable };
}

export function causeText(cause: AtRiskCause): string {
  const name = (n: string) => n.trim().slice(0, 100) || 'A member';
  switch (cause.kind) {
    case 'memberRemoved': return `${name(cause.personName)} was removed from the organisation, so their exams no longer count.`;
    case 'mcidUnlinked': return `${name(cause.personName)} unlinked their MCID.`;
    case 'mcidLinkedElsewhere': return `${name(cause.personName)} linked their MCID to another organisation.`;
    case 'retiredCredentialExpired':
      return `Retired exam ${cause.code} no longer counts${cause.countsUntil ? ` (it counted until ${formatDay(new Date(`${cause.countsUntil}T00:00:00Z`))})` : ''}.`;
    case 'other': return cause.text.trim().slice(0, 300);
  }
}

export function alertText(organisationName: string, orgId: string, drop: CompetencyDrop, cause: AtRiskCause): string {
  return [
    `**Competency at risk: ${drop.label}** is no longer met for ${organisationName} (Partner ID ${orgId}).`,
    `Cause: ${causeText(cause)}`,
    drop.missing.length ? `Now missing: ${drop.missing.join('; ')}.` : '',
  ].filter(Boolean).join('\n\n');
}

/** Moments after `after` when a retired credential stops counting: when to schedule a check. */
export function upcomingRetirements(catalogue: Catalogue, after: Date): Array<{ at: Date; code: string; countsUntil: string }> {
  const seen = new Map<string, { at: Date; code: string; countsUntil: string }>();
  for (const uses of catalogue.uses.values()) {
    for (const { credential: c } of uses) {
      if (c.stopsCountingAt && c.countsUntil && c.stopsCountingAt > after) seen.set(c.key, { at: c.stopsCountingAt, code: c.code, countsUntil: c.countsUntil });
    }
  }
  return [...seen.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}
