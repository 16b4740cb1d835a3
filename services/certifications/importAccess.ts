// Who may import transcripts into the certification directory from chat: the global admins and
// MPN partner admins of an organisation (the 'transcripts.import' action of the authorization
// table), in their own tenant. The records are stored with that organisation as provenance.
import type { Db } from 'mongodb';
import { authorized } from '../access/authorization';
import type { Identity } from '../access/identity';
import { rolesOf } from '../access/roles';
import { collections } from '../db/collections';
import { memberId, type MemberDoc } from '../people/members';
import { check, identitySchema } from './inputs';

export type ImportAccess = { ok: true; orgId: string } | { ok: false; reason: 'notAdmin' };

export async function transcriptImportAccess(db: Db, who: Identity): Promise<ImportAccess> {
  const person = check(identitySchema, who);
  if (!person.ok) return { ok: false, reason: 'notAdmin' };
  const { tenantId, aadObjectId } = person.value;
  if (!authorized(await rolesOf(db, { tenantId, aadObjectId }), 'transcripts.import')) return { ok: false, reason: 'notAdmin' };
  const member = await db.collection<MemberDoc>(collections.members)
    .findOne({ _id: memberId(tenantId, aadObjectId), tenantId, status: 'associated' }, { projection: { orgId: 1 } });
  return member ? { ok: true, orgId: member.orgId } : { ok: false, reason: 'notAdmin' };
}
