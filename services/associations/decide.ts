// Approving or rejecting a request (seed 000, "Accept/Reject Pending People"). Only the PPC or a
// global admin of the request's organisation, in its tenant, may decide; the request moves
// pending → approved/rejected in one guarded update, so of two clicks exactly one decides and
// the other sees the final state. Approval creates the membership.
import { randomUUID } from 'node:crypto';
import { MongoBulkWriteError, MongoServerError, type Db } from 'mongodb';
import { z } from 'zod';
import type { Identity } from '../access/identity';
import type { AuditEntry } from '../audit/audit';
import { Batcher } from '../db/batcher';
import { collections } from '../db/collections';
import { pointReads } from '../db/pointReads';
import { memberId, type MemberDoc } from '../people/members';
import type { ApprovalsChannel } from '../organisations/approvalsChannel';
import type { OrganisationDoc } from '../organisations/organisation';
import { membershipUpsert } from './associate';
import type { AssociationRequestDoc } from './request';

export type Decision = 'approve' | 'reject';

/** What the follow-ups of a decision need of the request's organisation, read with the rights check. */
export interface DecidingOrganisation {
  _id: string;
  legalName?: string;
  ppcAadObjectId: string;
  approvalsChannel?: ApprovalsChannel;
}

export type DecideResult =
  | { outcome: 'decided'; request: AssociationRequestDoc; organisation: DecidingOrganisation }
  | { outcome: 'alreadyDecided'; request: AssociationRequestDoc; organisation: DecidingOrganisation }
  | { outcome: 'refused'; code: string }
  | { outcome: 'notFound' };

export interface DecideManyResult {
  /** The requests this call moved out of pending, as they are now. */
  decided: AssociationRequestDoc[];
  /** Found and the actor may decide them, but no longer pending (decided, cancelled) by the time of the update. */
  alreadyDecided: number;
  /** Not found in the actor's tenant, or the actor may not decide them. */
  refused: number;
  /** The organisations of the decided requests, by id. */
  organisations: Map<string, DecidingOrganisation>;
}

export const reasonField = z.string('errors:approvals.reasonTooLong').trim().max(500, 'errors:approvals.reasonTooLong').optional();

const ORGANISATION_FIELDS = { ppcAadObjectId: 1, legalName: 1, approvalsChannel: 1 } as const;

/** The rule: the organisation's PPC, or an associated global admin member of it. */
function decidesFor(org: DecidingOrganisation, member: Pick<MemberDoc, 'orgId' | 'status' | 'roles'> | null, actor: Identity): boolean {
  return org.ppcAadObjectId === actor.aadObjectId || (member?.status === 'associated' && member.orgId === org._id && (member.roles ?? []).includes('globalAdmin'));
}

const MEMBER_RIGHTS_FIELDS = { orgId: 1, status: 1, roles: 1 } as const;

/**
 * The organisations among `orgIds` (in the actor's tenant) whose requests the actor may decide.
 * Always read from the store (never cached): two reads, the organisations and the actor's one
 * membership (unique per tenant and person), whatever the number of organisations.
 */
async function decidableOrganisations(db: Db, actor: Identity, orgIds: string[]): Promise<Map<string, DecidingOrganisation>> {
  const [orgs, member] = await Promise.all([
    db.collection<OrganisationDoc & { approvalsChannel?: ApprovalsChannel }>(collections.organisations)
      .find({ _id: { $in: orgIds }, tenantId: actor.tenantId }).project<DecidingOrganisation>(ORGANISATION_FIELDS).toArray(),
    db.collection<MemberDoc>(collections.members).findOne({ _id: memberId(actor.tenantId, actor.aadObjectId) }, { projection: MEMBER_RIGHTS_FIELDS }),
  ]);
  return new Map(orgs.filter((o) => decidesFor(o, member, actor)).map((o) => [o._id, o]));
}

/**
 * One organisation, if the actor may decide its requests: the same two fresh reads, by _id, so
 * that the clicks of the same moment read together (see PointReads).
 */
