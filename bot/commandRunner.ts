// Runs a command for a user: checks they may use it (services' roles table), then shows the help
// card, starts the command's guided conversation, or says what is not available yet.
import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import { may, type Capability, type Role } from '../services/access/capabilities';
import type { Identity } from '../services/access/identity';
import { rolesOf } from '../services/access/roles';
import { helpCard } from '../cards/helpCard';
import { DIALOG_FOR_COMMAND } from '../dialogs';
import type { Translate } from '../i18n';
import { COMMANDS, type CommandScope, type CommandSpec } from './commands';
import { languageOf, tOf } from './turnLanguage';

const WHO_MAY: Record<Capability, (t: Translate) => string> = {
  anyone: (t) => t('help:whoMay.anyone'),
  associationManagement: (t) => t('help:whoMay.associationManagement'),
  userManagement: (t) => t('help:whoMay.userManagement'),
  competencyReports: (t) => t('help:whoMay.competencyReports'),
  auditLog: (t) => t('help:whoMay.auditLog'),
};

/**
 * A command's description in the turn's language. English is COMMANDS' own (the manifest's, one
 * source); other languages come from help:commands, a command without a translation in English.
 */
export function describeCommand(turn: TurnContext, command: CommandSpec): string {
  if (languageOf(turn) === 'en') return command.description;
  return tOf(turn)(`help:commands.${command.name}`, { defaultValue: command.description });
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const NO_ROLES: ReadonlySet<Role> = new Set();

/** A command answered in one turn (no guided conversation). */
export type CommandHandler = (turn: TurnContext, who: Identity, args: string) => Promise<void>;

export class CommandRunner {
  constructor(private readonly db: Db, private readonly handlers: Readonly<Record<string, CommandHandler>> = {}) {}

  /**
   * `dialogContext` is only called for a command that starts a guided conversation: most commands
   * answer in the turn and need no dialog machinery.
   */
  async run(turn: TurnContext, dialogContext: () => Promise<DialogContext>, who: Identity, scope: CommandScope, command: CommandSpec, args = ''): Promise<void> {
    // A command open to anyone needs no roles (roles only add rights): two store reads less a turn.
    const roles = command.name !== 'help' && may(NO_ROLES, command.capability) ? NO_ROLES : await rolesOf(this.db, who);
    if (!may(roles, command.capability)) {
      const t = tOf(turn);
      await turn.sendActivity(t('help:onlyCanUse', { who: WHO_MAY[command.capability](t), command: command.name }));
      return;
    }
    if (command.name === 'help') {
      await this.sendHelp(turn, roles, scope);
      return;
    }
    const dialogId = DIALOG_FOR_COMMAND[command.name];
    if (dialogId) {
      const dc = await dialogContext();
      await dc.cancelAllDialogs();
      await dc.beginDialog(dialogId, { who, args });
      return;
    }
    const handler = this.handlers[command.name];
    if (handler) {
      await handler(turn, who, args);
      return;
    }
    // Commands whose features are still being built answer honestly instead of pretending.
    const t = tOf(turn);
    await turn.sendActivity(t('help:notAvailable', { command: command.name, description: lowerFirst(describeCommand(turn, command)) }));
  }

  async sendHelp(turn: TurnContext, roles: ReadonlySet<Role>, scope: CommandScope, intro?: string): Promise<void> {
    const usable = COMMANDS.filter((c) => c.scopes.includes(scope) && may(roles, c.capability));
    const t = tOf(turn);
    await turn.sendActivity({
      attachments: [helpCard({
        title: t('help:title'),
        intro: intro ?? t('help:intro'),
        commands: usable.map((c) => ({ name: c.name, description: describeCommand(turn, c) })),
        footer: t('help:footer'),
      })],
    });
  }

  async rolesOf(who: Identity): Promise<Set<Role>> {
    return rolesOf(this.db, who);
  }
}
