// At-risk detection (seed 004: "The Global Admin and MPN Partner Admin roles receive
// notifications when a competency is at risk … a user has left the organisation"). After an
// event that can lower a competency (a member removed, an MCID unlinked or linked elsewhere, a
// retired exam expiring), the organisation is evaluated again and compared with the snapshot
// stored last time. Each level that went from met to not met is one drop, and each drop is one
// alert per admin: the outbox key names the snapshot version the level was met in, so the same
// drop seen by two events (or two instances) is enqueued, and posted, once.
// The alert is stored as data (which level, what it lacks, the cause, for whom), never as words:
// the bot renders it as a card in the admin's language when it delivers it (bot/renderedDelivery).
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKey } from '../db/errors';
import { Outbox } from '../outbox/outbox';
import { personalConversationOf } from '../conversations/references';
import type { OrganisationDoc } from '../organisations/organisation';
import { competencyAdminsOf, type AdminContact } from './admins';
import { defaultCatalogue, type Catalogue } from './catalogue';
import { evaluateOrganisation } from './evaluate';
import { levelGaps, type Gap } from './gaps';
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
  competencyKind: 'competency' | 'designation';
  levelId: string;
  levelName: string;
  /** The competency has this one level (a designation is then named alone). */
  singleLevel: boolean;
  /** "Cloud Platform Gold" (for logs and tests; people see the bot's wording). */
  label: string;
  /** What is missing now, in English words (for logs and tests) … */
  missing: string[];
  /** … and as data, for the bot to word in the reader's language. */
  gaps: Gap[];
  /** The snapshot version in which the level was last seen met. */
  metInVersion: number;
}

/** How an alert is handed to the notifier: the bot renders `render.data` with this kind. */
export const AT_RISK_ALERT = 'competencyAtRisk';

/** One at-risk alert for one admin, as stored in the outbox (plain JSON). */
export interface AtRiskAlert {
  orgId: string;
  organisation: string;
  recipient: { tenantId: string; aadObjectId: string };
  competency: { id: string; name: string; kind: 'competency' | 'designation' };
  level: { id: string; name: string; single: boolean };
  gaps: Gap[];
  cause: AtRiskCause;
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
  /**
   * A moment the change happened at (a retirement date). If the stored snapshot is older than
   * that, or there is none, the state just before it is recorded first, without alerts, so a
   * level that was met until then is compared as met (an older snapshot may predate people who
   * certified since). A snapshot taken at or after it is already later than the change.
   */
  baselineBefore?: Date;
}

const MAX_ATTEMPTS = 5;

export async function checkCompetenciesAtRisk(db: Db, orgId: string, cause: AtRiskCause, options: AtRiskOptions = {}): Promise<AtRiskResult> {
  const catalogue = options.catalogue ?? defaultCatalogue();
  const snapshots = db.collection<SnapshotDoc>(collections.competencySnapshots);
  if (options.baselineBefore) await recordBaseline(db, orgId, catalogue, options.baselineBefore);
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
          competencyId: c.id, competencyName: c.name, competencyKind: c.kind, levelId: l.id, levelName: l.name, singleLevel: c.levels.length === 1,
          label: levelLabel(c, l), missing: l.missing, gaps: levelGaps(l), metInVersion: snapshot?.version ?? 0,
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

/**
 * Records the levels met now, without alerting: called after an event that can only add to an
 * organisation's counts (an MCID linked to it, transcripts imported for it), so that a later
 * drop — the first member removed — is compared with what was really met, not taken as the
 * silent first baseline.
 */
export async function recordCompetencyLevels(db: Db, orgId: string, options: { catalogue?: Catalogue; now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  await recordBaseline(db, orgId, options.catalogue ?? defaultCatalogue(), new Date(now.getTime() + 1));
}

/** Records the levels met just before `moment`, unless the snapshot is already that recent. */
async function recordBaseline(db: Db, orgId: string, catalogue: Catalogue, moment: Date): Promise<void> {
  const snapshots = db.collection<SnapshotDoc>(collections.competencySnapshots);
  const before = new Date(moment.getTime() - 1);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const snapshot = await snapshots.findOne({ _id: orgId });
    // Taken at or after the change: re-running this (a retried job) must not undo it.
    if (snapshot && snapshot.at.getTime() >= moment.getTime()) return;
    const evaluation = await evaluateOrganisation(db, orgId, { catalogue, now: before });
    const met = evaluation.competencies.flatMap((c) => c.levels.filter((l) => l.met).map((l) => `${c.id}/${l.id}`)).sort();
    const fields = { met, at: before, catalogueVersion: catalogue.version };
    if (!snapshot) {
      try {
        await snapshots.insertOne({ _id: orgId, version: 1, ...fields });
        return;
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
    }
    const saved = await snapshots.updateOne({ _id: orgId, version: snapshot.version }, { $set: fields, $inc: { version: 1 } });
    if (saved.matchedCount === 1) return;
  }
  throw new Error(`Competency snapshot of organisation ${orgId} kept changing; the check will run again with the next event.`);
}

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
        activity: { type: 'message', render: { kind: AT_RISK_ALERT, data: alertData(org?.legalName ?? '', orgId, admin, drop, cause) } },
      });
      alerts.push({ key, aadObjectId: admin.aadObjectId, created: result.created });
    }
  }
  return { alerts, unreachable };
}

function alertData(organisation: string, orgId: string, admin: AdminContact, drop: CompetencyDrop, cause: AtRiskCause): AtRiskAlert {
  return {
    orgId, organisation,
    recipient: { tenantId: admin.tenantId, aadObjectId: admin.aadObjectId },
    competency: { id: drop.competencyId, name: drop.competencyName, kind: drop.competencyKind },
    level: { id: drop.levelId, name: drop.levelName, single: drop.singleLevel },
    gaps: drop.gaps,
    cause: boundedCause(cause),
  };
}

/** Names and free text from callers are kept short: they end up on a card. */
function boundedCause(cause: AtRiskCause): AtRiskCause {
  switch (cause.kind) {
    case 'memberRemoved': case 'mcidUnlinked': case 'mcidLinkedElsewhere': return { kind: cause.kind, personName: cause.personName.trim().slice(0, 100) };
    case 'retiredCredentialExpired': return { kind: cause.kind, code: cause.code.slice(0, 40), ...(cause.countsUntil ? { countsUntil: cause.countsUntil } : {}) };
    case 'other': return { kind: 'other', text: cause.text.trim().slice(0, 300) };
  }
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
