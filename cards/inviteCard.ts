// The invitation form (seed 002): addresses separated by ";", a language, and how to deliver them.
import template from './invite.json';
import { translator, type Translate } from '../i18n';
import { LANGUAGES } from '../services/people/languages';
import { cardAttachment, expandCard, type CardAttachment } from './render';

/** The delivery options (issue 4 §4): labels translated by the caller; both on unless the PPC turned one off. */
export interface InviteDeliveryToggles { teamsLabel: string; emailLabel: string; teams?: boolean; email?: boolean }

/** Its words are in the PPC's language (`t`). */
export function inviteCard(data: { organisation: string; addresses?: string; language?: string; message?: string; delivery: InviteDeliveryToggles }, t: Translate = translator('en')): CardAttachment {
  return cardAttachment(expandCard(template, {
    organisation: data.organisation, addresses: data.addresses ?? '', language: data.language ?? 'en', message: data.message ?? '',
    teamsLabel: data.delivery.teamsLabel, emailLabel: data.delivery.emailLabel,
    teams: String(data.delivery.teams ?? true), email: String(data.delivery.email ?? true),
    languages: LANGUAGES.map((l) => ({ code: l.code, name: l.name })),
    text: {
      title: t('invitationAdmin:form.title', { organisation: data.organisation }),
      intro: t('invitationAdmin:form.intro'),
      addresses: t('invitationAdmin:form.addresses'),
      addressesRequired: t('invitationAdmin:form.addressesRequired'),
      language: t('invitationAdmin:form.language'),
      invite: t('invitationAdmin:form.invite'),
    },
  }));
}
