// `users [role]` (seed 003 "User management", filtered by role): the organisation's associated
// members, by name, a page at a time. The PPC is a role here too, though it lives on the
// organisation.
import type { Db, Filter } from 'mongodb';
import { authorize } from '../access/actor';
import type { Role } from '../access/capabilities';
import type { Identity } from '../access/identity';
import { collections } from '../db/collections';
import type { ContactType, MemberDoc } from './members';

export interface MemberView {
  aadObjectId: string;
  displayName: string;
  email: string;
  /** Including `ppc` for the PPC. */
  roles: Role[];
  contactTypes: ContactType[];
}

export interface MemberPage {
  organisation: string;
  total: number;
  page: number;
  pageSize: number;
  role?: Role;
  members: MemberView[];
}

export async function listMembers(db: Db, who: Identity, options: { role?: Role; page?: number; pageSize?: number } = {}): Promise<MemberPage> {
  const { org } = await authorize(db, who, 'user.list');
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? 20)), 100);
  const page = Math.max(0, Math.floor(Number.isFinite(options.page) ? options.page! : 0));
  const filter: Filter<MemberDoc> = { tenantId: org.tenantId, orgId: org._id, status: 'associated' };
  if (options.role === 'ppc') filter.aadObjectId = org.ppcAadObjectId;
  else if (options.role) filter.roles = options.role;
  const members = db.collection<MemberDoc>(collections.members);
  const [total, docs] = await Promise.all([
    members.countDocuments(filter),
    members.find(filter).sort({ displayName: 1, _id: 1 }).skip(page * pageSize).limit(pageSize).toArray(),
  ]);
  return {
    organisation: org.legalName, total, page, pageSize, role: options.role,
    members: docs.map((m) => viewOf(m, org.ppcAadObjectId)),
  };
}

export function viewOf(m: MemberDoc, ppcAadObjectId: string): MemberView {
  return {
    aadObjectId: m.aadObjectId, displayName: m.displayName, email: m.email, contactTypes: m.contactTypes ?? [],
    roles: [...(m.aadObjectId === ppcAadObjectId ? ['ppc' as const] : []), ...(m.roles ?? [])],
  };
}
