// Imports organisations and members from a JSON file (`npm run seed -- FILE.json`): for the demo
// organisation, migrations and tests. Every row is validated; a bad row is reported with its
// position and reason and skipped; good rows are upserted, so importing twice changes nothing.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { ROLES } from '../access/capabilities';
import { collections } from '../db/collections';
import { CONTACT_TYPES, memberId } from '../people/members';
import { normaliseDomain, normaliseEmail } from './domains';
import { partnerIdField, searchKey } from './search';
import { translator } from '../../i18n';
import { refusalOfIssue } from '../refusal';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a GUID');
const email = z.string().transform((v, ctx) => normaliseEmail(v) ?? (ctx.addIssue({ code: 'custom', message: `"${v}" is not an e-mail address` }), z.NEVER));

const organisationRow = z.object({
  partnerId: partnerIdField,
  legalName: z.string().trim().min(2).max(200),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'expected a two-letter country code'),
  address: z.string().trim().min(1).max(300),
  tenantId: guid,
  preApprovedDomains: z.array(z.string().transform((v, ctx) => normaliseDomain(v) ?? (ctx.addIssue({ code: 'custom', message: `"${v}" is not a domain` }), z.NEVER))).default([]),
  ppcAadObjectId: guid,
}).strict();

const memberRow = z.object({
  partnerId: partnerIdField,
  aadObjectId: guid,
  email,
  displayName: z.string().trim().min(1).max(100),
  roles: z.array(z.enum(ROLES.filter((r) => r !== 'ppc') as [string, ...string[]])).default([]),
  contactTypes: z.array(z.enum(CONTACT_TYPES)).default([]),
}).strict();

const seedFile = z.object({ organisations: z.array(z.unknown()).default([]), members: z.array(z.unknown()).default([]) }).strict();

export interface SeedReport { organisations: number; members: number; problems: string[] }

export async function importSeed(db: Db, content: unknown, now = new Date()): Promise<SeedReport> {
  const file = seedFile.safeParse(content);
  if (!file.success) return { organisations: 0, members: 0, problems: [`the file: ${file.error.issues[0].message} (expected { "organisations": [...], "members": [...] })`] };
  const report: SeedReport = { organisations: 0, members: 0, problems: [] };
  const tenants = new Map<string, string>();

  for (const [i, raw] of file.data.organisations.entries()) {
    const row = organisationRow.safeParse(raw);
    if (!row.success) { report.problems.push(describeIssue(`organisations[${i}]`, row.error)); continue; }
    const o = row.data;
    await db.collection<{ _id: string }>(collections.organisations).updateOne(
      { _id: o.partnerId },
      { $set: { partnerId: o.partnerId, legalName: o.legalName, searchName: searchKey(o.legalName), country: o.country, address: o.address, tenantId: o.tenantId, preApprovedDomains: [...new Set(o.preApprovedDomains)], ppcAadObjectId: o.ppcAadObjectId }, $setOnInsert: { createdAt: now } },
      { upsert: true },
    );
    tenants.set(o.partnerId, o.tenantId);
    report.organisations++;
  }

  for (const [i, raw] of file.data.members.entries()) {
    const row = memberRow.safeParse(raw);
    if (!row.success) { report.problems.push(describeIssue(`members[${i}]`, row.error)); continue; }
    const m = row.data;
    const tenantId = tenants.get(m.partnerId) ?? (await db.collection<{ _id: string; tenantId: string }>(collections.organisations).findOne({ _id: m.partnerId }))?.tenantId;
    if (!tenantId) { report.problems.push(`members[${i}].partnerId: no organisation has Partner ID ${m.partnerId}`); continue; }
    await db.collection<{ _id: string }>(collections.members).updateOne(
      { _id: memberId(tenantId, m.aadObjectId) },
      { $set: { tenantId, orgId: m.partnerId, aadObjectId: m.aadObjectId, email: m.email, displayName: m.displayName, roles: m.roles, contactTypes: m.contactTypes, status: 'associated' }, $setOnInsert: { associatedAt: now } },
      { upsert: true },
    );
    report.members++;
  }
  return report;
}

function describeIssue(position: string, error: z.ZodError): string {
  const issue = error.issues[0];
  // Shared fields' messages are errors keys: the operator's report is in English.
  const { code, values } = refusalOfIssue(issue);
  const message = issue.message.startsWith('errors:') ? translator('en')(code, values) : issue.message;
  return `${position}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${message}`;
}
