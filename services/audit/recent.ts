// What `audit` shows a global admin: the organisation's last 20 audited changes, optionally
// only those by or about one person.
import type { Db } from 'mongodb';
import type { Identity } from '../access/identity';
import { collections } from '../db/collections';
import type { MemberDoc } from '../people/members';
import { organisationOf } from '../associations/decide';
import { normaliseEmail } from '../organisations/domains';

export interface AuditLine { at: Date; actor: string; action: string; subject: string }

/** Refused; `message` is written for the user. */
export class AuditRefused extends Error {}

export async function recentAudit(db: Db, actor: Identity, person?: string, limit = 20): Promise<AuditLine[]> {
  const orgId = await organisationOf(db, actor);
  const me = orgId ? await db.collection<MemberDoc>(collections.members).findOne({ tenantId: actor.tenantId, aadObjectId: actor.aadObjectId, orgId, status: 'associated', roles: 'globalAdmin' }) : null;
  if (!orgId || !me) throw new AuditRefused('Only a global admin can read the audit log.');
  const filter: Record<string, unknown> = { orgId, tenantId: actor.tenantId };
  if (person?.trim()) {
    const email = normaliseEmail(person);
    if (!email) throw new AuditRefused(`"${person.slice(0, 60)}" is not an e-mail address: filter with a person's work e-mail, for example audit ann@contoso.com.`);
    const member = await db.collection<MemberDoc>(collections.members).findOne({ tenantId: actor.tenantId, orgId, email });
    filter.$or = [{ subject: email }, ...(member ? [{ actor: member.aadObjectId }] : [])];
  }
  const entries = await db.collection<AuditLine & { actor: string }>(collections.audit).find(filter).sort({ at: -1 }).limit(limit).toArray();
  // Show names, not object ids.
  const ids = [...new Set(entries.map((e) => e.actor))];
  const names = new Map((await db.collection<MemberDoc>(collections.members).find({ tenantId: actor.tenantId, aadObjectId: { $in: ids } }).project<{ aadObjectId: string; displayName: string }>({ aadObjectId: 1, displayName: 1 }).toArray()).map((m) => [m.aadObjectId, m.displayName]));
  return entries.map((e) => ({ at: e.at, actor: names.get(e.actor) ?? (e.actor === 'system' ? 'the bot' : 'someone no longer a member'), action: e.action, subject: e.subject }));
}
