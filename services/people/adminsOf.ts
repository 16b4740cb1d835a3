// `who is my admin` (seed 003 "Find your global admin", filtering on account admin): anyone in
// the tenant sees the global admins and account admins of their organisation, and its PPC. Someone
// not associated yet sees those of every organisation registered in their tenant.
import type { Db } from 'mongodb';
import { actorOf } from '../access/actor';
import type { Identity } from '../access/identity';
import { collections } from '../db/collections';
import type { OrganisationDoc } from '../organisations/organisation';
import { memberId, type MemberDoc } from './members';

export interface AdminContact { displayName: string; email: string }

export interface OrganisationAdmins {
  organisation: string;
  ppc?: AdminContact;
  globalAdmins: AdminContact[];
  accountAdmins: AdminContact[];
}

const MAX_ORGANISATIONS = 5;
const MAX_PER_ROLE = 20;

export async function adminsOf(db: Db, who: Identity): Promise<OrganisationAdmins[]> {
  const actor = await actorOf(db, who);
  const orgs = actor
    ? [actor.org]
    : await db.collection<OrganisationDoc>(collections.organisations).find({ tenantId: who.tenantId }).sort({ legalName: 1 }).limit(MAX_ORGANISATIONS).toArray();
  const members = db.collection<MemberDoc>(collections.members);
  return Promise.all(orgs.map(async (org) => {
    const base = { tenantId: org.tenantId, orgId: org._id, status: 'associated' as const };
    const contact = (m: MemberDoc): AdminContact => ({ displayName: m.displayName, email: m.email });
    const [globals, accounts, ppc] = await Promise.all([
      members.find({ ...base, roles: 'globalAdmin' }).sort({ displayName: 1 }).limit(MAX_PER_ROLE).toArray(),
      members.find({ ...base, roles: 'accountAdmin' }).sort({ displayName: 1 }).limit(MAX_PER_ROLE).toArray(),
      members.findOne({ _id: memberId(org.tenantId, org.ppcAadObjectId), ...base }),
    ]);
    return { organisation: org.legalName, ppc: ppc ? contact(ppc) : undefined, globalAdmins: globals.map(contact), accountAdmins: accounts.map(contact) };
  }));
}
