// The organisation registration form, sent again with the values kept when something is wrong.
// Its words are in the user's language (`t`).
import template from './register.json';
import { translator, type Translate } from '../i18n';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export const REGISTER_FORM = 'organisation.register';

export interface RegisterFormData { partnerId: string; legalName: string; country: string; address: string; domains: string; error: string }

export function registerCard(data: RegisterFormData, t: Translate = translator('en')): CardAttachment {
  return cardAttachment(expandCard(template, {
    ...data,
    text: {
      title: t('organisations:form.title'),
      intro: t('organisations:form.intro'),
      partnerId: t('organisations:form.partnerId'),
      partnerIdRequired: t('organisations:form.partnerIdRequired'),
      legalName: t('organisations:form.legalName'),
      legalNameRequired: t('organisations:form.legalNameRequired'),
      country: t('organisations:form.country'),
      countryRequired: t('organisations:form.countryRequired'),
      address: t('organisations:form.address'),
      addressRequired: t('organisations:form.addressRequired'),
      domains: t('organisations:form.domains'),
      register: t('organisations:form.register'),
    },
  }));
}
