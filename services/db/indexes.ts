// Every index the bot relies on, declared as data and applied at start-up, so a fresh database
// (embedded, a real server, Atlas, Cosmos DB) always has them and feature work adds a line here
// instead of writing its own start-up code.
import type { Db, IndexDescription } from 'mongodb';
import { collections } from './collections';

export interface IndexSpec {
  collection: string;
  key: IndexDescription['key'];
  /** name, unique, partialFilterExpression, expireAfterSeconds, … */
  options?: Omit<IndexDescription, 'key'>;
}

export const INDEXES: readonly IndexSpec[] = [
  // botState needs nothing beyond _id (it is only ever read by key). The meta collection holds
  // few documents; this index mostly makes the first start create the collection and keeps the
  // mechanism exercised. Every migration step sets `updatedAt` on the schema-version document.
  { collection: collections.meta, key: { updatedAt: 1 }, options: { name: 'updatedAt_1' } },
  // A user's organisation is found by tenant; a member by tenant + Entra object id.
  { collection: collections.organisations, key: { tenantId: 1 }, options: { name: 'tenantId_1' } },
  { collection: collections.members, key: { tenantId: 1, aadObjectId: 1 }, options: { name: 'tenant_aadObjectId', unique: true } },
  { collection: collections.conversationRefs, key: { tenantId: 1, aadObjectId: 1 }, options: { name: 'tenant_aadObjectId' } },
  // One open request per person and organisation; approvers list an organisation's pending ones by age.
  { collection: collections.associationRequests, key: { tenantId: 1, 'requester.aadObjectId': 1, orgId: 1 }, options: { name: 'one_pending_per_person_org', unique: true, partialFilterExpression: { status: 'pending' } } },
  { collection: collections.associationRequests, key: { orgId: 1, status: 1, createdAt: 1 }, options: { name: 'org_status_createdAt' } },
  { collection: collections.associationRequests, key: { tenantId: 1, 'requester.aadObjectId': 1, createdAt: -1 }, options: { name: 'requester_createdAt' } },
  // The follow-up sweep (bot/actions/associationFollowUps.ts) reads recent pending requests and decisions across organisations.
  { collection: collections.associationRequests, key: { status: 1, createdAt: 1 }, options: { name: 'status_createdAt' } },
  { collection: collections.associationRequests, key: { status: 1, decidedAt: 1 }, options: { name: 'status_decidedAt' } },
  // User management: a member is found by address (duplicate e-mails are refused); one pending role request per person.
  { collection: collections.members, key: { tenantId: 1, email: 1 }, options: { name: 'tenant_email' } },
  { collection: collections.roleRequests, key: { tenantId: 1, 'requester.aadObjectId': 1 }, options: { name: 'one_pending_per_person', unique: true, partialFilterExpression: { status: 'pending' } } },
  { collection: collections.verificationCodes, key: { purgeAt: 1 }, options: { name: 'purgeAt_ttl', expireAfterSeconds: 0 } },
  // Abuse-limit counters disappear when their window ends.
  { collection: collections.rateLimits, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } },
  { collection: collections.audit, key: { orgId: 1, at: -1 }, options: { name: 'org_at' } },
  // An invitation is found by its code (hashed), and checked by organisation + address.
  { collection: collections.invitations, key: { codeHash: 1 }, options: { name: 'codeHash_1' } },
  { collection: collections.invitations, key: { orgId: 1, email: 1, status: 1 }, options: { name: 'org_email_status' } },
  // Certifications and competencies: an organisation's active members, and the MCIDs linked to
  // it, are read by organisation (evaluation, skills report); a person's own links by member id;
  // an MCID's records by MCID in date order (skills report).
  { collection: collections.members, key: { orgId: 1, status: 1 }, options: { name: 'org_status' } },
  { collection: collections.mcids, key: { 'linked.orgId': 1 }, options: { name: 'linked_orgId' } },
  { collection: collections.mcids, key: { 'linked.member': 1 }, options: { name: 'linked_member' } },
  { collection: collections.partnerUniversityLinks, key: { 'linked.orgId': 1 }, options: { name: 'linked_orgId' } },
  { collection: collections.partnerUniversityLinks, key: { 'linked.member': 1 }, options: { name: 'linked_member' } },
  { collection: collections.certificationRecords, key: { mcid: 1, date: 1 }, options: { name: 'mcid_date' } },
  // Work queues (services/queue): workers claim by status and next claimable time (due time, or
  // lease expiry for a held item); finished items carry expiresAt and are removed after retention.
  { collection: collections.outbox, key: { status: 1, nextAt: 1 }, options: { name: 'status_nextAt' } },
  { collection: collections.outbox, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } },
  { collection: collections.scheduledJobs, key: { status: 1, nextAt: 1 }, options: { name: 'status_nextAt' } },
  { collection: collections.scheduledJobs, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } },
];

/**
 * Creates the indexes, one createIndexes call per collection. Idempotent: an index that exists
 * with the same key and options is left alone; one that exists with other options fails loudly,
 * because changing an index is a migration, not a start-up step.
 */
export async function ensureIndexes(db: Db, specs: readonly IndexSpec[] = INDEXES): Promise<void> {
  const byCollection = new Map<string, IndexDescription[]>();
  for (const spec of specs) {
    const list = byCollection.get(spec.collection) ?? [];
    list.push({ ...spec.options, key: spec.key });
    byCollection.set(spec.collection, list);
  }
  for (const [name, list] of byCollection) await db.collection(name).createIndexes(list);
}
