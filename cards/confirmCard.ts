// A yes/no question before a change that is hard to undo (removing a member, handing on the PPC
// role): the confirming button carries the verb and data of the change itself.
import template from './confirm.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface ConfirmData {
  title: string;
  text: string;
  confirmButton: string;
  cancelButton: string;
  verb: string;
  data: Record<string, string>;
}

export function confirmCard(c: ConfirmData): CardAttachment {
  return cardAttachment(expandCard(template, { ...c, submitData: { verb: c.verb, ...c.data } }));
}
