// The `mcid` card: what the person has linked now (their MCID, their Partner University access),
// when the next new MCID association is allowed, and a button to link or unlink each. The
// buttons start the same conversations as typing `link …` / `unlink …`.
import template from './certifications.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface CertificationsCardButton {
  title: string;
  action: 'link' | 'unlink';
  kind: 'mcid' | 'partnerUniversity';
  /** The account to unlink ('' for a link). */
  accountId: string;
}

export interface CertificationsCardData {
  title: string;
  intro: string;
  mcidHeading: string;
  mcidText: string;
  nextText: string;
  puHeading: string;
  puText: string;
  buttons: CertificationsCardButton[];
}

export function certificationsCard(data: CertificationsCardData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