async function decidingOrganisation(db: Db, actor: Identity, orgId: string): Promise<DecidingOrganisation | undefined> {
  const reads = pointReads(db);
  const [org, member] = await Promise.all([
    reads.get<DecidingOrganisation & { tenantId: string }>(collections.organisations, orgId, { ...ORGANISATION_FIELDS, tenantId: 1 }),
    reads.get<MemberDoc>(collections.members, memberId(actor.tenantId, actor.aadObjectId), MEMBER_RIGHTS_FIELDS),
  ]);
  return org && org.tenantId === actor.tenantId && decidesFor(org, member, actor) ? org : undefined;
}

/** Whether `actor` may decide requests of organisation `orgId` (the PPC, or a global admin member of it). */
export async function mayDecide(db: Db, actor: Identity, orgId: string): Promise<boolean> {
  return (await decidingOrganisation(db, actor, String(orgId))) !== undefined;
}

function decisionFields(actor: Identity & { displayName: string }, decision: Decision, now: Date) {
  return {
    status: decision === 'approve' ? 'approved' as const : 'rejected' as const,
    decidedAt: now,
    decidedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
  };
}

export async function decide(db: Db, actor: Identity & { displayName: string }, requestId: string, decision: Decision, reason?: string, now = new Date()): Promise<DecideResult> {
  const requests = db.collection<AssociationRequestDoc>(collections.associationRequests);
  // Scoped by the actor's tenant: another tenant's request is simply not found.
  const current = await pointReads(db).get<AssociationRequestDoc>(collections.associationRequests, String(requestId));
  if (!current || current.tenantId !== actor.tenantId) return { outcome: 'notFound' };
  const organisation = await decidingOrganisation(db, actor, current.orgId);
  if (!organisation) return { outcome: 'refused', code: 'errors:approvals.notApprover' };
  const cleanReason = reasonField.parse(reason) || undefined;
  const decided = await requests.findOneAndUpdate(
    { _id: current._id, tenantId: actor.tenantId, status: 'pending' },
    { $set: { ...decisionFields(actor, decision, now), ...(decision === 'reject' && cleanReason ? { reason: cleanReason } : {}) } },
    { returnDocument: 'after' },
  );
  if (!decided) {
    const final = await requests.findOne({ _id: current._id });
    return { outcome: 'alreadyDecided', request: final ?? current, organisation };
  }
  await recordDecision(db, actor, decided, now);
  return { outcome: 'decided', request: decided, organisation };
}

/**
 * Many decisions in one click (the pending card's Approve / Reject selected). One guarded update
 * moves every ticked request the actor may decide from pending to the decision, stamped with a
 * decision id of its own; reading that id back tells exactly which requests this call decided,
 * whatever other clicks did at the same moment. Counted as one decision at a time would count
 * them: not found or not the actor's to decide → refused; no longer pending → already decided.
 */
export async function decideMany(db: Db, actor: Identity & { displayName: string }, requestIds: string[], decision: Decision, now = new Date()): Promise<DecideManyResult> {
  const ids = [...new Set(requestIds.map(String))];
  const requests = db.collection<AssociationRequestDoc & { decisionId?: string }>(collections.associationRequests);
  const found = ids.length ? await requests.find({ _id: { $in: ids }, tenantId: actor.tenantId }, { projection: { orgId: 1, status: 1 } }).toArray() : [];
  const organisations = found.length ? await decidableOrganisations(db, actor, [...new Set(found.map((r) => r.orgId))]) : new Map<string, DecidingOrganisation>();
  const allowed = found.filter((r) => organisations.has(r.orgId));
  const pending = allowed.filter((r) => r.status === 'pending').map((r) => r._id);
  let decided: AssociationRequestDoc[] = [];
  if (pending.length) {
    const decisionId = randomUUID();
    const result = await requests.updateMany(
      { _id: { $in: pending }, tenantId: actor.tenantId, status: 'pending' },
      { $set: { ...decisionFields(actor, decision, now), decisionId } },
    );
    decided = result.modifiedCount > 0
      ? (await requests.find({ _id: { $in: pending }, decisionId }, { projection: { decisionId: 0 } }).toArray())
      : [];
    await recordDecisions(db, actor, decided, now);
  }
  return { decided, alreadyDecided: allowed.length - decided.length, refused: ids.length - allowed.length, organisations };
}

