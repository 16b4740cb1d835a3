// "profile": see your profile and change one field (seed 000: name, phone, preferred language).
// Steps: show the profile and ask what to change → ask for the new value → save and confirm.
import { MessageFactory } from 'botbuilder';
import {
  ChoiceFactory, ChoicePrompt, ComponentDialog, ListStyle, TextPrompt, WaterfallDialog,
  type PromptValidatorContext, type WaterfallStepContext, type DialogTurnResult, type FoundChoice,
} from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import type { Identity } from '../services/access/identity';
import { LANGUAGES, languageName } from '../services/people/languages';
import { checkProfileField, getProfile, ProfileInputError, updateProfile, type UserProfile } from '../services/people/profiles';

export const PROFILE_DIALOG = 'profile';

const CHOOSE_FIELD = 'profile.chooseField';
const ASK_NAME = 'profile.askName';
const ASK_PHONE = 'profile.askPhone';
const ASK_LANGUAGE = 'profile.askLanguage';
const STEPS = 'profile.steps';

const FIELD_CHOICES = ['Name', 'Phone', 'Preferred language', 'Nothing'] as const;
type FieldChoice = (typeof FIELD_CHOICES)[number];

/** What the dialog needs from the turn: who is asking (set by the bot before it starts). */
export interface ProfileDialogOptions { who: Identity }

/** What the steps keep between turns (stored with the dialog state, so it survives a restart). */
interface StepValues { who: Identity; field: FieldChoice }
const values = (step: WaterfallStepContext) => step.values as StepValues;

export class ProfileDialog extends ComponentDialog {
  constructor(private readonly db: Db) {
    super(PROFILE_DIALOG);
    this.addDialog(withButtons(new ChoicePrompt(CHOOSE_FIELD)));
    this.addDialog(new TextPrompt(ASK_NAME, (p) => this.validate('displayName', p)));
    this.addDialog(new TextPrompt(ASK_PHONE, (p) => this.validate('phone', p)));
    this.addDialog(withButtons(new ChoicePrompt(ASK_LANGUAGE)));
    this.addDialog(new WaterfallDialog(STEPS, [
      (step) => this.showAndChoose(step),
      (step) => this.askValue(step),
      (step) => this.save(step),
    ]));
    this.initialDialogId = STEPS;
  }

  private async showAndChoose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who } = step.options as ProfileDialogOptions;
    values(step).who = who;
    const profile = await getProfile(this.db, who);
    await step.context.sendActivity(MessageFactory.text(describeProfile(profile, who)));
    return step.prompt(CHOOSE_FIELD, {
      prompt: 'What would you like to change?',
      retryPrompt: `Please choose one of: ${FIELD_CHOICES.join(', ')}.`,
      choices: ChoiceFactory.toChoices([...FIELD_CHOICES]),
    });
  }

  private async askValue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = (step.result as FoundChoice).value as FieldChoice;
    values(step).field = choice;
    switch (choice) {
      case 'Name':
        return step.prompt(ASK_NAME, { prompt: 'What name should your colleagues and admins see?' });
      case 'Phone':
        return step.prompt(ASK_PHONE, { prompt: 'What is your work phone number? For example +44 20 7946 0000.' });
      case 'Preferred language':
        return step.prompt(ASK_LANGUAGE, {
          prompt: 'Which language do you prefer for messages and invitations?',
          retryPrompt: 'Please pick one of the languages on the buttons.',
          choices: ChoiceFactory.toChoices(LANGUAGES.map((l) => l.name)),
        });
      default:
        await step.context.sendActivity('Okay, nothing changed.');
        return step.endDialog();
    }
  }

  private async save(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who, field } = values(step);
    let saved: UserProfile;
    if (field === 'Preferred language') {
      const name = (step.result as FoundChoice).value;
      const code = LANGUAGES.find((l) => l.name === name)?.code;
      saved = await updateProfile(this.db, who, { language: code });
      await step.context.sendActivity(`Saved. I'll use ${languageName(saved.language)} for your messages and invitations.`);
    } else if (field === 'Name') {
      saved = await updateProfile(this.db, who, { displayName: step.result as string });
      await step.context.sendActivity(`Saved. Your name is now ${saved.displayName}.`);
    } else {
      saved = await updateProfile(this.db, who, { phone: step.result as string });
      await step.context.sendActivity(`Saved. Your phone number is now ${saved.phone}.`);
    }
    return step.endDialog(saved);
  }

  /** Re-asks with the service's own explanation of what is wrong with the value. */
  private async validate(field: 'displayName' | 'phone', prompt: PromptValidatorContext<string>): Promise<boolean> {
    if (!prompt.recognized.succeeded) return false;
    try {
      checkProfileField(field, prompt.recognized.value);
      return true;
    } catch (err) {
      if (!(err instanceof ProfileInputError)) throw err;
      prompt.options.retryPrompt = MessageFactory.text(`${err.message} Try again, or type cancel.`);
      return false;
    }
  }
}

function withButtons(prompt: ChoicePrompt): ChoicePrompt {
  prompt.style = ListStyle.heroCard;
  return prompt;
}

function describeProfile(profile: UserProfile, who: Identity): string {
  return [
    'Your profile:',
    `- Name: ${profile.displayName ?? who.name ?? '(not set)'}`,
    `- Phone: ${profile.phone ?? '(not set)'}`,
    `- Preferred language: ${languageName(profile.language)}`,
  ].join('\n');
}
