// The association profile form (seed 000 step e, "Your Profile"): prefilled from Teams, and sent
// again with the values kept and the problem named when something is wrong. Its words are in the
// user's language (`t`); language names are shown in their own language.
import template from './associationForm.json';
import { translator, type Translate } from '../i18n';
import { LANGUAGES } from '../services/people/languages';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface AssociationFormData {
  organisation: string;
  displayName: string;
  email: string;
  phone: string;
  language: string;
  mcid: string;
  /** Empty, or what to fix. */
  error: string;
}

export const ASSOCIATION_FORM = 'association.profile';

export function associationFormCard(data: AssociationFormData, t: Translate = translator('en')): CardAttachment {
  return cardAttachment(expandCard(template, {
    ...data,
    languages: LANGUAGES.map((l) => ({ code: l.code, name: l.name })),
    text: {
      title: t('association:form.title', { organisation: data.organisation }),
      intro: t('association:form.intro'),
      name: t('association:form.name'),
      nameRequired: t('association:form.nameRequired'),
      email: t('association:form.email'),
      emailRequired: t('association:form.emailRequired'),
      phone: t('association:form.phone'),
      language: t('association:form.language'),
      languageRequired: t('association:form.languageRequired'),
      mcid: t('association:form.mcid'),
      next: t('association:form.next'),
    },
  }));
}
