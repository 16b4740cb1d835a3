// What a request's last step leaves to do after its own write: a pending request's audit entry,
// approval cards and reminders; a decision's (or an acceptance's) membership, audit entry and
// notifications. Those writes
// follow the request's (they are not one atomic write), so a crash in between would leave them
// undone: approvers not told until the 24 h reminder, a requester never told. A sweep (bot
// layer) finds requests whose follow-ups were never checked, claims each with a short lease so
// one instance repairs it, finishes what is missing (every step is idempotent), and marks it.
import type { Db } from 'mongodb';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { memberId, type MemberDoc } from '../people/members';
import { createMembership } from './associate';
import type { AssociationRequestDoc } from './request';

export type FollowUpPhase = 'pending' | 'decision';

/** The request with the sweep's bookkeeping: when each phase was checked, and who holds it now. */
export type FollowedRequest = AssociationRequestDoc & { followUps?: { pending?: Date; decision?: Date; lease?: Date } };

const requestsOf = (db: Db) => db.collection<FollowedRequest>(collections.associationRequests);

/**
 * Requests whose `phase` was never checked, written between `since` and `until` (a pending
 * request by its creation, a decision by its time): oldest first, at most `limit`.
 */
export async function unchecked(db: Db, phase: FollowUpPhase, since: Date, until: Date, limit: number): Promise<FollowedRequest[]> {
  const filter = phase === 'pending'
    ? { status: 'pending' as const, createdAt: { $gte: since, $lte: until }, 'followUps.pending': { $exists: false } }
    : { status: { $in: ['accepted', 'approved', 'rejected'] as AssociationRequestDoc['status'][] }, decidedAt: { $gte: since, $lte: until }, 'followUps.decision': { $exists: false } };
  return requestsOf(db).find(filter).sort(phase === 'pending' ? 'createdAt' : 'decidedAt', 1).limit(limit).toArray();
}

/** Takes the request for `leaseMs` (null: checked meanwhile, or another instance holds it). */
export async function claim(db: Db, id: string, phase: FollowUpPhase, now: Date, leaseMs: number): Promise<FollowedRequest | null> {
  return requestsOf(db).findOneAndUpdate(
    { _id: id, [`followUps.${phase}`]: { $exists: false }, $or: [{ 'followUps.lease': { $exists: false } }, { 'followUps.lease': { $lt: now } }] },
    { $set: { 'followUps.lease': new Date(now.getTime() + leaseMs) } },
    { returnDocument: 'after' },
  );
}

export async function markChecked(db: Db, id: string, phase: FollowUpPhase, now: Date): Promise<void> {
  await requestsOf(db).updateOne({ _id: id }, { $set: { [`followUps.${phase}`]: now }, $unset: { 'followUps.lease': '' } });
}

/** submitAssociation's write after a pending request's own: its audit entry. True when it was missing. */
export async function completeRequest(db: Db, request: AssociationRequestDoc): Promise<boolean> {
  if (await hasAudit(db, request, 'association.requested')) return false;
  await audit(db, {
    orgId: request.orgId, tenantId: request.tenantId, actor: request.requester.aadObjectId, action: 'association.requested', subject: request._id,
    after: { status: 'pending', email: request.requester.email },
  }, request.createdAt);
  return true;
}

/**
 * The decision's own writes after the guarded update (services/associations/decide.ts), or an
 * acceptance's after its insert (submitAssociation): the membership of an approved or accepted request, unless it was made (associated at or after the decision)
 * or ended since (removed after it), and the audit entry, unless written. Returns what was missing.
 */
export async function completeDecision(db: Db, request: AssociationRequestDoc): Promise<{ membership: boolean; audit: boolean }> {
  const repaired = { membership: false, audit: false };
  const at = request.decidedAt ?? new Date();
  if (request.status === 'approved' || request.status === 'accepted') {
    const member = await db.collection<MemberDoc>(collections.members).findOne(
      { _id: memberId(request.tenantId, request.requester.aadObjectId) }, { projection: { associatedAt: 1, removedAt: 1 } });
    const made = member && ((member.associatedAt && member.associatedAt >= at) || (member.removedAt && member.removedAt >= at));
    if (!made) { await createMembership(db, request, at); repaired.membership = true; }
  }
  const action = `association.${request.status}`;
  if (!(await hasAudit(db, request, action))) {
    await audit(db, request.status === 'accepted'
      ? { orgId: request.orgId, tenantId: request.tenantId, actor: request.requester.aadObjectId, action, subject: request._id, after: { status: request.status, email: request.requester.email } }
      : {
        orgId: request.orgId, tenantId: request.tenantId, actor: request.decidedBy?.aadObjectId ?? 'system', action, subject: request._id,
        before: { status: 'pending' }, after: { status: request.status, reason: request.reason },
      }, at);
    repaired.audit = true;
  }
  return repaired;
}

async function hasAudit(db: Db, request: AssociationRequestDoc, action: string): Promise<boolean> {
  return Boolean(await db.collection(collections.audit).findOne({ orgId: request.orgId, subject: request._id, action }, { projection: { _id: 1 } }));
}
