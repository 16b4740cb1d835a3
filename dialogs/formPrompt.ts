// A prompt answered by an Adaptive Card form (Action.Submit): the card is the question, the
// submitted values are the answer. A validator re-sends the card with the problem named.
import type { TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult, type PromptValidator } from 'botbuilder-dialogs';

export type FormValues = Record<string, unknown>;

export class FormPrompt extends Prompt<FormValues> {
  constructor(dialogId: string, private readonly formName: string, validator?: PromptValidator<FormValues>) {
    super(dialogId, validator);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const prompt = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (prompt) await context.sendActivity(prompt);
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<FormValues>> {
    const value: unknown = context.activity.value;
    const isForm = typeof value === 'object' && value !== null && !Array.isArray(value) && (value as FormValues).form === this.formName;
    return isForm ? { succeeded: true, value: value as FormValues } : { succeeded: false };
  }
}
