// `request role` (seeds 002, 003): a member asks for roles or contact types, with a reason.
import type { Translate } from '../i18n';
import template from './roleRequestForm.json';
import { contactTypeChoices, roleChoices } from './peopleText';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function roleRequestFormCard(t: Translate, organisation: string): CardAttachment {
  return cardAttachment(expandCard(template, {
    title: t('people:request.title'), intro: t('people:request.intro', { organisation }),
    rolesLabel: t('people:request.rolesLabel'), contactTypesLabel: t('people:request.contactTypesLabel'), noteLabel: t('people:request.noteLabel'),
    sendButton: t('people:request.send'),
    roleChoices: roleChoices(t), contactTypeChoices: contactTypeChoices(t),
  }));
}
