// The seeds promise an answer within 24 hours: a request still pending after 24 h reminds its
// approvers, after 72 h it is escalated to every global admin. Each once, through the outbox.
import type { Db } from 'mongodb';
import { approversOf } from '../../services/associations/approvers';
import type { AssociationRequestDoc } from '../../services/associations/request';
import { collections } from '../../services/db/collections';
import type { Outbox } from '../../services/outbox/outbox';
import type { JobHandler } from '../../services/scheduler/job';
import type { Scheduler } from '../../services/scheduler/scheduler';
import { recipientTranslator } from '../turnLanguage';
import type { PersonReach } from './reach';

export const REMIND_AFTER_MS = 24 * 3600_000;
export const ESCALATE_AFTER_MS = 72 * 3600_000;

export async function scheduleReminders(scheduler: Scheduler, request: AssociationRequestDoc): Promise<void> {
  await scheduler.schedule(`association-remind:${request._id}`, 'association.remind', new Date(request.createdAt.getTime() + REMIND_AFTER_MS), { requestId: request._id });
  await scheduler.schedule(`association-escalate:${request._id}`, 'association.escalate', new Date(request.createdAt.getTime() + ESCALATE_AFTER_MS), { requestId: request._id });
}

export function reminderHandlers(db: Db, outbox: Outbox, reach: PersonReach): Record<string, JobHandler> {
  const run = (kind: 'remind' | 'escalate'): JobHandler => async (job) => {
    const request = await db.collection<AssociationRequestDoc>(collections.associationRequests).findOne({ _id: String(job.data.requestId) });
    if (!request || request.status !== 'pending') return; // decided or withdrawn meanwhile: nothing to say
    const approvers = await approversOf(db, request.orgId);
    // Escalation goes to every global admin (the PPC already had the reminder).
    const recipients = kind === 'remind' ? approvers : approvers.filter((a) => !a.isPpc);
    const hours = kind === 'remind' ? 24 : 72;
    for (const person of recipients) {
      const reference = await reach.referenceFor(request.tenantId, person.aadObjectId);
      if (!reference) continue;
      // Each in the recipient's language.
      const t = await recipientTranslator(db, request.tenantId, person.aadObjectId);
      const text = t('approvals:reminder', { name: request.requester.displayName, email: request.requester.email, hours });
      await outbox.enqueue({ key: `association-${kind}:${request._id}:${person.aadObjectId}`, target: { tenantId: request.tenantId, reference }, activity: { type: 'message', text } });
    }
  };
  return { 'association.remind': run('remind'), 'association.escalate': run('escalate') };
}
