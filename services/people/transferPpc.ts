// `transfer ppc` (DESIGN §3: exactly one PPC per organisation). The PPC, or a global admin, hands
// the role to another associated member. The PPC is one field of the organisation, changed in one
// update guarded by its current value: there is always exactly one, and of two transfers racing
// one wins and the other is told the PPC changed meanwhile.
import type { Db } from 'mongodb';
import { authorize } from '../access/actor';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import type { OrganisationDoc } from '../organisations/organisation';
import { PeopleRefused } from './errors';
import { check, emailField } from './inputs';
import { memberId, type MemberDoc } from './members';
import { aadObjectIdField } from './setRoles';

export interface PpcCandidates {
  organisation: string;
  currentPpc: { aadObjectId: string; displayName: string };
  /** Associated members other than the PPC, by name (at most `limit`). */
  candidates: { aadObjectId: string; displayName: string; email: string }[];
  total: number;
}

export async function ppcCandidates(db: Db, who: Identity, limit = 100): Promise<PpcCandidates> {
  const { org } = await authorize(db, who, 'ppc.transfer');
  const members = db.collection<MemberDoc>(collections.members);
  const filter = { tenantId: org.tenantId, orgId: org._id, status: 'associated' as const, aadObjectId: { $ne: org.ppcAadObjectId } };
  const [total, list, current] = await Promise.all([
    members.countDocuments(filter),
    members.find(filter).sort({ displayName: 1, _id: 1 }).limit(limit).toArray(),
    members.findOne({ _id: memberId(org.tenantId, org.ppcAadObjectId) }, { projection: { displayName: 1 } }),
  ]);
  return {
    organisation: org.legalName, total,
    currentPpc: { aadObjectId: org.ppcAadObjectId, displayName: current?.displayName ?? '' },
    candidates: list.map((m) => ({ aadObjectId: m.aadObjectId, displayName: m.displayName, email: m.email })),
  };
}

/** The member who would become PPC (for the confirmation), checked like the transfer itself. */
export async function ppcTarget(db: Db, who: Identity, aadObjectId: unknown): Promise<{ organisation: string; member: MemberDoc }> {
  const { org } = await authorize(db, who, 'ppc.transfer');
  const id = check(aadObjectIdField, aadObjectId);
  const member = await db.collection<MemberDoc>(collections.members).findOne({ _id: memberId(org.tenantId, id), orgId: org._id, status: 'associated' });
  if (!member) throw new PeopleRefused('memberNotFound', { email: '' });
  if (member.aadObjectId === org.ppcAadObjectId) throw new PeopleRefused('alreadyPpc', { name: member.displayName });
  return { organisation: org.legalName, member };
}

/** `transfer ppc name@contoso.com`: the member with that address, checked the same way. */
export async function ppcTargetByEmail(db: Db, who: Identity, email: unknown): Promise<{ organisation: string; member: MemberDoc }> {
  const { org } = await authorize(db, who, 'ppc.transfer');
  const address = check(emailField, email);
  const member = await db.collection<MemberDoc>(collections.members).findOne({ tenantId: org.tenantId, orgId: org._id, email: address, status: 'associated' }, { projection: { aadObjectId: 1 } });
  if (!member) throw new PeopleRefused('memberNotFound', { email: address });
  return ppcTarget(db, who, member.aadObjectId);
}

export interface PpcTransferred {
  organisation: string;
  orgId: string;
  tenantId: string;
  previousPpc: string;
  newPpc: MemberDoc;
}

export async function transferPpc(db: Db, who: Identity, aadObjectId: unknown, now = new Date()): Promise<PpcTransferred> {
  const { org } = await authorize(db, who, 'ppc.transfer');
  const { member } = await ppcTarget(db, who, aadObjectId);
  const updated = await db.collection<OrganisationDoc>(collections.organisations).findOneAndUpdate(
    { _id: org._id, tenantId: org.tenantId, ppcAadObjectId: org.ppcAadObjectId },
    { $set: { ppcAadObjectId: member.aadObjectId } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new PeopleRefused('changedMeanwhile');
  await audit(db, {
    orgId: org._id, tenantId: org.tenantId, actor: who.aadObjectId, action: 'ppc.transferred', subject: member.email,
    before: { ppcAadObjectId: org.ppcAadObjectId }, after: { ppcAadObjectId: member.aadObjectId },
  }, now);
  return { organisation: org.legalName, orgId: org._id, tenantId: org.tenantId, previousPpc: org.ppcAadObjectId, newPpc: member };
}
