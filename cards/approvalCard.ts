// The approval card an approver decides on (DESIGN §4): the requester, their e-mail and whether
// its domain is pre-approved, the age of the request, and Approve / Reject while it is pending.
// Every copy shows the final state once decided; `refresh` shows buttons only to approvers.
import template from './approval.json';
import { formatClock, formatTimeAndAge } from './format';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface ApprovalCardData {
  requestId: string;
  requester: string;
  organisation: string;
  email: string;
  domainPreApproved: boolean;
  createdAt: Date;
  status: 'pending' | 'accepted' | 'approved' | 'rejected' | 'cancelled';
  decidedBy?: string;
  decidedAt?: Date;
  reason?: string;
  canDecide: boolean;
  /** Teams user ids who get a refreshed, personal view (the approvers), where known. */
  refreshUserIds: string[];
}

export function approvalCard(data: ApprovalCardData, now = new Date()): CardAttachment {
  const when = data.decidedAt ? formatClock(data.decidedAt, now) : '';
  const status = {
    pending: 'Waiting for a decision',
    accepted: 'Accepted (pre-approved)',
    approved: `Approved by ${data.decidedBy ?? 'an approver'} at ${when}`,
    rejected: `Rejected by ${data.decidedBy ?? 'an approver'} at ${when}`,
    cancelled: 'Cancelled by the requester',
  }[data.status];
  return cardAttachment(expandCard(template, {
    requestId: data.requestId,
    requester: data.requester,
    organisation: data.organisation,
    email: data.email,
    domainNote: data.domainPreApproved ? 'Pre-approved domain' : 'Not a pre-approved domain',
    sent: formatTimeAndAge(data.createdAt, now),
    status,
    reason: data.reason ?? '',
    canDecide: data.canDecide && data.status === 'pending',
    refreshUserIds: data.refreshUserIds,
  }));
}
