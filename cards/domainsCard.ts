// The pre-approved domains of an organisation, with remove buttons and a box to add one.
import template from './domains.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function domainsCard(data: { organisation: string; domains: string[]; message?: string; isError?: boolean }): CardAttachment {
  return cardAttachment(expandCard(template, {
    organisation: data.organisation, domains: data.domains, message: data.message ?? '', messageColor: data.isError ? 'Attention' : 'Good',
  }));
}