/** What a decision brings with it: the membership an approval grants, and the audit entry. */
async function recordDecisions(db: Db, actor: Identity, decided: AssociationRequestDoc[], now: Date): Promise<void> {
  if (!decided.length) return;
  const failed = (await writeDecisions(db, decided.map((request) => ({ actor, request, now })))).find((r) => r instanceof Error);
  if (failed) throw failed;
}

interface DecisionRecord { actor: Identity; request: AssociationRequestDoc; now: Date }

/**
 * Writes several decisions' memberships and audit entries: one bulk write of the memberships and
 * one insert of the entries, sent together so the store commits them in one go. Answers, per
 * record, undefined or the error of its own writes (a bulk's refused write fails only its record).
 */
async function writeDecisions(db: Db, records: DecisionRecord[]): Promise<Array<undefined | Error>> {
  const results: Array<undefined | Error> = records.map(() => undefined);
  const approved = records.flatMap((r, i) => (r.request.status === 'approved' ? [i] : []));
  const settle = async (write: Promise<unknown> | undefined, recordOf: (index: number) => number) => {
    try {
      await write;
    } catch (err) {
      const writeErrors = err instanceof MongoBulkWriteError ? [err.writeErrors].flat() : [];
      if (!writeErrors.length) throw err;
      for (const e of writeErrors) results[recordOf(e.index)] ??= new MongoServerError({ errmsg: e.errmsg, code: e.code, errInfo: e.errInfo });
    }
  };
  await Promise.all([
    settle(approved.length
      ? db.collection<MemberDoc>(collections.members).bulkWrite(
        approved.map((i) => ({ updateOne: { ...membershipUpsert(records[i].request, records[i].now), upsert: true } })), { ordered: false })
      : undefined, (index) => approved[index]),
    settle(db.collection(collections.audit).insertMany(records.map((r) => ({ ...auditEntry(r.actor, r.request), at: r.now })), { ordered: false }), (index) => index),
  ]);
  return results;
}

/** One click's decision writes, gathered with those of the clicks of the same moment (see Batcher). */
const decisionWriters = new WeakMap<Db, Batcher<DecisionRecord, undefined>>();
function recordDecision(db: Db, actor: Identity, request: AssociationRequestDoc, now: Date): Promise<undefined> {
  let writer = decisionWriters.get(db);
  if (!writer) decisionWriters.set(db, (writer = new Batcher((records) => writeDecisions(db, records))));
  return writer.add({ actor, request, now });
}

function auditEntry(actor: Identity, decided: AssociationRequestDoc): AuditEntry {
  return {
    orgId: decided.orgId, tenantId: decided.tenantId, actor: actor.aadObjectId, action: `association.${decided.status}`, subject: decided._id,
    before: { status: 'pending' }, after: { status: decided.status, reason: decided.reason },
  };
}

/** An organisation's pending requests, oldest first, a page at a time (for `approvals`). */
export async function pendingRequests(db: Db, actor: Identity, page = 0, pageSize = 20): Promise<{ orgId: string; total: number; requests: AssociationRequestDoc[] } | { refused: 'errors:approvals.notApproverList' }> {
  const orgId = await organisationOf(db, actor);
  if (!orgId || !(await mayDecide(db, actor, orgId))) {
    return { refused: 'errors:approvals.notApproverList' };
  }
  const filter = { orgId, tenantId: actor.tenantId, status: 'pending' as const };
  const requests = db.collection<AssociationRequestDoc>(collections.associationRequests);
  const [total, list] = await Promise.all([
    requests.countDocuments(filter),
    requests.find(filter).sort({ createdAt: 1 }).skip(Math.max(0, Math.floor(page)) * pageSize).limit(pageSize).toArray(),
  ]);
  return { orgId, total, requests: list };
}

/** The organisation the actor administers: the one whose PPC they are, else their membership's. */
export async function organisationOf(db: Db, actor: Identity): Promise<string | undefined> {
  const asPpc = await db.collection<OrganisationDoc>(collections.organisations).findOne({ tenantId: actor.tenantId, ppcAadObjectId: actor.aadObjectId }, { projection: { _id: 1 } });
  if (asPpc) return asPpc._id;
  const member = await db.collection<MemberDoc>(collections.members).findOne({ tenantId: actor.tenantId, aadObjectId: actor.aadObjectId, status: 'associated' }, { projection: { orgId: 1 } });
  return member?.orgId;
}
