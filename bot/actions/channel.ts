// `set approvals channel`, typed in a team channel: new requests' cards are posted there too.
import { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import type { Identity } from '../../services/access/identity';
import type { StoredReference } from '../../services/conversations/references';
import { ChannelRefused, setApprovalsChannel } from '../../services/organisations/approvalsChannel';
import { tOf } from '../turnLanguage';
import { refusalText } from '../userText';

export async function setApprovalsChannelHere(db: Db, turn: TurnContext, who: Identity, args: string): Promise<void> {
  const t = tOf(turn);
  if (args.trim().toLowerCase() !== 'approvals channel') {
    await turn.sendActivity(t('approvals:channel.didYouMean'));
    return;
  }
  try {
    const reference = TurnContext.getConversationReference(turn.activity) as unknown as StoredReference;
    const org = await setApprovalsChannel(db, who, reference);
    await turn.sendActivity(t('approvals:channel.set', { organisation: org }));
  } catch (err) {
    if (!(err instanceof ChannelRefused)) throw err;
    await turn.sendActivity(refusalText(t, err));
  }
}
