// Choices shown as buttons on a card (Teams renders the default inline list poorly).
import { ListStyle, type ChoicePrompt } from 'botbuilder-dialogs';

export function withButtons<P extends ChoicePrompt>(prompt: P): P {
  prompt.style = ListStyle.heroCard;
  return prompt;
}
