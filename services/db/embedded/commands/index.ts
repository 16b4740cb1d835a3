// The command table and the one place a command's reply (or error) is encoded.
import { CommandContext, Handler, Reply } from './context';
import { adminCommands } from './admin';
import { catalogCommands } from './catalog';
import { readCommands } from './reads';
import { writeCommands } from './writes';
import { aggregateCommands } from './aggregate';
import { ErrorCodes, StoreError, fromEngineError } from '../errors';
import { serialize } from '../values';

const handlers = new Map<string, Handler>(Object.entries({
  ...adminCommands,
  ...catalogCommands,
  ...readCommands,
  ...writeCommands,
  ...aggregateCommands,
}));

/** Runs one command and returns its BSON reply; failures become { ok: 0, code, errmsg }. */
export function runCommand(ctx: Omit<CommandContext, 'db'>): Uint8Array {
  let reply: Reply;
  try {
    reply = dispatch(ctx);
  } catch (e) {
    reply = fromEngineError(e).toReply();
  }
  return reply instanceof Uint8Array ? reply : serialize(reply);
}

function dispatch(ctx: Omit<CommandContext, 'db'>): Reply {
  const { body } = ctx.cmd;
  const name = Object.keys(body)[0];
  const handler = name === undefined ? undefined : handlers.get(name);
  if (!handler) {
    throw new StoreError(ErrorCodes.CommandNotFound, `no such command: '${name ?? ''}'`);
  }
  if (body.txnNumber !== undefined || body.startTransaction !== undefined || body.autocommit !== undefined) {
    throw new StoreError(ErrorCodes.IllegalOperation, 'Transaction numbers are only allowed on a replica set member or mongos');
  }
  const db = body.$db;
  if (typeof db !== 'string' || !db) throw new StoreError(ErrorCodes.InvalidNamespace, "the command's database ($db) is missing");
  return handler({ ...ctx, db } as CommandContext);
}
