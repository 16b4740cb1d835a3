// `transfer ppc`: pick the member who becomes the Primary Program Contact (then confirm).
import type { Translate } from '../i18n';
import type { PpcCandidates } from '../services/people/transferPpc';
import template from './transferPpc.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export function transferPpcCard(t: Translate, data: PpcCandidates): CardAttachment {
  return cardAttachment(expandCard(template, {
    title: t('people:transfer.title'),
    text: t('people:transfer.text', { current: data.currentPpc.displayName || t('people:transfer.unknownPpc'), organisation: data.organisation }),
    pickLabel: t('people:transfer.pickLabel'), pickError: t('people:transfer.pickError'), nextButton: t('people:transfer.next'),
    candidates: data.candidates.map((c) => ({ title: `${c.displayName} <${c.email}>`, value: c.aadObjectId })),
    more: data.total > data.candidates.length ? t('people:transfer.more', { shown: data.candidates.length, total: data.total }) : '',
  }));
}
