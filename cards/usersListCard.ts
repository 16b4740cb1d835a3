// `users [role]` (seed 003 "User management"): members by name, 20 a page, each with their
// roles and a button to change them; filtered by role when one is given.
import type { Translate } from '../i18n';
import type { MemberPage } from '../services/people/listMembers';
import template from './usersList.json';
import { roleTitle, rolesText } from './peopleText';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function usersListCard(t: Translate, list: MemberPage): CardAttachment {
  const first = list.page * list.pageSize + 1;
  const last = list.page * list.pageSize + list.members.length;
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  return cardAttachment(expandCard(template, {
    title: t('people:list.title', { organisation: list.organisation }),
    subtitle: list.role
      ? t('people:list.countWithRole', { count: list.total, role: roleTitle(t, list.role) })
      : t('people:list.count', { count: list.total }),
    members: list.members.map((m) => ({ aadObjectId: m.aadObjectId, displayName: m.displayName, email: m.email, roles: rolesText(t, m.roles, m.contactTypes) })),
    pageInfo: pages > 1 ? t('people:list.pageInfo', { first, last, total: list.total, page: list.page + 1, pages }) : '',
    page: list.page,
    role: list.role ?? '',
    hasPrevious: list.page > 0,
    hasNext: last < list.total,
    rolesButton: t('people:list.rolesButton'),
    previousButton: t('people:list.previous'),
    nextButton: t('people:list.next'),
    addButton: t('people:list.addButton'),
  }));
}
