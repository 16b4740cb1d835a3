// The at-risk alert (seed 004: admins "receive notification … when a competency is at risk"):
// which level is no longer met, what caused it and what is now missing, with a button to the
// competency status.
import template from './competencyAlert.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface CompetencyAlertCardData {
  orgId: string;
  title: string;
  text: string;
  causeTitle: string;
  cause: string;
  missingTitle: string;
  missing: string[];
  statusTitle: string;
}

export function competencyAlertCard(data: CompetencyAlertCardData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
