// The association profile form (seed 000 step e, "Your Profile"): prefilled from Teams, and sent
// again with the values kept and the problem named when something is wrong.
import template from './associationForm.json';
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

export function associationFormCard(data: AssociationFormData): CardAttachment {
  return cardAttachment(expandCard(template, { ...data, languages: LANGUAGES.map((l) => ({ code: l.code, name: l.name })) }));
}
