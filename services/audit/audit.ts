// The audit log (DESIGN §5): every decision, role change, link/unlink and domain change, with
// actor, time, organisation and before/after. Written after the change it describes; a failed
// audit write is logged by the caller, never allowed to undo a user's completed action.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';

export interface AuditEntry {
  orgId: string;
  tenantId: string;
  /** Who did it: an Entra object id, or 'system' for automatic changes. */
  actor: string;
  action: string;
  /** What it was about (a request id, an e-mail, a domain…). */
  subject: string;
  before?: unknown;
  after?: unknown;
}

export async function audit(db: Db, entry: AuditEntry, at = new Date()): Promise<void> {
  await db.collection(collections.audit).insertOne({ ...entry, at });
}
