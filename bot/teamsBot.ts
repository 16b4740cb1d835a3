// The activity handler: thin. It works out who is asking and where, routes a message to a
// command or the running dialog, an invoke or a submit to a card action, and remembers
// conversations for proactive messages. Rules live in services/.
import {
  TeamsActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue,
  type BotState, type InvokeResponse, type StatePropertyAccessor,
} from 'botbuilder';
import type { DialogSet, DialogState } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { forgetConversation, rememberConversation, type StoredReference } from '../services/conversations/references';
import { invokeResponseFor, type CardActionRouter } from './cardActions';
import type { CommandRunner } from './commandRunner';
import { routeText } from './commandRouter';
import { identityOf, scopeOf } from './identity';
import type { Identity } from '../services/access/identity';
import type { CommandScope } from './commands';
import { PreferredLanguages } from './preferredLanguages';
import { chosenLanguageIn, setTurnLanguage, tOf } from './turnLanguage';

export interface TeamsBotDeps {
  db: Db;
  logger: Logger;
  /** Dialog state lives per user per conversation, so two people in a group chat don't collide. */
  dialogState: BotState;
  /** The dialog stack in that state (the accessor `dialogs` was made with). */
  dialogStack: StatePropertyAccessor<DialogState>;
  dialogs: DialogSet;
  commands: CommandRunner;
  cardActions: CardActionRouter;
  /** Files sent to the bot (transcript CSVs); returns false when a message carries none. */
  files?: { handle(turn: TurnContext, who: Identity, scope: CommandScope): Promise<boolean> };
}

/** How many conversations' last saved references this instance remembers (to skip rewriting them). */
const SAVED_REFERENCES_CACHE = 5_000;

export class TeamsBot extends TeamsActivityHandler {
  /** Reference JSON last written per conversation: most turns carry the same one, so no write. */
  private readonly savedReferences = new Map<string, string>();
  /** Stated language preferences, so the turn's language rarely costs a store read. */
  private readonly languages: PreferredLanguages;

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.languages = new PreferredLanguages(deps.db);
    this.onMessage(async (turn, next) => { await this.handleMessage(turn); await next(); });
    this.onInstallationUpdateAdd(async (turn, next) => { await this.remember(turn, true); await next(); });
    this.onInstallationUpdateRemove(async (turn, next) => { await this.forget(turn); await next(); });
    this.onMembersAdded(async (turn, next) => { await this.welcome(turn); await next(); });
  }

  /**
   * Every turn fixes its language (the stated preference, else the Teams locale), refreshes the
   * conversation reference, then saves dialog state once at the end.
   */
  override async run(turn: TurnContext): Promise<void> {
    const who = identityOf(turn.activity);
    setTurnLanguage(turn, who ? await this.languages.of(who) : undefined);
    if (turn.activity.type !== 'installationUpdate') await this.remember(turn);
    await super.run(turn);
    const chosen = chosenLanguageIn(turn);
    if (who && chosen) this.languages.remember(who, chosen);
    await this.deps.dialogState.saveChanges(turn, false);
  }

  private async handleMessage(turn: TurnContext): Promise<void> {
    const who = identityOf(turn.activity);
    const t = tOf(turn);
    if (!who) { await turn.sendActivity(t('help:notSignedIn')); return; }
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
    // A file is never an answer to a question: it is handled on its own, dialog or not.
    if (await this.deps.files?.handle(turn, who, scope)) return;

    const text = TurnContext.removeRecipientMention(turn.activity) ?? turn.activity.text ?? '';
    const route = routeText(text, scope);
    // The stack first: a DialogContext (with its memory scopes) is only built when it is needed.
    const { dialogStack } = await this.deps.dialogStack.get(turn, { dialogStack: [] });
    if (dialogStack.length > 0) {
      const dc = await this.deps.dialogs.createContext(turn);
      if (route.kind === 'cancel') {
        await dc.cancelAllDialogs();
        await turn.sendActivity(t('help:stopped'));
      } else if (route.kind === 'command' && route.command.name === 'help' && !route.args) {
        await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope, t('help:inConversation'));
        await dc.repromptDialog();
      } else {
        await dc.continueDialog();
      }
      return;
    }

    if (value && typeof value === 'object' && 'form' in value) {
      // A form from a conversation that already ended (or was cancelled): nothing waits for it.
      await turn.sendActivity(t('help:staleForm'));
      return;
    }
    switch (route.kind) {
      case 'command':
        await this.deps.commands.run(turn, () => this.deps.dialogs.createContext(turn), who, scope, route.command, route.args);
        return;
      case 'cancel':
        await turn.sendActivity(t('help:nothingToCancel'));
        return;
      case 'empty':
        await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope);
        return;
      case 'unknown': {
        const shown = route.text.length > 60 ? `${route.text.slice(0, 57)}...` : route.text;
        const intro = route.suggestion
          ? t('help:unknownWithSuggestion', { text: shown, suggestion: route.suggestion.name })
          : t('help:unknown', { text: shown });
        await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope, intro);
      }
    }
  }

  protected override async onAdaptiveCardInvoke(turn: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const who = identityOf(turn.activity);
    if (!who) return invokeResponseFor({ ok: true, result: { message: tOf(turn)('help:notSignedIn') } });
    const outcome = await this.deps.cardActions.run({ turn, who, scope: scopeOf(turn.activity) }, invoke.action?.verb, invoke.action?.data);
    return invokeResponseFor(outcome);
  }

  /**
   * botbuilder answers an invoke it has no handler for (a message extension, a task module…) with
   * 501, and fails on an invoke without an object value (file consent reads value.action, a card
   * action value.action.type).
   * Both are bad requests here: 400 with a reason, never a 5xx or a failed turn.
   */
  protected override async onInvokeActivity(turn: TurnContext): Promise<InvokeResponse> {
    const badRequest = (): InvokeResponse => ({ status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: tOf(turn)('errors:card.unknownVerb') } } });
    const value: unknown = turn.activity.value;
    // Every invoke this bot (and botbuilder's Teams handlers: file consent, task modules…) reads carries an object.
    if (!isObject(value) || (turn.activity.name === 'adaptiveCard/action' && !isObject(value.action))) return badRequest();
    const response = await super.onInvokeActivity(turn);
    return response.status === 501 ? badRequest() : response;
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
    const t = tOf(turn);
    await this.deps.commands.sendHelp(turn, await this.deps.commands.rolesOf(who), scope,
      scope === 'personal' ? t('help:welcomePersonal') : t('help:welcomeTeam'));
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function referenceKey(entry: { tenantId: string; scope: string; aadObjectId?: string; reference: StoredReference }): string {
  return `${entry.tenantId}:${entry.scope}:${entry.aadObjectId}:${entry.reference.conversation.id}`;
}

export type DialogStateAccessor = StatePropertyAccessor<DialogState>;
