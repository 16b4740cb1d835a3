// Finding the organisation to associate with (seed 000 step f): by Partner ID, or by company
// details when the user does not know it. A name search only looks inside the user's own
// tenant; an exact Partner ID finds any organisation (the ID is what a PPC hands out).
import type { Db } from 'mongodb';
import { z } from 'zod';
import { collections } from '../db/collections';
import type { OrganisationDoc } from './organisation';

export const partnerIdField = z.string('errors:organisation.partnerIdFormat').trim().regex(/^\d{4,10}$/, 'errors:organisation.partnerIdFormat');

/** Lower case, accents removed: "Société Générale" and "societe generale" compare equal. */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface OrganisationSummary {
  partnerId: string;
  legalName: string;
  country: string;
  address: string;
}

const summary = (o: OrganisationDoc): OrganisationSummary => ({ partnerId: o.partnerId, legalName: o.legalName, country: o.country, address: o.address });

export async function findByPartnerId(db: Db, partnerId: string): Promise<OrganisationSummary | undefined> {
  const id = partnerIdField.parse(partnerId);
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: id });
  return org ? summary(org) : undefined;
}

/**
 * The organisation a user of `tenantId` may associate with under this Partner ID. One of another
 * tenant is only named as such: its name and address are that tenant's data, not shown to others.
 */
export async function findByPartnerIdIn(db: Db, tenantId: string, partnerId: string): Promise<OrganisationSummary | 'otherTenant' | undefined> {
  const id = partnerIdField.parse(partnerId);
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: id });
  if (!org) return undefined;
  return org.tenantId === tenantId ? summary(org) : 'otherTenant';
}

const MAX_RESULTS = 10;

/** Organisations of `tenantId` whose legal name contains `name` (case- and accent-insensitive). */
export async function searchByName(db: Db, tenantId: string, name: string, country?: string): Promise<OrganisationSummary[]> {
  const key = searchKey(name);
  if (key.length < 2) return [];
  // The typed text is escaped: it is matched literally, never read as a pattern.
  const filter: Record<string, unknown> = { tenantId, searchName: { $regex: escapeRegex(key) } };
  if (country) filter.country = country.trim().toUpperCase();
  const found = await db.collection<OrganisationDoc>(collections.organisations)
    .find(filter).sort({ legalName: 1 }).limit(MAX_RESULTS).toArray();
  return found.map(summary);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
