// `audit`: the organisation's recent audited changes, for global admins.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { formatTime } from '../../cards/format';
import type { Identity } from '../../services/access/identity';
import { AuditRefused, recentAudit } from '../../services/audit/recent';

export async function showAudit(db: Db, turn: TurnContext, who: Identity, args: string): Promise<void> {
  try {
    const lines = await recentAudit(db, who, args);
    if (lines.length === 0) { await turn.sendActivity(args.trim() ? `Nothing audited by or about ${args.trim()}.` : 'Nothing has been audited yet.'); return; }
    await turn.sendActivity([`Last ${lines.length} audited change(s)${args.trim() ? ` by or about ${args.trim()}` : ''}:`,
      ...lines.map((l) => `- ${formatTime(l.at)}: ${l.actor}, ${l.action} (${l.subject})`)].join('\n'));
  } catch (err) {
    if (!(err instanceof AuditRefused)) throw err;
    await turn.sendActivity(err.message);
  }
}
