// A Yes/No prompt in the turn's language. botbuilder's ConfirmPrompt picks its buttons and the
// words it recognises ("Yes", "Oui"…) from the activity's Teams locale; the turn's language can
// differ (a stated preference wins), so the prompt sees the locale of the turn's language.
import type { TurnContext } from 'botbuilder';
import { ConfirmPrompt, ListStyle, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { BotLanguage } from '../i18n';
import { languageOf } from '../bot/turnLanguage';

/** botbuilder's culture for each language the bot speaks. */
const CULTURE: Record<BotLanguage, string> = { en: 'en-us', fr: 'fr-fr' };

export class TurnLanguageConfirmPrompt extends ConfirmPrompt {
  constructor(dialogId: string) {
    super(dialogId);
    this.style = ListStyle.heroCard;
  }

  protected override onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    return inTurnCulture(context, () => super.onPrompt(context, state, options, isRetry));
  }

  protected override onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<boolean>> {
    return inTurnCulture(context, () => super.onRecognize(context, state, options));
  }
}

async function inTurnCulture<T>(context: TurnContext, run: () => Promise<T>): Promise<T> {
  const locale = context.activity.locale;
  context.activity.locale = CULTURE[languageOf(context)];
  try {
    return await run();
  } finally {
    context.activity.locale = locale;
  }
}
