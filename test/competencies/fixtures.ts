// Shared by the certification, competency and report tests: a fresh database with the
// production indexes, organisations and members as the association feature stores them,
// transcripts, linked MCIDs and remembered chats.
import type { Db } from 'mongodb';
import { ensureIndexes } from '../../services/db/indexes';
import { collections } from '../../services/db/collections';
import type { TestStore } from '../support/store';
import type { Identity } from '../../services/access/identity';
import type { Role } from '../../services/access/capabilities';
import { memberId, type MemberDoc } from '../../services/people/members';
import type { OrganisationDoc } from '../../services/organisations/organisation';
import { rememberConversation } from '../../services/conversations/references';
import { importTranscript } from '../../services/certifications/importTranscript';
import { linkVerified } from '../../services/certifications/links';

export async function freshIndexedDb(store: TestStore): Promise<Db> {
  const db = store.freshDb();
  await ensureIndexes(db);
  return db;
}

export interface Org { orgId: string; tenantId: string; legalName: string }

export const CONTOSO: Org = { orgId: '1234567', tenantId: 'tenant-contoso', legalName: 'Contoso Ltd' };
export const FABRIKAM: Org = { orgId: '7654321', tenantId: 'tenant-fabrikam', legalName: 'Fabrikam Inc' };

export async function addOrganisation(db: Db, org: Org, ppcAadObjectId = 'ppc'): Promise<void> {
  await db.collection<OrganisationDoc>(collections.organisations).insertOne({
    _id: org.orgId, partnerId: org.orgId, legalName: org.legalName, searchName: org.legalName.toLowerCase(), country: 'GB', address: '1 Street', tenantId: org.tenantId,
    preApprovedDomains: [], ppcAadObjectId, createdAt: new Date('2026-01-01T00:00:00Z'),
  });
}

export interface PersonSpec {
  aadObjectId: string;
  name?: string;
  roles?: Exclude<Role, 'ppc'>[];
  status?: 'associated' | 'removed';
}

/** Adds a member; returns their identity. */
export async function addMember(db: Db, org: Org, spec: PersonSpec): Promise<Identity> {
  const name = spec.name ?? `Person ${spec.aadObjectId}`;
  const doc: MemberDoc = {
    _id: memberId(org.tenantId, spec.aadObjectId), tenantId: org.tenantId, orgId: org.orgId, aadObjectId: spec.aadObjectId,
    email: `${spec.aadObjectId}@${org.legalName.split(' ')[0].toLowerCase()}.example`, displayName: name, roles: spec.roles ?? [],
    contactTypes: [], status: spec.status ?? 'associated', associatedAt: new Date('2026-01-01T00:00:00Z'),
  };
  await db.collection<MemberDoc>(collections.members).insertOne(doc);
  return { tenantId: org.tenantId, aadObjectId: spec.aadObjectId, name };
}

export async function removeMember(db: Db, who: Identity): Promise<void> {
  await db.collection<MemberDoc>(collections.members).updateOne(
    { _id: memberId(who.tenantId, who.aadObjectId) },
    { $set: { status: 'removed', removedAt: new Date() } },
  );
}

export interface RecordSpec { mcid: string; code: string; type?: string; date?: string; title?: string; name?: string; email?: string }

export const HEADER = 'MCID,e-mail,name,type,code,title,date';

export function csvOf(records: RecordSpec[]): string {
  const lines = records.map((r) => [
    r.mcid, r.email ?? `holder${r.mcid}@outlook.example`, r.name ?? `Holder ${r.mcid}`, r.type ?? 'exam', r.code,
    r.title ?? `Title of ${r.code}`, r.date ?? '2025-05-01',
  ].join(','));
  return `${[HEADER, ...lines].join('\r\n')}\r\n`;
}

/** Imports records (fails the test on any rejected row). */
export async function importRecords(db: Db, records: RecordSpec[]): Promise<void> {
  const summary = await importTranscript(db, csvOf(records));
  if (summary.rejected) throw new Error(`fixture rows rejected: ${JSON.stringify(summary.rejections)}`);
}

/** A member who holds `codes` (exam codes, or {type, code}) under `mcid` and has linked it. */
export async function certifiedMember(
  db: Db, org: Org, spec: PersonSpec & { mcid: string; codes: Array<string | { type: string; code: string }> }, now = new Date('2026-06-01T00:00:00Z'),
): Promise<Identity> {
  const who = await addMember(db, org, spec);
  await importRecords(db, spec.codes.map((c) => (typeof c === 'string' ? { mcid: spec.mcid, code: c } : { mcid: spec.mcid, ...c })));
  await linkVerified(db, who, spec.mcid, { now });
  return who;
}

/** The person has talked to the bot: the outbox can reach them. */
export async function rememberChat(db: Db, who: Identity): Promise<void> {
  await rememberConversation(db, {
    tenantId: who.tenantId, scope: 'personal', aadObjectId: who.aadObjectId,
    reference: {
      serviceUrl: 'https://smba.example.test/teams/', channelId: 'msteams',
      conversation: { id: `a:chat-${who.aadObjectId}`, tenantId: who.tenantId, conversationType: 'personal' },
      bot: { id: '28:bot' }, user: { id: `29:${who.aadObjectId}`, aadObjectId: who.aadObjectId },
    },
  });
}
