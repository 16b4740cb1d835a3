// The requester's view of their association request (`status`), with a cancel button while
// pending. Values arrive already worded; the labels are in the requester's language (`t`).
import template from './requestStatus.json';
import { translator, type Translate } from '../i18n';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface RequestStatusData {
  requestId: string;
  organisation: string;
  status: string;
  sent: string;
  email: string;
  approvers: string;
  decided: string;
  reason: string;
  canCancel: boolean;
}

export function requestStatusCard(data: RequestStatusData, t: Translate = translator('en')): CardAttachment {
  return cardAttachment(expandCard(template, {
    ...data,
    text: {
      title: t('association:status.title'),
      organisationLabel: t('association:status.organisationLabel'),
      statusLabel: t('association:status.statusLabel'),
      sentLabel: t('association:status.sentLabel'),
      emailLabel: t('association:status.emailLabel'),
      approversLabel: t('association:status.approversLabel'),
      decidedLabel: t('association:status.decidedLabel'),
      reasonLabel: t('association:status.reasonLabel'),
      cancelButton: t('association:status.cancelButton'),
    },
  }));
}
