// The pre-approved domains of an organisation, with remove buttons and a box to add one, in the
// PPC's language (`t`).
import template from './domains.json';
import { translator, type Translate } from '../i18n';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function domainsCard(data: { organisation: string; domains: string[]; message?: string; isError?: boolean }, t: Translate = translator('en')): CardAttachment {
  return cardAttachment(expandCard(template, {
    organisation: data.organisation, domains: data.domains, message: data.message ?? '', messageColor: data.isError ? 'Attention' : 'Good',
    text: {
      title: t('invitationAdmin:domains.title', { organisation: data.organisation }),
      intro: t('invitationAdmin:domains.intro'),
      none: t('invitationAdmin:domains.none'),
      remove: t('invitationAdmin:domains.remove'),
      addLabel: t('invitationAdmin:domains.addLabel'),
      add: t('invitationAdmin:domains.add'),
    },
  }));
}
