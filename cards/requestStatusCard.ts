// The requester's view of their association request (`status`), with a cancel button while pending.
import template from './requestStatus.json';
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

export function requestStatusCard(data: RequestStatusData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
