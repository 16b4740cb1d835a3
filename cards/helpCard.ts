// The help card: the commands this user may use here, each one tappable.
import template from './help.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface HelpCardData {
  title: string;
  intro: string;
  commands: { name: string; description: string }[];
  footer: string;
}

export function helpCard(data: HelpCardData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
