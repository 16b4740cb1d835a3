// `set approvals channel`, typed in a team channel: new requests' cards are posted there too.
import { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import type { Identity } from '../../services/access/identity';
import type { StoredReference } from '../../services/conversations/references';
import { ChannelRefused, setApprovalsChannel } from '../../services/organisations/approvalsChannel';

export async function setApprovalsChannelHere(db: Db, turn: TurnContext, who: Identity, args: string): Promise<void> {
  if (args.trim().toLowerCase() !== 'approvals channel') {
    await turn.sendActivity('Did you mean **set approvals channel**? Type it in the team channel where new association requests should appear.');
    return;
  }
  try {
    const reference = TurnContext.getConversationReference(turn.activity) as unknown as StoredReference;
    const org = await setApprovalsChannel(db, who, reference);
    await turn.sendActivity(`From now on, every new association request for ${org} is also posted here. Only the PPC and global admins see its buttons.`);
  } catch (err) {
    if (!(err instanceof ChannelRefused)) throw err;
    await turn.sendActivity(err.message);
  }
}
