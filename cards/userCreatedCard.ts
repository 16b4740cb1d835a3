// Shown once, to the admin who added a user the directory did not know: the new account's
// sign-in name and temporary password. Built for the reply only; never stored or logged. The
// password sits in a text box, not in text, so Markdown never alters it and it can be copied.
import type { Translate } from '../i18n';
import template from './userCreated.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function userCreatedCard(t: Translate, data: { displayName: string; organisation: string; userPrincipalName: string; temporaryPassword: string; roles: string }): CardAttachment {
  return cardAttachment(expandCard(template, {
    title: t('people:created.title'),
    text: t('people:created.text', { name: data.displayName, organisation: data.organisation }),
    signInLabel: t('people:created.signIn'), passwordLabel: t('people:created.password'), rolesLabel: t('people:created.roles'),
    note: t('people:created.note', { name: data.displayName }),
    userPrincipalName: data.userPrincipalName, temporaryPassword: data.temporaryPassword, roles: data.roles,
  }));
}
