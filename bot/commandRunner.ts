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
import { COMMANDS, type CommandScope, type CommandSpec } from './commands';

const WHO_MAY: Record<Capability, string> = {
  anyone: 'anyone',
  associationManagement: 'the Primary Program Contact (PPC) or a global admin',
  userManagement: 'a global admin, an account admin or a user management admin',
  competencyReports: 'a global admin or an MPN partner admin',
  auditLog: 'a global admin',
};

/** A command answered in one turn (no guided conversation). */
export type CommandHandler = (turn: TurnContext, who: Identity, args: string) => Promise<void>;

export class CommandRunner {
  constructor(private readonly db: Db, private readonly handlers: Readonly<Record<string, CommandHandler>> = {}) {}

  async run(turn: TurnContext, dc: DialogContext, who: Identity, scope: CommandScope, command: CommandSpec, args = ''): Promise<void> {
    const roles = await rolesOf(this.db, who);
    if (!may(roles, command.capability)) {
      await turn.sendActivity(`Only ${WHO_MAY[command.capability]} can use **${command.name}**. Type **admins** to find yours.`);
      return;
    }
    if (command.name === 'help') {
      await this.sendHelp(turn, roles, scope);
      return;
    }
    const dialogId = DIALOG_FOR_COMMAND[command.name];
    if (dialogId) {
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
    await turn.sendActivity(`**${command.name}** (${command.description.toLowerCase()}) is not available in this version yet.`);
  }

  async sendHelp(turn: TurnContext, roles: ReadonlySet<Role>, scope: CommandScope, intro?: string): Promise<void> {
    const usable = COMMANDS.filter((c) => c.scopes.includes(scope) && may(roles, c.capability));
    await turn.sendActivity({
      attachments: [helpCard({
        title: 'MPN Association Bot',
        intro: intro ?? "I take your organisation's Microsoft Partner Network association work into Teams. Here is what you can ask me:",
        commands: usable.map((c) => ({ name: c.name, description: c.description })),
        footer: 'Type a command, or tap one. Type cancel to stop a conversation at any step.',
      })],
    });
  }

  async rolesOf(who: Identity): Promise<Set<Role>> {
    return rolesOf(this.db, who);
  }
}
