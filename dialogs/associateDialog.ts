// "associate" (seed 000): find the organisation → fill in the profile → prove the work e-mail →
// confirm → submit. Accepted at once for a proven address on a pre-approved domain (or an
// invited one); otherwise the request waits for the PPC or a global admin.
import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  ChoiceFactory, ChoicePrompt, ComponentDialog, ConfirmPrompt, ListStyle, TextPrompt, WaterfallDialog,
  type DialogTurnResult, type FoundChoice, type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { ASSOCIATION_FORM, associationFormCard, type AssociationFormData } from '../cards/associationForm';
import type { Identity } from '../services/access/identity';
import { AssociationRefused, mcidField, submitAssociation, type SubmitResult } from '../services/associations/associate';
import type { AssociationRequestDoc } from '../services/associations/request';
import { languageName, type LanguageCode } from '../services/people/languages';
import { getProfile, profileFields } from '../services/people/profiles';
import { workEmail } from '../services/organisations/domains';
import { findByPartnerId, partnerIdField, searchByName, type OrganisationSummary } from '../services/organisations/search';
import { CodeDeliveryError, type CodeDelivery } from '../services/verification/codeDelivery';
import { checkCode, CodeLimitError, issueCode } from '../services/verification/oneTimeCodes';
import { FormPrompt, type FormValues } from './formPrompt';
import { teamsIdentity } from './teamsIdentity';

export const ASSOCIATE_DIALOG = 'associate';

const ASK_ORG = 'associate.askOrg';
const PICK_ORG = 'associate.pickOrg';
const PROFILE = 'associate.profile';
const CODE = 'associate.code';
const CONFIRM = 'associate.confirm';
const STEPS = 'associate.steps';
const NONE_OF_THESE = 'None of these';
const CODE_PURPOSE = 'association-email';

export interface AssociateOptions {
  who: Identity;
  /** A Partner ID typed after the command ("associate 1234567"). */
  args?: string;
  /** Joining through an invitation: its code (the Partner ID comes in args). */
  invitationCode?: string;
  language?: LanguageCode;
}

export interface AssociateDeps {
  db: Db;
  codes: CodeDelivery;
  /** Called once a request is pending, to tell the approvers. */
  onPending(request: AssociationRequestDoc, turn: TurnContext): Promise<void>;
}

const profileForm = z.object({
  displayName: profileFields.displayName,
  email: workEmail,
  phone: z.string().trim().max(30, 'A phone number can be at most 30 characters.').optional()
    .transform((v) => v || undefined).pipe(profileFields.phone.optional()),
  language: profileFields.language,
  mcid: z.string().trim().max(12, 'An MCID is at most 12 digits.').optional().transform((v) => v || undefined).pipe(mcidField.optional()),
});
type ProfileForm = z.infer<typeof profileForm>;

/** What the steps keep between turns (stored with the dialog state: it survives a restart). */
interface Values {
  who: Identity;
  invitationCode?: string;
  language?: LanguageCode;
  teamsAddresses: string[];
  results?: OrganisationSummary[];
  org?: OrganisationSummary;
  form?: ProfileForm;
  emailProven?: boolean;
}
const values = (step: WaterfallStepContext) => step.values as Values;

export class AssociateDialog extends ComponentDialog {
  constructor(private readonly deps: AssociateDeps) {
    super(ASSOCIATE_DIALOG);
    this.addDialog(new TextPrompt(ASK_ORG, async (p) => { const text = p.recognized.value ?? ''; return text.trim().length > 0 && text.length <= 200; }));
    this.addDialog(buttons(new ChoicePrompt(PICK_ORG)));
    this.addDialog(new FormPrompt(PROFILE, ASSOCIATION_FORM, (p) => this.validateForm(p)));
    this.addDialog(new TextPrompt(CODE, (p) => this.validateCode(p)));
    this.addDialog(buttons(new ConfirmPrompt(CONFIRM)));
    this.addDialog(new WaterfallDialog(STEPS, [
      (s) => this.askOrganisation(s),
      (s) => this.findOrganisation(s),
      (s) => this.pickOrganisation(s),
      (s) => this.askProfile(s),
      (s) => this.proveEmail(s),
      (s) => this.confirm(s),
      (s) => this.submit(s),
    ]));
    this.initialDialogId = STEPS;
  }

