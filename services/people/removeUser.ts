// `remove user` (seed 003, 004: someone left the company). The membership ends in one guarded
// update; from then on the person's exams no longer count (competency evaluation reads only
// associated members), and the organisation's competencies are evaluated again so its admins
// hear of any level that is no longer met. The PPC cannot be removed (hand the role on first),
// nor the last global admin.
import type { Db } from 'mongodb';
import { authorize, type Actor } from '../access/actor';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { checkCompetenciesAtRisk, type AtRiskResult } from '../competencies/atRisk';
import type { Catalogue } from '../competencies/catalogue';
import { collections } from '../db/collections';
import type { Outbox } from '../outbox/outbox';
import { PeopleRefused } from './errors';
import { keepingAGlobalAdmin } from './globalAdmins';
import { check, emailField } from './inputs';
import type { MemberDoc } from './members';

export interface RemoveUserResult {
  member: MemberDoc;
  organisation: string;
  /** The re-evaluation after the removal; undefined if it failed (the removal stands). */
  atRisk?: AtRiskResult;
}

/** The associated member of the actor's organisation with this e-mail (for the confirmation). */
export async function memberToRemove(db: Db, who: Identity, email: unknown): Promise<MemberDoc> {
  return removable(db, await authorize(db, who, 'user.remove'), email);
}

async function removable(db: Db, actor: Actor, email: unknown): Promise<MemberDoc> {
  const address = check(emailField, email);
  const member = await db.collection<MemberDoc>(collections.members)
    .findOne({ tenantId: actor.org.tenantId, orgId: actor.org._id, email: address, status: 'associated' });
  if (!member) throw new PeopleRefused('memberNotFound', { email: address });
  if (member.aadObjectId === actor.org.ppcAadObjectId) throw new PeopleRefused('removePpc', { name: member.displayName });
  return member;
}

export async function removeUser(
  db: Db, who: Identity, email: unknown, options: { outbox?: Outbox; catalogue?: Catalogue; now?: Date; onAtRiskError?: (err: unknown) => void } = {},
): Promise<RemoveUserResult> {
  const now = options.now ?? new Date();
  const actor = await authorize(db, who, 'user.remove');
  const member = await removable(db, actor, email);
  const members = db.collection<MemberDoc>(collections.members);
  const kept = await keepingAGlobalAdmin(db, actor.org.tenantId, actor.org._id,
    async () => (await members.updateOne({ _id: member._id, tenantId: actor.org.tenantId, status: 'associated' }, { $set: { status: 'removed', removedAt: now } })).modifiedCount === 1,
    async () => { await members.updateOne({ _id: member._id, status: 'removed', removedAt: now }, { $set: { status: 'associated' }, $unset: { removedAt: '' } }); });
  if (kept === 'unchanged') throw new PeopleRefused('memberNotFound', { email: member.email });
  if (!kept) throw new PeopleRefused('lastGlobalAdmin');
  await audit(db, {
    orgId: actor.org._id, tenantId: actor.org.tenantId, actor: who.aadObjectId, action: 'user.removed', subject: member.email,
    before: { status: 'associated', roles: member.roles, contactTypes: member.contactTypes }, after: { status: 'removed' },
  }, now);
  let atRisk: AtRiskResult | undefined;
  try {
    atRisk = await checkCompetenciesAtRisk(db, actor.org._id, { kind: 'memberRemoved', personName: member.displayName }, { outbox: options.outbox, catalogue: options.catalogue, now });
  } catch (err) {
    // The removal is done; a failed re-evaluation runs again with the next event.
    options.onAtRiskError?.(err);
  }
  return { member: { ...member, status: 'removed', removedAt: now }, organisation: actor.org.legalName, atRisk };
}
