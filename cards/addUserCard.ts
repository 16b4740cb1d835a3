// `add user` (seed 003 "Add a new user"): full name, unique e-mail, roles and contact types.
// Shown again with the problem and the values kept when something is refused.
import type { Translate } from '../i18n';
import template from './addUser.json';
import { contactTypeChoices, roleChoices } from './peopleText';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface AddUserValues { displayName?: string; email?: string; roles?: string; contactTypes?: string; message?: string }

export function addUserCard(t: Translate, data: { organisation: string; canAssignGlobalAdmin: boolean } & AddUserValues): CardAttachment {
  return cardAttachment(expandCard(template, {
    title: t('people:add.title', { organisation: data.organisation }),
    intro: t('people:add.intro'),
    message: data.message ?? '',
    nameLabel: t('people:add.nameLabel'), nameError: t('people:add.nameError'),
    emailLabel: t('people:add.emailLabel'), emailError: t('people:add.emailError'),
    rolesLabel: data.canAssignGlobalAdmin ? t('people:add.rolesLabel') : t('people:add.rolesLabelNoGlobal'),
    contactTypesLabel: t('people:add.contactTypesLabel'),
    addButton: t('people:add.button'),
    displayName: data.displayName ?? '', email: data.email ?? '', roles: data.roles ?? '', contactTypes: data.contactTypes ?? '',
    roleChoices: roleChoices(t, data.canAssignGlobalAdmin), contactTypeChoices: contactTypeChoices(t),
  }));
}
