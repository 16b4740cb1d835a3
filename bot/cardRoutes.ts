// The card actions of the bot itself (feature verbs live with their features).
import type { DialogSet } from 'botbuilder-dialogs';
import { z } from 'zod';
import { cardAction, type CardActionRoute } from './cardActions';
import type { CommandRunner } from './commandRunner';
import { COMMANDS } from './commands';

const commandNames = COMMANDS.map((c) => c.name) as [string, ...string[]];

export function botCardRoutes(dialogs: DialogSet, commands: CommandRunner): CardActionRoute[] {
  return [
    // A tapped command on the help card runs as if it had been typed.
    cardAction({
      verb: 'command.run',
      data: z.object({ command: z.enum(commandNames, 'a command name from the help card') }),
      async handle(ctx, data) {
        const spec = COMMANDS.find((c) => c.name === data.command && c.scopes.includes(ctx.scope));
        if (!spec) return { message: `**${data.command}** isn't available in this kind of chat. Message me directly to use it.` };
        const dc = await dialogs.createContext(ctx.turn);
        await commands.run(ctx.turn, dc, ctx.who, ctx.scope, spec);
        return { message: `Running ${spec.name}.` };
      },
    }),
  ];
}
