// "link certification [MCID]" / "link partner university [address]" (seed 004): only the person
// themself, in their personal chat (privacy). Steps: which kind → which id → the rules
// (membership, not someone else's, the yearly limit) → a one-time code sent to the address on
// the certification profile (or the Partner University sign-in) → typed back → linked, with the
// date the next new association is allowed. Moving an MCID from another organisation tells that
// organisation's admins (the follow-ups).
import type { TurnContext } from 'botbuilder';
import {
  ChoiceFactory, ChoicePrompt, ComponentDialog, TextPrompt, WaterfallDialog,
  type DialogContext, type DialogTurnResult, type FoundChoice, type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import type { Translate } from '../i18n';
import type { Identity } from '../services/access/identity';
import { LinkRefusedError, type LinkOutcome, type UnlinkOutcome } from '../services/certifications/accountLinks';
import type { LinkPolicy } from '../services/certifications/linkRules';
import { findByPartnerId } from '../services/organisations/search';
import { getProfile } from '../services/people/profiles';
import { CodeDeliveryError, type CodeDelivery } from '../services/verification/codeDelivery';
import { checkCode, CodeLimitError, issueCode } from '../services/verification/oneTimeCodes';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../services/limits/rateLimit';
import { tOf } from '../bot/turnLanguage';
import { withButtons } from './buttons';
import {
  formatDay, invalidId, KINDS, kindName, maskAddress, nextMcidLinkAt, parseId, parseLinkArgs, refusalText, type LinkKind,
} from './linkKinds';

export const LINK_DIALOG = 'link';

const PICK_KIND = 'link.pickKind';
const ASK_ID = 'link.askId';
const CODE = 'link.code';
const STEPS = 'link.steps';

export interface LinkEvent<O> { kind: LinkKind; who: Identity; personName: string; outcome: O }

/** What happens after a change, beyond the user's own chat: admins told, competencies re-checked. */
export interface LinkFollowUps {
  afterLink(event: LinkEvent<LinkOutcome>): Promise<void>;
  afterUnlink(event: LinkEvent<UnlinkOutcome>): Promise<void>;
}

export interface LinkDialogDeps {
  db: Db;
  codes: CodeDelivery;
  /** The MCID yearly limit (config MCID_MAX_NEW_LINKS_PER_YEAR). */
  policy: LinkPolicy;
  followUps?: LinkFollowUps;
  /** Per-user limits (code e-mails); the defaults otherwise. */
  limits?: AbuseLimits;
}

export interface LinkDialogOptions { who: Identity; args?: string }

/** Kept with the dialog state (it survives a restart); the proof address never leaves the server. */
interface Values {
  who: Identity;
  kind?: LinkKind;
  id?: string;
  proofAddress?: string;
  organisation?: string;
}
const values = (step: WaterfallStepContext) => step.values as Values;

/** Outside a personal chat the id is never echoed: colleagues would see whose MCID it is. */
export async function refuseOutsidePersonalChat(turn: TurnContext): Promise<boolean> {
  const type = turn.activity.conversation?.conversationType;
  if (!type || type === 'personal') return false;
  await turn.sendActivity(tOf(turn)('certifications:personalOnly'));
  return true;
}

export class LinkAccountDialog extends ComponentDialog {
  constructor(readonly deps: LinkDialogDeps) {
    super(LINK_DIALOG);
    this.addDialog(withButtons(new ChoicePrompt(PICK_KIND)));
    this.addDialog(new TextPrompt(ASK_ID, (p) => this.validateId(p)));
    this.addDialog(new TextPrompt(CODE, (p) => this.validateCode(p)));
    this.addDialog(new WaterfallDialog(STEPS, [
      (s) => this.pickKind(s),
      (s) => this.askId(s),
      (s) => this.checkAndSendCode(s),
      (s) => this.link(s),
    ]));
    this.initialDialogId = STEPS;
  }

  private async pickKind(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who, args } = step.options as LinkDialogOptions;
    const v = values(step);
    v.who = who;
    if (await refuseOutsidePersonalChat(step.context)) return step.endDialog();
    const parsed = parseLinkArgs(args ?? '');
    const t = tOf(step.context);
    if (parsed.kind) {
      v.kind = parsed.kind;
      if (parsed.id) {
        v.id = parseId(parsed.kind, parsed.id);
        if (!v.id) await step.context.sendActivity(invalidId(t, parsed.kind));
      }
      return step.next();
    }
    return step.prompt(PICK_KIND, {
      prompt: t('certifications:link.whichKind'),
      retryPrompt: t('certifications:pickButton'),
      choices: ChoiceFactory.toChoices([kindName(t, 'mcid'), kindName(t, 'partnerUniversity')]),
    });
  }

  private async askId(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    if (!v.kind) v.kind = (step.result as FoundChoice).index === 0 ? 'mcid' : 'partnerUniversity';
    if (v.id) return step.next(v.id);
    const t = tOf(step.context);
    return step.prompt(ASK_ID, {
      prompt: v.kind === 'mcid' ? t('certifications:mcid.askId') : t('certifications:partnerUniversity.askId'),
      retryPrompt: invalidId(t, v.kind),
      validations: { kind: v.kind },
    });
  }

  // The rules first, then the proof: a code is sent only for a link that may happen.
  private async checkAndSendCode(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    const kind = v.kind!;
    v.id = parseId(kind, String(step.result))!;
    const t = tOf(step.context);
    const start = await KINDS[kind].start(this.deps.db, v.who, v.id, { policy: this.deps.policy });
    if (!start.ok) {
      await step.context.sendActivity(refusalText(t, kind, start.refusal, v.id, await this.organisationName(v.who, kind, v.id, start.refusal.reason)));
      return step.endDialog();
    }
    v.id = start.accountId;
    v.proofAddress = start.proofAddress;
    v.organisation = await organisationNameOf(this.deps.db, start.orgId);
    const sent = await this.sendCode(t, v.who, kind, start.accountId, start.proofAddress);
    if (!sent.ok) {
      await step.context.sendActivity(sent.message);
      return step.endDialog();
    }
    const masked = maskAddress(start.proofAddress);
    return step.prompt(CODE, {
      prompt: kind === 'mcid'
        ? t('certifications:mcid.codeSent', { address: masked })
        : t('certifications:partnerUniversity.codeSent', { address: masked }),
      validations: { who: v.who, kind, id: start.accountId, address: start.proofAddress },
    });
  }

  private async link(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who, kind, id, organisation } = values(step);
    const t = tOf(step.context);
    let outcome: LinkOutcome;
    try {
      // Every rule is checked again at the moment of the change (minutes may have passed).
      outcome = await KINDS[kind!].link(this.deps.db, who, id!, { policy: this.deps.policy });
    } catch (err) {
      if (!(err instanceof LinkRefusedError)) throw err;
      await step.context.sendActivity(refusalText(t, kind!, err.refusal, id!, organisation));
      return step.endDialog();
    }
    const lines = [kind === 'mcid'
      ? t('certifications:mcid.linked', { id: outcome.accountId, organisation })
      : t('certifications:partnerUniversity.linked', { id: outcome.accountId, organisation })];
    if (kind === 'mcid') {
      lines.push(outcome.nextLinkAllowedAt
        ? t('certifications:mcid.nextAllowedFrom', { date: formatDay(t, outcome.nextLinkAllowedAt) })
        : t('certifications:mcid.nextAllowedNow'));
    }
    if (outcome.movedFrom) lines.push(t('certifications:movedFromOther'));
    await step.context.sendActivity(lines.join('\n\n'));
    await this.deps.followUps?.afterLink({ kind: kind!, who, personName: await personName(this.deps.db, who), outcome });
    return step.endDialog(outcome);
  }

  /** "already linked to X" names the organisation it is linked to (the person's own). */
  private async organisationName(who: Identity, kind: LinkKind, id: string, reason: string): Promise<string | undefined> {
    if (reason !== 'alreadyLinked') return undefined;
    const orgId = (await KINDS[kind].linkedTo(this.deps.db, who)).find((a) => a.accountId === id)?.orgId;
    return orgId ? organisationNameOf(this.deps.db, orgId) : undefined;
  }

  private async validateId(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { kind } = prompt.options.validations as { kind: LinkKind };
    return parseId(kind, prompt.recognized.value ?? '') !== undefined;
  }

  private async validateCode(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { who, kind, id, address } = prompt.options.validations as { who: Identity; kind: LinkKind; id: string; address: string };
    const t = tOf(prompt.context);
    const typed = (prompt.recognized.value ?? '').trim();
    if (/^(resend|renvoyer)$/i.test(typed)) {
      const sent = await this.sendCode(t, who, kind, id, address);
      prompt.options.retryPrompt = sent.ok ? t('certifications:code.resent', { address: maskAddress(address) }) : sent.message;
      return false;
    }
    const result = await checkCode(this.deps.db, who, KINDS[kind].codePurpose, address, typed);
    if (result.ok) return true;
    switch (result.reason) {
      case 'wrong':
        prompt.options.retryPrompt = /^\d{6}$/.test(typed.replace(/\s/g, ''))
          ? t('certifications:code.wrong', { count: result.attemptsLeft })
          : t('certifications:code.wrongFormat', { count: result.attemptsLeft });
        break;
      case 'expired':
        prompt.options.retryPrompt = t('certifications:code.expired');
        break;
      default:
        prompt.options.retryPrompt = t('certifications:code.locked');
    }
    return false;
  }

  private async sendCode(t: Translate, who: Identity, kind: LinkKind, id: string, address: string): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      const code = await issueCode(this.deps.db, who, KINDS[kind].codePurpose, address, new Date(), (this.deps.limits ?? DEFAULT_ABUSE_LIMITS).codeSends);
      // The owner reads what the code is for, in the language of the person asking.
      await this.deps.codes.send(who.tenantId, address, code, {
        subject: t('certifications:codeMail.subject', { code }),
        body: kind === 'mcid' ? t('certifications:codeMail.mcidBody', { code, id }) : t('certifications:codeMail.partnerUniversityBody', { code }),
      });
      return { ok: true };
    } catch (err) {
      if (err instanceof CodeLimitError) return { ok: false, message: t('certifications:code.tooManySends', { max: err.values.max }) };
      if (err instanceof CodeDeliveryError) return { ok: false, message: t('certifications:code.notSent') };
      throw err;
    }
  }

  /** The profile's line: when this person's linked MCID may start its next new association. */
  async nextLinkLine(turn: TurnContext, who: Identity): Promise<string> {
    const t = tOf(turn);
    const [linked] = await KINDS.mcid.linkedTo(this.deps.db, who);
    if (!linked) return t('certifications:profile.noMcid');
    const next = await nextMcidLinkAt(this.deps.db, linked.accountId, this.deps.policy);
    return next
      ? t('certifications:profile.nextFrom', { id: linked.accountId, date: formatDay(t, next) })
      : t('certifications:profile.nextNow', { id: linked.accountId });
  }
}

/**
 * For the profile dialog: sends the "next MCID association allowed from …" line, when the link
 * dialog (which holds the configured limit) is registered beside it.
 */
export async function sendNextMcidLinkLine(dc: DialogContext, who: Identity): Promise<void> {
  const dialog = dc.findDialog(LINK_DIALOG);
  if (dialog instanceof LinkAccountDialog) await dc.context.sendActivity(await dialog.nextLinkLine(dc.context, who));
}

/** The organisation's legal name (its Partner ID if it cannot be read). */
export async function organisationNameOf(db: Db, orgId: string): Promise<string> {
  try {
    return (await findByPartnerId(db, orgId))?.legalName ?? orgId;
  } catch {
    return orgId;
  }
}

/** The name admins know the person by: their profile's, else Teams'. */
export async function personName(db: Db, who: Identity): Promise<string> {
  return (await getProfile(db, who)).displayName ?? who.name ?? '';
}
