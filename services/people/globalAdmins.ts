// An organisation never loses its last global admin through the bot: nobody could then read the
// audit log, nor give the role back. There are no multi-document transactions, so a change that
// takes the role away is made first and checked after; if no global admin is left it is undone
// and refused. Two such changes racing can at worst both be undone, never both kept.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import type { MemberDoc } from './members';

export async function globalAdminCount(db: Db, tenantId: string, orgId: string): Promise<number> {
  return db.collection<MemberDoc>(collections.members).countDocuments({ tenantId, orgId, status: 'associated', roles: 'globalAdmin' });
}

/**
 * Runs `change`, which takes the role from someone; if the organisation had a global admin before
 * and has none after, `undo` runs and the result is false.
 */
export async function keepingAGlobalAdmin(db: Db, tenantId: string, orgId: string, change: () => Promise<boolean>, undo: () => Promise<void>): Promise<boolean | 'unchanged'> {
  const before = await globalAdminCount(db, tenantId, orgId);
  if (!(await change())) return 'unchanged';
  if (before > 0 && (await globalAdminCount(db, tenantId, orgId)) === 0) {
    await undo();
    return false;
  }
  return true;
}
