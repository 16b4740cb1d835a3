// "join CODE" (seed 002): an invitee follows the PPC's link. The code must be open, unexpired and
// unused; then the association dialog runs for that organisation, and the invitee's proven
// address must be the invited one. The invitation's language becomes the invitee's stated
// preference unless they already chose one, so the conversation continues in it.
import { TextPrompt, ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { languageChosen, tOf } from '../bot/turnLanguage';
import type { Identity } from '../services/access/identity';
import { organisationForCode } from '../services/invitations/invitations';
import { getProfile, updateProfile } from '../services/people/profiles';
import { AssociateDialog, ASSOCIATE_DIALOG, type AssociateDeps, type AssociateOptions } from './associateDialog';

export const JOIN_DIALOG = 'join';
const ASK_CODE = 'join.askCode';
const STEPS = 'join.steps';

export class JoinDialog extends ComponentDialog {
  constructor(private readonly deps: AssociateDeps) {
    super(JOIN_DIALOG);
    this.addDialog(new TextPrompt(ASK_CODE));
    this.addDialog(new AssociateDialog(deps));
    this.addDialog(new WaterfallDialog(STEPS, [(s) => this.askCode(s), (s) => this.start(s)]));
    this.initialDialogId = STEPS;
  }

  private async askCode(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { args } = step.options as { args?: string };
    if (args?.trim()) return step.next(args.trim());
    return step.prompt(ASK_CODE, { prompt: tOf(step.context)('association:join.askCode') });
  }

  private async start(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { who } = step.options as { who: Identity };
    const code = String(step.result ?? '').trim().split(/\s+/)[0] ?? '';
    const found = await organisationForCode(this.deps.db, who, code);
    if (!found) {
      await step.context.sendActivity(tOf(step.context)('association:join.invalidCode'));
      return step.endDialog();
    }
    if (!(await getProfile(this.deps.db, who)).statedLanguage) {
      await updateProfile(this.deps.db, who, { language: found.language });
      languageChosen(step.context, found.language);
    }
    const options: AssociateOptions = { who, args: found.orgId, invitationCode: code.toUpperCase(), language: found.language };
    return step.beginDialog(ASSOCIATE_DIALOG, options);
  }
}
