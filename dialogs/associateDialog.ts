// "associate" (seed 000): find the organisation → fill in the profile → prove the work e-mail →
// confirm → submit. Accepted at once for a proven address on a pre-approved domain (or an
// invited one); otherwise the request waits for the PPC or a global admin. Every question is in
// the user's language; the language chosen on the form becomes their stated preference.
import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  ChoiceFactory, ChoicePrompt, ComponentDialog, TextPrompt, WaterfallDialog,
  type DialogTurnResult, type FoundChoice, type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { ASSOCIATION_FORM, associationFormCard, type AssociationFormData } from '../cards/associationForm';
import { languageOf, preferenceStated, tOf } from '../bot/turnLanguage';
import { issueText, refusalText, zodOptions } from '../bot/userText';
import type { Translate } from '../i18n';
import type { Identity } from '../services/access/identity';
import { AssociationRefused, mcidField, submitAssociation, type SubmitResult } from '../services/associations/associate';
import type { AssociationRequestDoc } from '../services/associations/request';
import { languageName, type LanguageCode } from '../services/people/languages';
import { getProfile, profileFields, updateProfile } from '../services/people/profiles';
import { workEmail } from '../services/organisations/domains';
import { findByPartnerIdIn, partnerIdField, searchByName, type OrganisationSummary } from '../services/organisations/search';
import { CodeDeliveryError, type CodeDelivery } from '../services/verification/codeDelivery';
import { checkCode, CodeLimitError, issueCode } from '../services/verification/oneTimeCodes';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../services/limits/rateLimit';
import { withButtons } from './buttons';
import { FormPrompt, type FormValues } from './formPrompt';
import { TurnLanguageConfirmPrompt } from './languagePrompts';
import { teamsIdentity } from './teamsIdentity';

export const ASSOCIATE_DIALOG = 'associate';

const ASK_ORG = 'associate.askOrg';
const PICK_ORG = 'associate.pickOrg';
const PROFILE = 'associate.profile';
const CODE = 'associate.code';
const CONFIRM = 'associate.confirm';
const STEPS = 'associate.steps';
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
  /** Per-user limits on requests and code e-mails (configuration); the defaults otherwise. */
  limits?: AbuseLimits;
}

