// Collection names live in one place so a typo cannot silently split data across two
// collections; feature work adds its own entries here.
export const collections = {
  /** botbuilder conversation / user / dialog state, one document per storage key. */
  botState: 'botState',
  /** Bookkeeping documents such as the schema version. */
  meta: 'meta',
  /** Partner profiles: one per organisation, keyed by Partner ID. */
  organisations: 'organisations',
  /** People associated with an organisation, with their roles. */
  members: 'members',
  /** Each user's own profile (name, phone, preferred language), before and after association. */
  userProfiles: 'userProfiles',
  /** Where to reach each user proactively: a Bot Framework conversation reference per user. */
  conversationRefs: 'conversationRefs',
  /** Association requests (seed 000): pending until accepted, approved, rejected or cancelled. */
  associationRequests: 'associationRequests',
  /** Invitations (seed 002): a pre-approved address with a single-use code, until it expires. */
  invitations: 'invitations',
  /** Requests for roles or contact types (seed 003), pending until a user-management admin decides. */
  roleRequests: 'roleRequests',
  /** One-time codes that prove an e-mail address, stored hashed. */
  verificationCodes: 'verificationCodes',
  /** Per-user abuse-limit counters (services/limits), one per person, kind and window; removed when the window ends. */
  rateLimits: 'rateLimits',
  /** Who did what and when, with before/after: decisions, roles, links, domains. */
  audit: 'audit',
  /** The certification directory: one exam / certification / assessment record per natural key. */
  certificationRecords: 'certificationRecords',
  /** One document per MCID: its credentials (from imported transcripts) and where it is linked. */
  mcids: 'mcids',
  /** One document per Partner University account: where it is linked (seed 004). */
  partnerUniversityLinks: 'partnerUniversityLinks',
  /** Each organisation's last competency evaluation (met levels), to notice a drop. */
  competencySnapshots: 'competencySnapshots',
  /** Notifications to post or update proactively, keyed by idempotency key (the outbox). */
  outbox: 'outbox',
  /** Delayed jobs (reminders, escalations), keyed by the caller's job key. */
  scheduledJobs: 'scheduledJobs',
} as const;

export type CollectionName = (typeof collections)[keyof typeof collections];

/** Used when neither the connect options nor the MONGODB_URI path name a database. */
export const DEFAULT_DB_NAME = 'mpn_bot';
