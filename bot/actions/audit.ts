// `audit`: the organisation's recent audited changes, for global admins, in the admin's language.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { formatTime } from '../../cards/format';
import type { Translate } from '../../i18n';
import type { Identity } from '../../services/access/identity';
import { AuditRefused, recentAudit, type AuditLine } from '../../services/audit/recent';
import { tOf } from '../turnLanguage';
import { refusalText } from '../userText';

export async function showAudit(db: Db, turn: TurnContext, who: Identity, args: string): Promise<void> {
  const t = tOf(turn);
  const person = args.trim();
  try {
    const lines = await recentAudit(db, who, args);
    if (lines.length === 0) { await turn.sendActivity(person ? t('audit:nothingFor', { person }) : t('audit:nothing')); return; }
    const header = person ? t('audit:headerFor', { count: lines.length, person }) : t('audit:header', { count: lines.length });
    await turn.sendActivity([header, ...lines.map((l) => describe(t, l))].join('\n'));
  } catch (err) {
    if (!(err instanceof AuditRefused)) throw err;
    await turn.sendActivity(refusalText(t, err));
  }
}

function describe(t: Translate, line: AuditLine): string {
  const actor = line.actorKind === 'member' ? line.actor : line.actorKind === 'system' ? t('audit:system') : t('audit:former');
  // The action is shown as its code (domain.added, association.approved…): an identifier, the same in every language.
  return t('audit:line', { time: formatTime(line.at, t), actor, action: line.action, subject: line.subject });
}
