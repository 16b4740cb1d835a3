// The approval card an approver decides on (DESIGN §4): the requester, their e-mail and whether
// its domain is pre-approved, the age of the request, and Approve / Reject while it is pending.
// Every copy shows the final state once decided; `refresh` shows buttons only to approvers.
// Its words are in the viewer's language (`t`).
import template from './approval.json';
import { translator, type Translate } from '../i18n';
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

export function approvalCard(data: ApprovalCardData, now = new Date(), t: Translate = translator('en')): CardAttachment {
  const when = data.decidedAt ? formatClock(data.decidedAt, now, t) : '';
  const by = data.decidedBy || t('approvals:someApprover');
  const status = {
    pending: () => t('approvals:card.pending'),
    accepted: () => t('approvals:card.accepted'),
    approved: () => t('approvals:card.approved', { by, when }),
    rejected: () => t('approvals:card.rejected', { by, when }),
    cancelled: () => t('approvals:card.cancelled'),
  }[data.status]();
  return cardAttachment(expandCard(template, {
    requestId: data.requestId,
    email: data.email,
    domainNote: data.domainPreApproved ? t('approvals:card.preApproved') : t('approvals:card.notPreApproved'),
    sent: formatTimeAndAge(data.createdAt, now, t),
    status,
    reason: data.reason ?? '',
    canDecide: data.canDecide && data.status === 'pending',
    refreshUserIds: data.refreshUserIds,
    text: {
      title: t('approvals:card.title'),
      asks: t('approvals:card.asks', { requester: data.requester, organisation: data.organisation }),
      emailLabel: t('approvals:card.emailLabel'),
      domainLabel: t('approvals:card.domainLabel'),
      sentLabel: t('approvals:card.sentLabel'),
      statusLabel: t('approvals:card.statusLabel'),
      reasonLabel: t('approvals:card.reasonLabel'),
      approve: t('approvals:card.approve'),
      rejectMenu: t('approvals:card.rejectMenu'),
      reasonInput: t('approvals:card.reasonInput'),
      reject: t('approvals:card.reject'),
    },
  }));
}
