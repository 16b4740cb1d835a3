// Card actions are routes: a verb, the schema its data must match, and a handler that returns a
// card (to replace the one clicked) or a message. The invoke response is shaped here only, so
// Action.Execute (an invoke) and Action.Submit (a message with `value`) behave the same.
import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Identity } from '../services/access/identity';
import type { CommandScope } from './commands';
import { languageOf, tOf } from './turnLanguage';
import { issueText, zodOptions } from './userText';

export interface CardActionContext {
  turn: TurnContext;
  who: Identity;
  scope: CommandScope;
}

export type CardActionResult =
  | { card: Record<string, unknown> }
  | { message: string };

export interface CardActionRoute<S extends z.ZodType = z.ZodType> {
  verb: string;
  data: S;
  handle(ctx: CardActionContext, data: z.infer<S>): Promise<CardActionResult>;
}

/** Type helper so each route's handler sees its own schema's type. */
export function cardAction<S extends z.ZodType>(route: CardActionRoute<S>): CardActionRoute {
  return route as unknown as CardActionRoute;
}

export type CardActionOutcome =
  | { ok: true; result: CardActionResult }
  | { ok: false; status: 400; message: string };

export class CardActionRouter {
  private readonly routes = new Map<string, CardActionRoute>();

  constructor(routes: readonly CardActionRoute[]) {
    for (const route of routes) this.routes.set(route.verb, route);
  }

  /** Every verb routed (tests cover each one, so a new verb is covered without a list to update). */
  verbs(): string[] {
    return [...this.routes.keys()];
  }

  /** Validates the verb and data, then runs the handler. Bad input never reaches a handler. */
  async run(ctx: CardActionContext, verb: unknown, data: unknown): Promise<CardActionOutcome> {
    const t = tOf(ctx.turn);
    const route = typeof verb === 'string' ? this.routes.get(verb) : undefined;
    if (!route) return { ok: false, status: 400, message: t('errors:card.unknownVerb') };
    // Schemas' own messages are errors keys; zod's defaults (a wrong type…) come in the user's language.
    const parsed = route.data.safeParse(data ?? {}, zodOptions(languageOf(ctx.turn)));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const problem = issueText(t, issue);
      return {
        ok: false, status: 400,
        message: issue.path.length ? t('errors:card.badInput', { field: issue.path.join('.'), problem }) : t('errors:card.badInputNoField', { problem }),
      };
    }
    return { ok: true, result: await route.handle(ctx, parsed.data) };
  }
}

/** The Universal Actions invoke response for an outcome. */
export function invokeResponseFor(outcome: CardActionOutcome): AdaptiveCardInvokeResponse {
  if (!outcome.ok) {
    return { statusCode: outcome.status, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: outcome.message } };
  }
  if ('card' in outcome.result) {
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: outcome.result.card };
  }
  // Universal Actions put the message text itself in `value`; botbuilder's type only allows objects.
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: outcome.result.message as unknown as Record<string, unknown> };
}
