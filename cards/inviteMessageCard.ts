// The invitation an invitee finds in their personal Teams chat: who invited them to which
// organisation, a Join button (it runs `join CODE` for them) and the code to type instead.
// Every sentence arrives translated, in the invitation's language.
import template from './inviteMessage.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface InviteMessageCardData {
  title: string;
  intro: string;
  /** How to join: the button, or typing `join CODE`. */
  instructions: string;
  /** Which address to join with, and until when. */
  note: string;
  button: string;
  /** The invitation code: this card goes only to the invitee's own chat. */
  code: string;
}

export function inviteMessageCard(data: InviteMessageCardData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
