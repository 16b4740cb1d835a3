// Which language to answer in. In a turn: the user's stated preference (profile or invitation)
// when the bot speaks it, else the Teams locale of the activity, else English. For a proactive
// message: the recipient's stated preference, else English (there is no activity to read).
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { botLanguage, translator, type BotLanguage, type Translate } from '../i18n';
import { collections } from '../services/db/collections';

const TRANSLATE = Symbol('translate');
const LANGUAGE = Symbol('language');
const CHOSEN = Symbol('chosenLanguage');

/** The translate function for this turn (set once per turn by the bot; else from the locale). */
export function tOf(turn: TurnContext): Translate {
  return (turn.turnState.get(TRANSLATE) as Translate | undefined) ?? translator(turn.activity.locale);
}

/** The language this turn speaks (for Intl formatting and third-party messages such as zod's). */
export function languageOf(turn: TurnContext): BotLanguage {
  return (turn.turnState.get(LANGUAGE) as BotLanguage | undefined) ?? botLanguage(turn.activity.locale);
}

/** Fixes this turn's language: the preference first, then the activity's Teams locale. */
export function setTurnLanguage(turn: TurnContext, preferred: string | null | undefined): Translate {
  const language = botLanguage(preferred, turn.activity.locale);
  const t = translator(language);
  turn.turnState.set(TRANSLATE, t);
  turn.turnState.set(LANGUAGE, language);
  return t;
}

/**
 * The user just stated a preference (profile, invitation): the rest of this turn speaks it, and
 * the bot hears of it after the turn (to update its cache of preferences).
 */
export function languageChosen(turn: TurnContext, language: string): Translate {
  preferenceStated(turn, language);
  return setTurnLanguage(turn, language);
}

/** A preference stated in passing (a form's field): it speaks from the next turn on. */
export function preferenceStated(turn: TurnContext, language: string): void {
  turn.turnState.set(CHOSEN, language);
}

/** The preference stated during this turn, if any. */
export function chosenLanguageIn(turn: TurnContext): string | undefined {
  return turn.turnState.get(CHOSEN) as string | undefined;
}

/** The stated language preference of a person, or undefined when they never chose one. */
export async function preferredLanguageOf(db: Db, tenantId: string, aadObjectId: string): Promise<string | undefined> {
  const doc = await db.collection<{ _id: string; language?: string }>(collections.userProfiles)
    .findOne({ _id: `${tenantId}:${aadObjectId}` }, { projection: { language: 1 } });
  return doc?.language;
}

/** The translate function for a proactive message to one person. */
export async function recipientTranslator(db: Db, tenantId: string, aadObjectId: string): Promise<Translate> {
  return translator(await preferredLanguageOf(db, tenantId, aadObjectId));
}
