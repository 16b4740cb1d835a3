// "unlink certification [MCID]" / "unlink partner university [address]" (seed 004 "Remove
// access"): only by the person it is linked to, in their personal chat, after a confirmation.
// Steps: which kind → which of the person's linked accounts → "are you sure?" → unlinked, and
// the organisation's competencies are checked again (the follow-ups).
import {
  ChoiceFactory, ChoicePrompt, ComponentDialog, WaterfallDialog,
  type DialogTurnResult, type FoundChoice, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Identity } from '../services/access/identity';
import { LinkRefusedError, type UnlinkOutcome } from '../services/certifications/accountLinks';
import { tOf } from '../bot/turnLanguage';
import { invalidId, KINDS, kindName, parseId, parseLinkArgs, refusalText, type LinkKind } from './linkKinds';
import { withButtons } from './buttons';
import { TurnLanguageConfirmPrompt } from './languagePrompts';
import { organisationNameOf, personName, refuseOutsidePersonalChat, type LinkDialogDeps } from './linkAccountDialog';

export const UNLINK_DIALOG = 'unlink';

const PICK_KIND = 'unlink.pickKind';
const PICK_ACCOUNT = 'unlink.pickAccount';
const CONFIRM = 'unlink.confirm';
const STEPS = 'unlink.steps';

export interface UnlinkDialogOptions { who: Identity; args?: string }

interface Values { who: Identity; kind?: LinkKind; id?: string; choices?: string[] }
const values = (step: WaterfallStepContext) => step.values as Values;

export class UnlinkAccountDialog extends ComponentDialog {
  constructor(private readonly deps: Pick<LinkDialogDeps, 'db' | 'followUps'>) {
    super(UNLINK_DIALOG);
    this.addDialog(withButtons(new ChoicePrompt(PICK_KIND)));
    this.addDialog(withButtons(new ChoicePrompt(PICK_ACCOUNT)));
    this.addDialog(new TurnLanguageConfirmPrompt(CONFIRM));
    this.addDialog(new WaterfallDialog(STEPS, [
      (s) => this.pickKind(s),
      (s) => this.pickAccount(s),
      (s) => this.confirm(s),
      (s) => this.unlink(s),
    ]));
    this.initialDialogId = STEPS;
  }

  private async pickKind(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who, args } = step.options as UnlinkDialogOptions;
    const v = values(step);
    v.who = who;
    if (await refuseOutsidePersonalChat(step.context)) return step.endDialog();
    const parsed = parseLinkArgs(args ?? '');
    const t = tOf(step.context);
    if (parsed.kind) {
      v.kind = parsed.kind;
      if (parsed.id) {
        v.id = parseId(parsed.kind, parsed.id);
        if (!v.id) {
          await step.context.sendActivity(invalidId(t, parsed.kind));
          return step.endDialog();
        }
      }
      return step.next();
    }
    return step.prompt(PICK_KIND, {
      prompt: t('certifications:unlink.whichKind'),
      retryPrompt: t('certifications:pickButton'),
      choices: ChoiceFactory.toChoices([kindName(t, 'mcid'), kindName(t, 'partnerUniversity')]),
    });
  }

  // An id typed after the command is used as it is (the service says if it is not theirs);
  // otherwise the person's own linked accounts are offered.
  private async pickAccount(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    if (!v.kind) v.kind = (step.result as FoundChoice).index === 0 ? 'mcid' : 'partnerUniversity';
    if (v.id) return step.next();
    const t = tOf(step.context);
    const linked = await KINDS[v.kind].linkedTo(this.deps.db, v.who);
    if (linked.length === 0) {
      await step.context.sendActivity(v.kind === 'mcid' ? t('certifications:mcid.noneLinked') : t('certifications:partnerUniversity.noneLinked'));
      return step.endDialog();
    }
    if (linked.length === 1) {
      v.id = linked[0].accountId;
      return step.next();
    }
    v.choices = linked.map((a) => a.accountId);
    return step.prompt(PICK_ACCOUNT, {
      prompt: t('certifications:unlink.whichAccount'),
      retryPrompt: t('certifications:pickButton'),
      choices: ChoiceFactory.toChoices(v.choices),
    });
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = values(step);
    if (!v.id) v.id = v.choices![(step.result as FoundChoice).index];
    const t = tOf(step.context);
    const linked = (await KINDS[v.kind!].linkedTo(this.deps.db, v.who)).find((a) => a.accountId === v.id);
    const organisation = linked ? await organisationNameOf(this.deps.db, linked.orgId) : undefined;
    const question = v.kind === 'mcid'
      ? (organisation ? t('certifications:mcid.confirmUnlink', { id: v.id, organisation }) : t('certifications:mcid.confirmUnlinkPlain', { id: v.id }))
      : (organisation ? t('certifications:partnerUniversity.confirmUnlink', { id: v.id, organisation }) : t('certifications:partnerUniversity.confirmUnlinkPlain', { id: v.id }));
    return step.prompt(CONFIRM, { prompt: question, retryPrompt: t('certifications:yesOrNo') });
  }

  private async unlink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who, kind, id } = values(step);
    const t = tOf(step.context);
    if (step.result !== true) {
      await step.context.sendActivity(t('certifications:unlink.nothingChanged'));
      return step.endDialog();
    }
    let outcome: UnlinkOutcome;
    try {
      outcome = await KINDS[kind!].unlink(this.deps.db, who, id!);
    } catch (err) {
      if (!(err instanceof LinkRefusedError)) throw err;
      await step.context.sendActivity(refusalText(t, kind!, err.refusal, id!));
      return step.endDialog();
    }
    const organisation = await organisationNameOf(this.deps.db, outcome.orgId);
    await step.context.sendActivity(kind === 'mcid'
      ? t('certifications:mcid.unlinked', { id: outcome.accountId, organisation })
      : t('certifications:partnerUniversity.unlinked', { id: outcome.accountId, organisation }));
    await this.deps.followUps?.afterUnlink({ kind: kind!, who, personName: await personName(this.deps.db, who), outcome });
    return step.endDialog(outcome);
  }
}
