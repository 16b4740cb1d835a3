// The invitation form (seed 002): addresses separated by ";" and a language.
import template from './invite.json';
import { LANGUAGES } from '../services/people/languages';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function inviteCard(data: { organisation: string; addresses?: string; language?: string; message?: string }): CardAttachment {
  return cardAttachment(expandCard(template, {
    organisation: data.organisation, addresses: data.addresses ?? '', language: data.language ?? 'en', message: data.message ?? '',
    languages: LANGUAGES.map((l) => ({ code: l.code, name: l.name })),
  }));
}
