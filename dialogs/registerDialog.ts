// "register": a global administrator of the tenant registers the organisation's partner profile
// (Partner ID, legal name, country, address, first pre-approved domains) and becomes its PPC.
// The form and every answer are in the user's language.
import { MessageFactory } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import { REGISTER_FORM, registerCard, type RegisterFormData } from '../cards/registerCard';
import type { Identity } from '../services/access/identity';
import type { Directory } from '../services/directory';
import { registerOrganisation, registrationInput, RegistrationRefused } from '../services/organisations/register';
import { languageOf, tOf } from '../bot/turnLanguage';
import { issueText, refusalText, zodOptions } from '../bot/userText';
import { FormPrompt, type FormValues } from './formPrompt';
import { teamsIdentity } from './teamsIdentity';

export const REGISTER_DIALOG = 'register';
const FORM = 'register.form';
const STEPS = 'register.steps';

const EMPTY: RegisterFormData = { partnerId: '', legalName: '', country: '', address: '', domains: '', error: '' };

export class RegisterDialog extends ComponentDialog {
  constructor(private readonly db: Db, private readonly directory: Directory) {
    super(REGISTER_DIALOG);
    this.addDialog(new FormPrompt(FORM, REGISTER_FORM, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.ask(s), (s) => this.register(s)]));
    this.initialDialogId = STEPS;
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tOf(step.context);
    return step.prompt(FORM, {
      prompt: MessageFactory.attachment(registerCard(EMPTY, t)),
      retryPrompt: MessageFactory.attachment(registerCard({ ...EMPTY, error: t('organisations:formRetry') }, t)),
    });
  }

  private async register(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who } = step.options as { who: Identity };
    const teams = await teamsIdentity(step.context);
    const values = step.result as FormValues;
    const t = tOf(step.context);
    try {
      const org = await registerOrganisation(this.db, this.directory,
        { ...who, displayName: teams.name ?? who.name ?? t('organisations:defaultPpcName'), email: teams.addresses[0] ?? '' },
        { partnerId: text(values.partnerId), legalName: text(values.legalName), country: text(values.country), address: text(values.address), domains: text(values.domains) });
      const registered = { organisation: org.legalName, partnerId: org.partnerId };
      await step.context.sendActivity(org.preApprovedDomains.length
        ? t('organisations:registeredWithDomains', { ...registered, domains: org.preApprovedDomains.join(', ') })
        : t('organisations:registered', registered));
    } catch (err) {
      if (!(err instanceof RegistrationRefused)) throw err;
      await step.context.sendActivity(refusalText(t, err));
    }
    return step.endDialog();
  }

  private async validate(prompt: PromptValidatorContext<FormValues>): Promise<boolean> {
    if (!prompt.recognized.succeeded) return false;
    const typed = prompt.recognized.value ?? {};
    const parsed = registrationInput.safeParse(
      { partnerId: text(typed.partnerId), legalName: text(typed.legalName), country: text(typed.country), address: text(typed.address), domains: text(typed.domains) },
      zodOptions(languageOf(prompt.context)),
    );
    if (parsed.success) return true;
    const t = tOf(prompt.context);
    prompt.options.retryPrompt = MessageFactory.attachment(registerCard({
      partnerId: text(typed.partnerId), legalName: text(typed.legalName), country: text(typed.country), address: text(typed.address), domains: text(typed.domains),
      error: issueText(t, parsed.error.issues[0]),
    }, t));
    return false;
  }
}

/** A form value as text: anything that is not a string (an object, a number) counts as empty. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
