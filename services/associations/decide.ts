// Approving or rejecting a request (seed 000, "Accept/Reject Pending People"). Only the PPC or a
// global admin of the request's organisation, in its tenant, may decide; the request moves
// pending → approved/rejected in one guarded update, so of two clicks exactly one decides and
// the other sees the final state. Approval creates the membership.
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import type { MemberDoc } from '../people/members';
import type { OrganisationDoc } from '../organisations/organisation';
import { createMembership } from './associate';
import type { AssociationRequestDoc } from './request';

export type Decision = 'approve' | 'reject';

export type DecideResult =
  | { outcome: 'decided'; request: AssociationRequestDoc }
  | { outcome: 'alreadyDecided'; request: AssociationRequestDoc }
  | { outcome: 'refused'; code: string }
  | { outcome: 'notFound' };

export const reasonField = z.string('errors:approvals.reasonTooLong').trim().max(500, 'errors:approvals.reasonTooLong').optional();

/** Whether `actor` may decide requests of organisation `orgId` (the PPC, or a global admin member of it). */
export async function mayDecide(db: Db, actor: Identity, orgId: string): Promise<boolean> {
  const [org, member] = await Promise.all([
    db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId, tenantId: actor.tenantId }, { projection: { ppcAadObjectId: 1 } }),
    db.collection<MemberDoc>(collections.members).findOne({ tenantId: actor.tenantId, aadObjectId: actor.aadObjectId, orgId, status: 'associated', roles: 'globalAdmin' }, { projection: { _id: 1 } }),
  ]);
  return Boolean(org && (org.ppcAadObjectId === actor.aadObjectId || member));
}

export async function decide(db: Db, actor: Identity & { displayName: string }, requestId: string, decision: Decision, reason?: string, now = new Date()): Promise<DecideResult> {
  const requests = db.collection<AssociationRequestDoc>(collections.associationRequests);
  // Scoped by the actor's tenant: another tenant's request is simply not found.
  const current = await requests.findOne({ _id: String(requestId), tenantId: actor.tenantId });
  if (!current) return { outcome: 'notFound' };
  if (!(await mayDecide(db, actor, current.orgId))) {
    return { outcome: 'refused', code: 'errors:approvals.notApprover' };
  }
  const cleanReason = reasonField.parse(reason) || undefined;
  const decided = await requests.findOneAndUpdate(
    { _id: current._id, tenantId: actor.tenantId, status: 'pending' },
    { $set: {
      status: decision === 'approve' ? 'approved' : 'rejected',
      decidedAt: now,
      decidedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      ...(decision === 'reject' && cleanReason ? { reason: cleanReason } : {}),
    } },
    { returnDocument: 'after' },
  );
  if (!decided) {
    const final = await requests.findOne({ _id: current._id });
    return { outcome: 'alreadyDecided', request: final ?? current };
  }
  if (decided.status === 'approved') await createMembership(db, decided, now);
  await audit(db, {
    orgId: decided.orgId, tenantId: decided.tenantId, actor: actor.aadObjectId, action: `association.${decided.status}`, subject: decided._id,
    before: { status: 'pending' }, after: { status: decided.status, reason: decided.reason },
  }, now);
  return { outcome: 'decided', request: decided };
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
