// The roles card (seed 003 "Assign user roles"): one member's roles and contact types, ticked,
// to change and save. The global admin role is offered only to global admins; the PPC is handed
// on with `transfer ppc`, so it is shown, not ticked.
import type { Translate } from '../i18n';
import type { RolesView } from '../services/people/setRoles';
import template from './memberRoles.json';
import { contactTypeChoices, roleChoices } from './peopleText';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function memberRolesCard(t: Translate, view: RolesView, message = '', isError = false): CardAttachment {
  const m = view.member;
  const isPpc = m.roles.includes('ppc');
  const holdsGlobalAdmin = m.roles.includes('globalAdmin');
  return cardAttachment(expandCard(template, {
    title: t('people:roles.title', { name: m.displayName }),
    email: m.email,
    aadObjectId: m.aadObjectId,
    ppcNote: isPpc ? t('people:roles.ppcNote') : '',
    message, messageColor: isError ? 'Attention' : 'Good',
    rolesLabel: t('people:roles.rolesLabel'),
    contactTypesLabel: t('people:roles.contactTypesLabel'),
    // Someone who may not change the global admin role sees it only if the member holds it; it is sent back unchanged.
    roleChoices: roleChoices(t, view.canAssignGlobalAdmin || holdsGlobalAdmin),
    contactTypeChoices: contactTypeChoices(t),
    globalAdminNote: view.canAssignGlobalAdmin ? '' : t('people:roles.globalAdminOnly'),
    roles: m.roles.filter((r) => r !== 'ppc').join(','),
    contactTypes: m.contactTypes.join(','),
    saveButton: t('people:roles.save'),
    removeButton: t('people:roles.remove'),
    canRemove: !isPpc,
  }));
}
