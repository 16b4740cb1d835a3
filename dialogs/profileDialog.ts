// "profile": see your profile and change one field (seed 000: name, phone, preferred language).
// Steps: show the profile and ask what to change → ask for the new value → save and confirm.
// In the user's language; a language chosen here speaks from the confirmation on.
import { MessageFactory } from 'botbuilder';
import {
  ChoiceFactory, ChoicePrompt, ComponentDialog, TextPrompt, WaterfallDialog,
  type PromptValidatorContext, type WaterfallStepContext, type DialogTurnResult, type FoundChoice,
} from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import type { Identity } from '../services/access/identity';
import { LANGUAGES, languageName } from '../services/people/languages';
import { checkProfileField, getProfile, ProfileInputError, updateProfile, type UserProfile } from '../services/people/profiles';
import { languageChosen, tOf } from '../bot/turnLanguage';
import { refusalText } from '../bot/userText';
import type { Translate } from '../i18n';
import { withButtons } from './buttons';
import { sendNextMcidLinkLine } from './linkAccountDialog';

export const PROFILE_DIALOG = 'profile';

const CHOOSE_FIELD = 'profile.chooseField';
const ASK_NAME = 'profile.askName';
const ASK_PHONE = 'profile.askPhone';
const ASK_LANGUAGE = 'profile.askLanguage';
const STEPS = 'profile.steps';

/** What can be changed, in the order of the buttons (the answer is read by its position). */
const FIELD_CHOICES = ['name', 'phone', 'language', 'nothing'] as const;
type FieldChoice = (typeof FIELD_CHOICES)[number];

function choiceLabels(t: Translate): string[] {
  return [t('profile:choices.name'), t('profile:choices.phone'), t('profile:choices.language'), t('profile:choices.nothing')];
}

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
    const t = tOf(step.context);
    await step.context.sendActivity(MessageFactory.text(describeProfile(t, profile, who)));
    await sendNextMcidLinkLine(step, who); // seed 004: when a new MCID association is allowed
    const labels = choiceLabels(t);
    return step.prompt(CHOOSE_FIELD, {
      prompt: t('profile:whatToChange'),
      retryPrompt: t('profile:chooseRetry', { choices: labels.join(', ') }),
      choices: ChoiceFactory.toChoices(labels),
    });
  }

  private async askValue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = FIELD_CHOICES[(step.result as FoundChoice).index] ?? 'nothing';
    values(step).field = choice;
    const t = tOf(step.context);
    switch (choice) {
      case 'name':
        return step.prompt(ASK_NAME, { prompt: t('profile:askName') });
      case 'phone':
        return step.prompt(ASK_PHONE, { prompt: t('profile:askPhone') });
      case 'language':
        return step.prompt(ASK_LANGUAGE, {
          prompt: t('profile:askLanguage'),
          retryPrompt: t('profile:askLanguageRetry'),
          choices: ChoiceFactory.toChoices(LANGUAGES.map((l) => l.name)),
        });
      default:
        await step.context.sendActivity(t('profile:nothingChanged'));
        return step.endDialog();
    }
  }

  private async save(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who, field } = values(step);
    let saved: UserProfile;
    if (field === 'language') {
      const code = LANGUAGES[(step.result as FoundChoice).index]?.code;
      saved = await updateProfile(this.db, who, { language: code });
      // The confirmation already speaks the new language (when the bot speaks it).
      const t = languageChosen(step.context, saved.language);
      await step.context.sendActivity(t('profile:savedLanguage', { language: languageName(saved.language) }));
    } else if (field === 'name') {
      saved = await updateProfile(this.db, who, { displayName: step.result as string });
      await step.context.sendActivity(tOf(step.context)('profile:savedName', { name: saved.displayName }));
    } else {
      saved = await updateProfile(this.db, who, { phone: step.result as string });
      await step.context.sendActivity(tOf(step.context)('profile:savedPhone', { phone: saved.phone }));
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
      const t = tOf(prompt.context);
      prompt.options.retryPrompt = MessageFactory.text(t('profile:tryAgain', { problem: refusalText(t, err) }));
      return false;
    }
  }
}

function describeProfile(t: Translate, profile: UserProfile, who: Identity): string {
  const notSet = t('profile:notSet');
  return [
    t('profile:title'),
    t('profile:name', { value: profile.displayName ?? who.name ?? notSet }),
    t('profile:phone', { value: profile.phone ?? notSet }),
    t('profile:language', { value: profile.statedLanguage ? languageName(profile.statedLanguage) : notSet }),
  ].join('\n');
}
