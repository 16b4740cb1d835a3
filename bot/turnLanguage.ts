// Which language to answer in. In a turn: the user's stated preference (profile or invitation)
// when the bot speaks it, else the Teams locale of the activity, else English. For a proactive
// message: the recipient's stated preference, else English (there is no activity to read).
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { botLanguage, translator, type Translate } from '../i18n';
import { collections } from '../services/db/collections';

const TRANSLATE = Symbol('translate');

/** The translate function for this turn (set once per turn by the bot; else from the locale). */
export function tOf(turn: TurnContext): Translate {
  return (turn.turnState.get(TRANSLATE) as Translate | undefined) ?? translator(turn.activity.locale);
}

/** Fixes this turn's language: the preference first, then the activity's Teams locale. */
export function setTurnLanguage(turn: TurnContext, preferred: string | null | undefined): Translate {
  const t = translator(botLanguage(preferred, turn.activity.locale));
  turn.turnState.set(TRANSLATE, t);
  return t;
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
