// What `audit` shows a global admin: the organisation's last 20 audited changes, optionally
// only those by or about one person.
import type { Db } from 'mongodb';
import type { Identity } from '../access/identity';
import { collections } from '../db/collections';
import type { MemberDoc } from '../people/members';
import { organisationOf } from '../associations/decide';
import { normaliseEmail } from '../organisations/domains';
import { Refusal } from '../refusal';

export interface AuditLine {
  at: Date;
  /** The actor's name when they are a member; else empty, and `actorKind` says who it was. */
  actor: string;
  actorKind: 'member' | 'system' | 'former';
  action: string;
  subject: string;
}

/** Refused; `code` names why (errors catalogue). */
export class AuditRefused extends Refusal {}

export async function recentAudit(db: Db, actor: Identity, person?: string, limit = 20): Promise<AuditLine[]> {
  const orgId = await organisationOf(db, actor);
  const me = orgId ? await db.collection<MemberDoc>(collections.members).findOne({ tenantId: actor.tenantId, aadObjectId: actor.aadObjectId, orgId, status: 'associated', roles: 'globalAdmin' }) : null;
  if (!orgId || !me) throw new AuditRefused('errors:audit.notGlobalAdmin');
  const filter: Record<string, unknown> = { orgId, tenantId: actor.tenantId };
  if (person?.trim()) {
    const email = normaliseEmail(person);
    if (!email) throw new AuditRefused('errors:audit.notAnEmail', { value: person.slice(0, 60) });
    const member = await db.collection<MemberDoc>(collections.members).findOne({ tenantId: actor.tenantId, orgId, email });
    filter.$or = [{ subject: email }, ...(member ? [{ actor: member.aadObjectId }] : [])];
  }
  const entries = await db.collection<AuditLine & { actor: string }>(collections.audit).find(filter).sort({ at: -1 }).limit(limit).toArray();
  // Show names, not object ids.
  const ids = [...new Set(entries.map((e) => e.actor))];
  const names = new Map((await db.collection<MemberDoc>(collections.members).find({ tenantId: actor.tenantId, aadObjectId: { $in: ids } }).project<{ aadObjectId: string; displayName: string }>({ aadObjectId: 1, displayName: 1 }).toArray()).map((m) => [m.aadObjectId, m.displayName]));
  return entries.map((e) => {
    const name = names.get(e.actor);
    return { at: e.at, actor: name ?? '', actorKind: name !== undefined ? 'member' : e.actor === 'system' ? 'system' : 'former', action: e.action, subject: e.subject };
  });
}
