// The card a user-management admin gets for a role request: what is asked, and Grant / Deny
// while it is pending; after the decision, who decided and when, without buttons.
import type { Translate } from '../i18n';
import type { RoleRequestDoc } from '../services/people/roleRequests';
import { formatTime } from './format';
import template from './roleRequest.json';
import { rolesText } from './peopleText';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function roleRequestCard(t: Translate, request: RoleRequestDoc, organisation: string): CardAttachment {
  const by = request.decidedBy?.displayName ?? '';
  const at = request.decidedAt ? formatTime(request.decidedAt) : '';
  const status = request.status === 'granted' ? t('people:decision.granted', { by, at })
    : request.status === 'denied' ? t('people:decision.denied', { by, at })
      : t('people:decision.pending');
  return cardAttachment(expandCard(template, {
    title: t('people:decision.title'),
    text: t('people:decision.text', { name: request.requester.displayName, email: request.requester.email, organisation }),
    askedLabel: t('people:decision.asked'), noteLabel: t('people:decision.note'), statusLabel: t('people:decision.status'),
    asked: rolesText(t, request.roles, request.contactTypes),
    note: request.note ?? '',
    status,
    requestId: request._id,
    canDecide: request.status === 'pending',
    grantButton: t('people:decision.grant'), denyButton: t('people:decision.deny'),
  }));
}