  // Step f of the seed: the Partner ID (recommended), or the company details.
  private async askOrganisation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who, args, invitationCode, language } = step.options as AssociateOptions;
    Object.assign(values(step), { who, invitationCode, language });
    if (args?.trim()) return step.next(args.trim());
    return step.prompt(ASK_ORG, {
      prompt: "Which organisation do you want to associate with? Type its **Partner ID** (recommended: your Primary Program Contact has it) or, if you don't know it, the **company name**.",
      retryPrompt: 'Please type a Partner ID (digits) or a company name (at most 200 characters), or type cancel.',
    });
  }

  private async findOrganisation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const query = String(step.result).trim();
    const v = values(step);
    if (/^\d+$/.test(query)) {
      const id = partnerIdField.safeParse(query);
      if (!id.success) return this.startOver(step, `${id.error.issues[0].message}`);
      const org = await findByPartnerId(this.deps.db, id.data);
      if (!org) return this.startOver(step, `No organisation has Partner ID ${id.data}. Check it with your Primary Program Contact, or type the company name instead.`);
      v.org = org;
      return step.next();
    }
    const results = await searchByName(this.deps.db, v.who.tenantId, query);
    if (results.length === 0) {
      return this.startOver(step, `I found no organisation named like "${query.slice(0, 60)}" in your organisation's directory. Try a shorter part of the name, or the Partner ID (your Primary Program Contact has it).`);
    }
    v.results = results;
    return step.prompt(PICK_ORG, {
      prompt: results.length === 1 ? 'Is this your organisation?' : 'Which one is your organisation?',
      retryPrompt: 'Please pick one of the buttons, or type cancel.',
      choices: ChoiceFactory.toChoices([...results.map(describe), NONE_OF_THESE]),
    });
  }

  private async pickOrganisation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    if (!v.org) {
      const choice = step.result as FoundChoice;
      const picked = v.results?.[choice.index];
      if (!picked) return this.startOver(step, 'Okay. Try the Partner ID (your Primary Program Contact has it), or another part of the name.');
      v.org = picked;
    }
    return step.next();
  }

  // Step e of the seed: "Your Profile", prefilled from what Teams knows.
  private async askProfile(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    const teams = await teamsIdentity(step.context);
    v.teamsAddresses = teams.addresses;
    const profile = await getProfile(this.deps.db, v.who);
    const data: AssociationFormData = {
      organisation: describe(v.org!),
      displayName: profile.displayName ?? teams.name ?? v.who.name ?? '',
      email: teams.addresses[0] ?? '',
      phone: profile.phone ?? '',
      language: v.language ?? profile.language,
      mcid: '',
      error: '',
    };
    const card = (error: string) => MessageFactory.attachment(associationFormCard({ ...data, error }));
    return step.prompt(PROFILE, {
      prompt: card(''),
      retryPrompt: card('Fill in the form and press Next, or type cancel.'),
      validations: { data },
    });
  }

  // An unproven address never triggers pre-approval: it must be the Teams identity's, or the
  // user types back a code sent to it.
  private async proveEmail(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    v.form = profileForm.parse(step.result);
    v.emailProven = v.teamsAddresses.includes(v.form.email);
    if (v.emailProven) return step.next();
    const sent = await this.sendCode(v.who, v.form.email);
    if (!sent.ok) {
      await step.context.sendActivity(`${sent.message} Start again with **associate** using the address Teams knows for you${v.teamsAddresses[0] ? ` (${v.teamsAddresses[0]})` : ''}.`);
      return step.endDialog();
    }
    return step.prompt(CODE, {
      prompt: `${v.form.email} is not the address Teams knows for you, so I sent a 6-digit code to it. Type the code here (it expires in 10 minutes), or type **resend**.`,
      validations: { who: v.who, email: v.form.email },
    });
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { org, form } = values(step);
    values(step).emailProven = true;
    const lines = [
      `Please check before I send your request (seed step g):`,
      `- Organisation: ${describe(org!)}`,
      `- Name: ${form!.displayName}`,
      `- Work e-mail: ${form!.email} (proven)`,
      `- Phone: ${form!.phone ?? '(none)'}`,
      `- Preferred language: ${languageName(form!.language)}`,
      `- MCID: ${form!.mcid ?? '(none)'}`,
    ];
    await step.context.sendActivity(lines.join('\n'));
    return step.prompt(CONFIRM, { prompt: 'Send the request?', retryPrompt: 'Please answer Yes or No.' });
  }

  private async submit(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== true) {
      await step.context.sendActivity('Okay, I did not send anything. Type **associate** to start again.');
      return step.endDialog();
    }
    const { who, org, form, emailProven, invitationCode } = values(step);
    let result: SubmitResult;
    try {
      result = await submitAssociation(this.deps.db, who, {
        partnerId: org!.partnerId, displayName: form!.displayName, email: form!.email, emailProven: emailProven === true,
        phone: form!.phone, language: form!.language as LanguageCode, mcid: form!.mcid, invitationCode,
      });
    } catch (err) {
      if (!(err instanceof AssociationRefused)) throw err;
      await step.context.sendActivity(err.message);
      return step.endDialog();
    }
    if (result.outcome === 'accepted') {
      await step.context.sendActivity(`Your request to associate with the company has been accepted. You are now associated with **${result.organisation.legalName}** (Partner ID ${result.organisation.partnerId}).`);
    } else {
      await step.context.sendActivity(`Your request has been sent to your organisation's program administrator at **${result.organisation.legalName}**. They usually answer within 24 hours; I will tell you here. Type **status** to see it.`);
      await this.deps.onPending(result.request, step.context);
    }
    return step.endDialog(result.request);
  }

  private async startOver(step: WaterfallStepContext, message: string): Promise<DialogTurnResult> {
    await step.context.sendActivity(message);
    const { who, invitationCode, language } = values(step);
    return step.replaceDialog(STEPS, { who, invitationCode, language });
  }

  private async validateForm(prompt: PromptValidatorContext<FormValues>): Promise<boolean> {
    if (!prompt.recognized.succeeded) return false;
    const parsed = profileForm.safeParse(prompt.recognized.value);
    if (parsed.success) return true;
    const { data } = prompt.options.validations as { data: AssociationFormData };
    const typed = prompt.recognized.value ?? {};
    const text = (key: string) => (typeof typed[key] === 'string' ? (typed[key] as string) : '');
    const issue = parsed.error.issues[0];
    prompt.options.retryPrompt = MessageFactory.attachment(associationFormCard({
      ...data, displayName: text('displayName'), email: text('email'), phone: text('phone'), language: text('language') || data.language, mcid: text('mcid'),
      error: `${fieldLabel(String(issue.path[0] ?? ''))}: ${issue.message}`,
    }));
    return false;
  }

  private async validateCode(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { who, email } = prompt.options.validations as { who: Identity; email: string };
    const typed = (prompt.recognized.value ?? '').trim();
    if (/^resend$/i.test(typed)) {
      const sent = await this.sendCode(who, email);
      prompt.options.retryPrompt = sent.ok ? `I sent a new code to ${email}. Type it here.` : `${sent.message} Type cancel to stop.`;
      return false;
    }
    const result = await checkCode(this.deps.db, who, CODE_PURPOSE, email, typed);
    if (result.ok) return true;
    prompt.options.retryPrompt = result.reason === 'wrong'
      ? `That code is not right${/^\d{6}$/.test(typed.replace(/\s/g, '')) ? '' : ' (it is 6 digits)'}. ${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left, or type **resend**.`
      : result.reason === 'expired' ? 'That code has expired. Type **resend** for a new one.'
        : 'Too many wrong codes. Type **resend** for a new one, or cancel.';
    return false;
  }

  private async sendCode(who: Identity, email: string): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      const code = await issueCode(this.deps.db, who, CODE_PURPOSE, email);
      await this.deps.codes.send(who.tenantId, email, code);
      return { ok: true };
    } catch (err) {
      if (err instanceof CodeLimitError || err instanceof CodeDeliveryError) return { ok: false, message: err.message };
      throw err;
    }
  }
}

function describe(org: OrganisationSummary): string {
  return `${org.legalName} (${org.country}), Partner ID ${org.partnerId}`;
}

function fieldLabel(key: string): string {
  return ({ displayName: 'Name', email: 'Work e-mail', phone: 'Phone', language: 'Preferred language', mcid: 'MCID' } as Record<string, string>)[key] ?? 'The form';
}

function buttons<P extends ChoicePrompt | ConfirmPrompt>(prompt: P): P {
  prompt.style = ListStyle.heroCard;
  return prompt;
}
