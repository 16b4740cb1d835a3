// The organisation registration form, sent again with the values kept when something is wrong.
import template from './register.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export const REGISTER_FORM = 'organisation.register';

export interface RegisterFormData { partnerId: string; legalName: string; country: string; address: string; domains: string; error: string }

export function registerCard(data: RegisterFormData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