const profileForm = z.object({
  displayName: profileFields.displayName,
  email: workEmail,
  phone: z.string('errors:profile.phoneChars').trim().max(30, 'errors:profile.phoneTooLong').optional()
    .transform((v) => v || undefined).pipe(profileFields.phone.optional()),
  language: profileFields.language,
  mcid: z.string('errors:association.mcidFormat').trim().max(12, 'errors:association.mcidTooLong').optional().transform((v) => v || undefined).pipe(mcidField.optional()),
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
    this.addDialog(withButtons(new ChoicePrompt(PICK_ORG)));
    this.addDialog(new FormPrompt(PROFILE, ASSOCIATION_FORM, (p) => this.validateForm(p)));
    this.addDialog(new TextPrompt(CODE, (p) => this.validateCode(p)));
    this.addDialog(new TurnLanguageConfirmPrompt(CONFIRM));
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
    const t = tOf(step.context);
    return step.prompt(ASK_ORG, { prompt: t('association:askOrganisation'), retryPrompt: t('association:askOrganisationRetry') });
  }

  private async findOrganisation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const query = String(step.result).trim();
    const v = values(step);
    const t = tOf(step.context);
    if (/^\d+$/.test(query)) {
      const id = partnerIdField.safeParse(query);
      if (!id.success) return this.startOver(step, issueText(t, id.error.issues[0]));
      const org = await findByPartnerIdIn(this.deps.db, v.who.tenantId, id.data);
      if (!org) return this.startOver(step, t('association:noPartnerId', { partnerId: id.data }));
      if (org === 'otherTenant') return this.startOver(step, t('association:otherTenantPartnerId', { partnerId: id.data }));
      v.org = org;
      return step.next();
    }
    const results = await searchByName(this.deps.db, v.who.tenantId, query);
    if (results.length === 0) return this.startOver(step, t('association:noName', { name: query.slice(0, 60) }));
    v.results = results;
    return step.prompt(PICK_ORG, {
      prompt: results.length === 1 ? t('association:isThisYours') : t('association:whichOne'),
      retryPrompt: t('association:pickRetry'),
      // The last button is "None of these": its index matches no result.
      choices: ChoiceFactory.toChoices([...results.map((o) => describe(t, o)), t('association:noneOfThese')]),
    });
  }

  private async pickOrganisation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    if (!v.org) {
      const choice = step.result as FoundChoice;
      const picked = v.results?.[choice.index];
      if (!picked) return this.startOver(step, tOf(step.context)('association:tryAgain'));
      v.org = picked;
    }
    return step.next();
  }

  // Step e of the seed: "Your Profile", prefilled from what Teams knows.
  private async askProfile(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    const t = tOf(step.context);
    const teams = await teamsIdentity(step.context);
    v.teamsAddresses = teams.addresses;
    const profile = await getProfile(this.deps.db, v.who);
    const data: AssociationFormData = {
      organisation: describe(t, v.org!),
      displayName: profile.displayName ?? teams.name ?? v.who.name ?? '',
      email: teams.addresses[0] ?? '',
      phone: profile.phone ?? '',
      // The invitation's language, else the one they chose, else the one we are speaking.
      language: v.language ?? profile.statedLanguage ?? languageOf(step.context),
      mcid: '',
      error: '',
    };
    const card = (error: string) => MessageFactory.attachment(associationFormCard({ ...data, error }, t));
    return step.prompt(PROFILE, {
      prompt: card(''),
      retryPrompt: card(t('association:formRetry')),
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
    const t = tOf(step.context);
    const sent = await this.sendCode(t, v.who, v.form.email);
    if (!sent.ok) {
      await step.context.sendActivity(v.teamsAddresses[0]
        ? t('association:codeNotSentKnown', { problem: sent.message, address: v.teamsAddresses[0] })
        : t('association:codeNotSent', { problem: sent.message }));
      return step.endDialog();
    }
    return step.prompt(CODE, {
      prompt: t('association:codeSent', { email: v.form.email }),
      validations: { who: v.who, email: v.form.email },
    });
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { org, form } = values(step);
    values(step).emailProven = true;
    const t = tOf(step.context);
    // Seed 000 step g: the user checks everything before it is sent.
    const lines = [
      t('association:check.title'),
      t('association:check.organisation', { value: describe(t, org!) }),
      t('association:check.name', { value: form!.displayName }),
      t('association:check.email', { value: form!.email }),
      t('association:check.phone', { value: form!.phone ?? t('association:check.none') }),
      t('association:check.language', { value: languageName(form!.language) }),
      t('association:check.mcid', { value: form!.mcid ?? t('association:check.none') }),
    ];
    await step.context.sendActivity(lines.join('\n'));
    return step.prompt(CONFIRM, { prompt: t('association:confirm'), retryPrompt: t('association:confirmRetry') });
  }

  private async submit(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== true) {
      await step.context.sendActivity(tOf(step.context)('association:notSent'));
      return step.endDialog();
    }
    const { who, org, form, emailProven, invitationCode } = values(step);
    let result: SubmitResult;
    try {
      result = await submitAssociation(this.deps.db, who, {
        partnerId: org!.partnerId, displayName: form!.displayName, email: form!.email, emailProven: emailProven === true,
        phone: form!.phone, language: form!.language as LanguageCode, mcid: form!.mcid, invitationCode,
      }, new Date(), (this.deps.limits ?? DEFAULT_ABUSE_LIMITS).associationRequests);
    } catch (err) {
      if (!(err instanceof AssociationRefused)) throw err;
      await step.context.sendActivity(refusalText(tOf(step.context), err));
      return step.endDialog();
    }
    // The form's language is the user's stated preference from now on (messages about the
    // request, including the decision, follow it); this answer ends the conversation in its language.
    await updateProfile(this.deps.db, who, { language: form!.language });
    preferenceStated(step.context, form!.language);
    const t = tOf(step.context);
    const organisation = { organisation: result.organisation.legalName, partnerId: result.organisation.partnerId };
    if (result.outcome === 'accepted') {
      await step.context.sendActivity(t('association:accepted', organisation));
    } else {
      await step.context.sendActivity(t('association:pending', organisation));
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
    const parsed = profileForm.safeParse(prompt.recognized.value, zodOptions(languageOf(prompt.context)));
    if (parsed.success) return true;
    const t = tOf(prompt.context);
    const { data } = prompt.options.validations as { data: AssociationFormData };
    const typed = prompt.recognized.value ?? {};
    const text = (key: string) => (typeof typed[key] === 'string' ? (typed[key] as string) : '');
    const issue = parsed.error.issues[0];
    prompt.options.retryPrompt = MessageFactory.attachment(associationFormCard({
      ...data, displayName: text('displayName'), email: text('email'), phone: text('phone'), language: text('language') || data.language, mcid: text('mcid'),
      error: t('association:fieldProblem', { field: fieldLabel(t, String(issue.path[0] ?? '')), problem: issueText(t, issue) }),
    }, t));
    return false;
  }

  private async validateCode(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { who, email } = prompt.options.validations as { who: Identity; email: string };
    const t = tOf(prompt.context);
    const typed = (prompt.recognized.value ?? '').trim();
    if (/^resend$/i.test(typed)) {
      const sent = await this.sendCode(t, who, email);
      prompt.options.retryPrompt = sent.ok ? t('association:codeResent', { email }) : t('association:codeResendFailed', { problem: sent.message });
      return false;
    }
    const result = await checkCode(this.deps.db, who, CODE_PURPOSE, email, typed);
    if (result.ok) return true;
    const sixDigits = /^\d{6}$/.test(typed.replace(/\s/g, ''));
    prompt.options.retryPrompt = result.reason === 'wrong'
      ? (sixDigits ? t('association:codeWrong', { count: result.attemptsLeft }) : t('association:codeWrongLength', { count: result.attemptsLeft }))
      : result.reason === 'expired' ? t('association:codeExpired') : t('association:codeLocked');
    return false;
  }

  private async sendCode(t: Translate, who: Identity, email: string): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      const code = await issueCode(this.deps.db, who, CODE_PURPOSE, email, new Date(), (this.deps.limits ?? DEFAULT_ABUSE_LIMITS).codeSends);
      await this.deps.codes.send(who.tenantId, email, code, { subject: t('association:codeMail.subject', { code }), body: t('association:codeMail.body', { code }) });
      return { ok: true };
    } catch (err) {
      if (err instanceof CodeLimitError || err instanceof CodeDeliveryError) return { ok: false, message: refusalText(t, err) };
      throw err;
    }
  }
}

function describe(t: Translate, org: OrganisationSummary): string {
  return t('association:organisation', { name: org.legalName, country: org.country, partnerId: org.partnerId });
}

function fieldLabel(t: Translate, key: string): string {
  switch (key) {
    case 'displayName': return t('association:fields.displayName');
    case 'email': return t('association:fields.email');
    case 'phone': return t('association:fields.phone');
    case 'language': return t('association:fields.language');
    case 'mcid': return t('association:fields.mcid');
    default: return t('association:fields.form');
  }
}
