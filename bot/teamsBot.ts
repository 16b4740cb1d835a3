// The activity handler: thin. It works out who is asking and where, routes a message to a
// command or the running dialog, an invoke or a submit to a card action, and remembers
// conversations for proactive messages. Rules live in services/.
import {
  TeamsActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue,
  type BotState, type StatePropertyAccessor,
} from 'botbuilder';
import type { DialogSet, DialogState } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { forgetConversation, rememberConversation, type StoredReference } from '../services/conversations/references';
import { invokeResponseFor, type CardActionRouter } from './cardActions';
import type { CommandRunner } from './commandRunner';
import { routeText } from './commandRouter';
import { identityOf, scopeOf } from './identity';

export interface TeamsBotDeps {
  db: Db;
  logger: Logger;
  /** Dialog state lives per user per conversation, so two people in a group chat don't collide. */
  dialogState: BotState;
  dialogs: DialogSet;
  commands: CommandRunner;
  cardActions: CardActionRouter;
}

/** How many conversations' last saved references this instance remembers (to skip rewriting them). */
const SAVED_REFERENCES_CACHE = 5_000;

const NOT_SIGNED_IN = 'I can only help people signed in to Microsoft Teams with a work account of an organisation.';

export class TeamsBot extends TeamsActivityHandler {
  /** Reference JSON last written per conversation: most turns carry the same one, so no write. */
  private readonly savedReferences = new Map<string, string>();

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.onMessage(async (turn, next) => { await this.handleMessage(turn); await next(); });
    this.onInstallationUpdateAdd(async (turn, next) => { await this.remember(turn, true); await next(); });
    this.onInstallationUpdateRemove(async (turn, next) => { await this.forget(turn); await next(); });
    this.onMembersAdded(async (turn, next) => { await this.welcome(turn); await next(); });
  }

  /** Every turn refreshes the conversation reference, then saves dialog state once at the end. */
  override async run(turn: TurnContext): Promise<void> {
    if (turn.activity.type !== 'installationUpdate') await this.remember(turn);
    await super.run(turn);
    await this.deps.dialogState.saveChanges(turn, false);
  }

  private async handleMessage(turn: TurnContext): Promise<void> {
    const who = identityOf(turn.activity);
    if (!who) { await turn.sendActivity(NOT_SIGNED_IN); return; }
    const scope = scopeOf(turn.activity);

    // Action.Submit arrives as a message whose value carries the verb (clients without Universal Actions).
    const value: unknown = turn.activity.value;
    if (value && typeof value === 'object' && !Array.isArray(value) && 'verb' in value) {
      const { verb, ...data } = value as Record<string, unknown>;
      const outcome = await this.deps.cardActions.run({ turn, who, scope }, verb, data);
      if (!outcome.ok) await turn.sendActivity(outcome.message);
      else if ('message' in outcome.result) await turn.sendActivity(outcome.result.message);
      else await this.replaceSubmittedCard(turn, outcome.result.card);
      return;
    }

    const text = TurnContext.removeRecipientMention(turn.activity) ?? turn.activity.text ?? '';
    const route = routeText(text, scope);
    const dc = await this.deps.dialogs.createContext(turn);
    if (dc.activeDialog) {
      if (route.kind === 'cancel') {
        await dc.cancelAllDialogs();
        await turn.sendActivity('Okay, I stopped that. Nothing was changed. Type **help** to see what I can do.');
      } else if (route.kind === 'command' && route.command.name === 'help' && !route.args) {
        await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope,
          'You are in the middle of a conversation with me: answer the question above, or type cancel to stop it. Here is what else I can do:');
        await dc.repromptDialog();
      } else {
        await dc.continueDialog();
      }
      return;
    }

    if (value && typeof value === 'object' && 'form' in value) {
      // A form from a conversation that already ended (or was cancelled): nothing waits for it.
      await turn.sendActivity('That form belongs to a conversation that has ended, so I did not use it. Type **help** to start again.');
      return;
    }
    switch (route.kind) {
      case 'command':
        await this.deps.commands.run(turn, dc, who, scope, route.command, route.args);
        return;
      case 'cancel':
        await turn.sendActivity("There's nothing to cancel. Type **help** to see what I can do.");
        return;
      case 'empty':
        await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope);
        return;
      case 'unknown': {
        const shown = route.text.length > 60 ? `${route.text.slice(0, 57)}...` : route.text;
        const hint = route.suggestion ? ` Did you mean **${route.suggestion.name}**?` : '';
        await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope,
          `I don't know "${shown}".${hint} Here is what I can do for you:`);
      }
    }
  }

  protected override async onAdaptiveCardInvoke(turn: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const who = identityOf(turn.activity);
    if (!who) return invokeResponseFor({ ok: true, result: { message: NOT_SIGNED_IN } });
    const outcome = await this.deps.cardActions.run({ turn, who, scope: scopeOf(turn.activity) }, invoke.action?.verb, invoke.action?.data);
    return invokeResponseFor(outcome);
  }

  private async replaceSubmittedCard(turn: TurnContext, card: Record<string, unknown>): Promise<void> {
    const attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }];
    if (turn.activity.replyToId) await turn.updateActivity({ id: turn.activity.replyToId, type: 'message', attachments });
    else await turn.sendActivity({ attachments });
  }

  private async welcome(turn: TurnContext): Promise<void> {
    const botId = turn.activity.recipient?.id;
    const botAdded = (turn.activity.membersAdded ?? []).some((m) => m.id === botId);
    const who = identityOf(turn.activity);
    if (!botAdded || !who) return;
    const scope = scopeOf(turn.activity);
    await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope,
      scope === 'personal'
        ? "Hello! I help you join your organisation's Microsoft Partner Network profile and link your certifications. Start with **associate**, or pick anything below:"
        : 'Hello everyone! Mention me with a command, for example **help**:');
  }

  private async remember(turn: TurnContext, always = false): Promise<void> {
    const entry = this.referenceEntry(turn);
    if (!entry) return;
    const key = referenceKey(entry);
    const json = JSON.stringify(entry.reference);
    if (!always && this.savedReferences.get(key) === json) return;
    try {
      await rememberConversation(this.deps.db, entry);
      this.savedReferences.delete(key);
      this.savedReferences.set(key, json);
      if (this.savedReferences.size > SAVED_REFERENCES_CACHE) this.savedReferences.delete(this.savedReferences.keys().next().value as string);
    } catch (err) {
      // A reference we fail to save only delays proactive messages; the user's turn goes on.
      this.deps.logger.warn({ err, conversation: turn.activity.conversation?.id }, 'could not save conversation reference');
    }
  }

  private async forget(turn: TurnContext): Promise<void> {
    const entry = this.referenceEntry(turn);
    if (!entry) return;
    this.savedReferences.delete(referenceKey(entry));
    await forgetConversation(this.deps.db, entry);
  }

  private referenceEntry(turn: TurnContext) {
    const who = identityOf(turn.activity);
    if (!who || !turn.activity.serviceUrl || !turn.activity.conversation?.id) return undefined;
    // Without the triggering activity's id: a proactive message is not a reply to it, and the
    // reference stays the same from turn to turn (so it is not rewritten).
    const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(turn.activity) as unknown as StoredReference & { activityId?: string };
    return { tenantId: who.tenantId, scope: scopeOf(turn.activity), aadObjectId: who.aadObjectId, reference };
  }
}

function referenceKey(entry: { tenantId: string; scope: string; aadObjectId?: string; reference: StoredReference }): string {
  return `${entry.tenantId}:${entry.scope}:${entry.aadObjectId}:${entry.reference.conversation.id}`;
}

export type DialogStateAccessor = StatePropertyAccessor<DialogState>;
