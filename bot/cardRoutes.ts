// The card actions of the bot itself (feature verbs live with their features).
import type { DialogSet } from 'botbuilder-dialogs';
import { z } from 'zod';
import { cardAction, type CardActionRoute } from './cardActions';
import type { CommandRunner } from './commandRunner';
import { COMMANDS } from './commands';
import { tOf } from './turnLanguage';

const commandNames = COMMANDS.map((c) => c.name) as [string, ...string[]];

export function botCardRoutes(dialogs: DialogSet, commands: CommandRunner): CardActionRoute[] {
  return [
    // A tapped command on the help card runs as if it had been typed.
    cardAction({
      verb: 'command.run',
      data: z.object({ command: z.enum(commandNames, 'errors:card.command') }),
      async handle(ctx, data) {
        const spec = COMMANDS.find((c) => c.name === data.command && c.scopes.includes(ctx.scope));
        if (!spec) return { message: tOf(ctx.turn)('help:notInThisChat', { command: data.command }) };
        await commands.run(ctx.turn, () => dialogs.createContext(ctx.turn), ctx.who, ctx.scope, spec);
        return { message: tOf(ctx.turn)('help:running', { command: spec.name }) };
      },
    }),
  ];
}
