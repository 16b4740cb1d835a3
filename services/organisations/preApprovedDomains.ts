// Pre-approved e-mail domains (seed 001): a proven address on one of them is accepted without
// waiting for an approver. Managed by the PPC and global admins; every change is audited.
import type { Db } from 'mongodb';
import type { Identity } from '../access/identity';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { mayDecide, organisationOf } from '../associations/decide';
import { CONSUMER_MAIL_DOMAINS } from './consumerDomains';
import { normaliseDomain } from './domains';
import type { OrganisationDoc } from './organisation';
import { Refusal } from '../refusal';

/** The change cannot be made; `code` names why (errors catalogue). */
export class DomainRefused extends Refusal {}

export interface DomainsView { orgId: string; legalName: string; domains: string[] }

async function managedOrganisation(db: Db, actor: Identity): Promise<OrganisationDoc> {
  const orgId = await organisationOf(db, actor);
  if (!orgId || !(await mayDecide(db, actor, orgId))) {
    throw new DomainRefused('errors:domains.notApprover');
  }
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId, tenantId: actor.tenantId });
  if (!org) throw new DomainRefused('errors:domains.noOrganisation');
  return org;
}

export async function listDomains(db: Db, actor: Identity): Promise<DomainsView> {
  const org = await managedOrganisation(db, actor);
  return { orgId: org._id, legalName: org.legalName, domains: [...org.preApprovedDomains].sort() };
}

export function checkDomain(input: unknown): string {
  if (typeof input !== 'string' || !input.trim()) throw new DomainRefused('errors:domains.empty');
  const domain = normaliseDomain(input.replace(/^@/, ''));
  if (!domain) throw new DomainRefused('errors:domains.invalid', { value: String(input).slice(0, 80) });
  if (CONSUMER_MAIL_DOMAINS.has(domain)) throw new DomainRefused('errors:domains.consumer', { domain });
  return domain;
}

export async function addDomain(db: Db, actor: Identity, input: unknown, now = new Date()): Promise<DomainsView> {
  const domain = checkDomain(input);
  const org = await managedOrganisation(db, actor);
  const updated = await db.collection<OrganisationDoc>(collections.organisations).findOneAndUpdate(
    { _id: org._id, tenantId: actor.tenantId },
    { $addToSet: { preApprovedDomains: domain } },
    { returnDocument: 'after' },
  );
  if (updated && !org.preApprovedDomains.includes(domain)) {
    await audit(db, { orgId: org._id, tenantId: org.tenantId, actor: actor.aadObjectId, action: 'domain.added', subject: domain, before: org.preApprovedDomains, after: updated.preApprovedDomains }, now);
  }
  return { orgId: org._id, legalName: org.legalName, domains: [...(updated?.preApprovedDomains ?? [])].sort() };
}

export async function removeDomain(db: Db, actor: Identity, input: unknown, now = new Date()): Promise<DomainsView> {
  const domain = typeof input === 'string' ? normaliseDomain(input) : undefined;
  const org = await managedOrganisation(db, actor);
  if (!domain) throw new DomainRefused('errors:domains.notListed');
  const updated = await db.collection<OrganisationDoc>(collections.organisations).findOneAndUpdate(
    { _id: org._id, tenantId: actor.tenantId },
    { $pull: { preApprovedDomains: domain } },
    { returnDocument: 'after' },
  );
  if (updated && org.preApprovedDomains.includes(domain)) {
    await audit(db, { orgId: org._id, tenantId: org.tenantId, actor: actor.aadObjectId, action: 'domain.removed', subject: domain, before: org.preApprovedDomains, after: updated.preApprovedDomains }, now);
  }
  return { orgId: org._id, legalName: org.legalName, domains: [...(updated?.preApprovedDomains ?? [])].sort() };
}
