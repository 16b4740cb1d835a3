// The summary of a transcript import sent in chat: what was imported, what was already there,
// and the rejected rows by line number with their reason (the first ones, then how many more).
import template from './importSummary.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface ImportSummaryCardData {
  title: string;
  intro: string;
  facts: { title: string; value: string }[];
  rejectedHeading: string;
  /** One line per shown rejection, e.g. "Line 17: date 2026-13-01 is not a real day". */
  rejections: { text: string }[];
  /** "… and 12 more", or ''. */
  more: string;
  footer: string;
}

export function importSummaryCard(data: ImportSummaryCardData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
