// How roles and contact types read in a language: one place, so every card and message names
// them the same way.
import type { Translate } from '../i18n';
import type { Role } from '../services/access/capabilities';
import { ROLES } from '../services/access/capabilities';
import { ASSIGNABLE_ROLES } from '../services/people/inputs';
import { CONTACT_TYPES, type ContactType } from '../services/people/members';

export function roleTitle(t: Translate, role: Role): string {
  switch (role) {
    case 'globalAdmin': return t('people:role.globalAdmin');
    case 'accountAdmin': return t('people:role.accountAdmin');
    case 'userManagementAdmin': return t('people:role.userManagementAdmin');
    case 'mpnPartnerAdmin': return t('people:role.mpnPartnerAdmin');
    case 'ppc': return t('people:role.ppc');
  }
}

export function contactTypeTitle(t: Translate, type: ContactType): string {
  switch (type) {
    case 'salesMarketing': return t('people:contactType.salesMarketing');
    case 'technical': return t('people:contactType.technical');
    case 'executive': return t('people:contactType.executive');
  }
}

/** "Global admin, Technical contact", or "none". */
export function rolesText(t: Translate, roles: readonly Role[], contactTypes: readonly ContactType[] = []): string {
  const parts = [...ROLES.filter((r) => roles.includes(r)).map((r) => roleTitle(t, r)), ...contactTypes.map((c) => contactTypeTitle(t, c))];
  return parts.length ? parts.join(', ') : t('people:role.none');
}

export const roleChoices = (t: Translate, withGlobalAdmin = true) =>
  ASSIGNABLE_ROLES.filter((r) => withGlobalAdmin || r !== 'globalAdmin').map((r) => ({ title: roleTitle(t, r), value: r }));

export const contactTypeChoices = (t: Translate) => CONTACT_TYPES.map((c) => ({ title: contactTypeTitle(t, c), value: c }));
