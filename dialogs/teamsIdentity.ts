// What Teams knows about the user: their name, and the e-mail and UPN from a member lookup
// (normalised). An address among these counts as proven: Microsoft Entra signed the user in.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { normaliseEmail } from '../services/organisations/domains';

/** The e-mail and UPN Teams knows for the user (normalised), and their name. */
export async function teamsIdentity(turn: TurnContext): Promise<{ name?: string; addresses: string[] }> {
  try {
    const member = await TeamsInfo.getMember(turn, turn.activity.from.id);
    const addresses = [member.email, member.userPrincipalName].flatMap((a) => (a ? [normaliseEmail(a)] : [])).filter((a): a is string => Boolean(a));
    return { name: member.name, addresses: [...new Set(addresses)] };
  } catch {
    // Outside Teams (or a lookup that failed) the address must be proven with a code.
    return { name: turn.activity.from.name, addresses: [] };
  }
}

