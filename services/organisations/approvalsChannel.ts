// The organisation's approvals channel: a team channel where every new request's card is also
// posted (buttons shown only to approvers through the card's refresh). Set by the PPC or a
// global admin from inside that channel.
import type { Db } from 'mongodb';
import type { Identity } from '../access/identity';
import { mayDecide, organisationOf } from '../associations/decide';
import { audit } from '../audit/audit';
import type { StoredReference } from '../conversations/references';
import { collections } from '../db/collections';
import { Refusal } from '../refusal';
import type { OrganisationDoc } from './organisation';

export interface ApprovalsChannel { reference: StoredReference; setBy: string; setAt: Date }

/** Refused; `code` names why (errors catalogue). */
export class ChannelRefused extends Refusal {}

export async function setApprovalsChannel(db: Db, actor: Identity, reference: StoredReference, now = new Date()): Promise<string> {
  const orgId = await organisationOf(db, actor);
  if (!orgId || !(await mayDecide(db, actor, orgId))) throw new ChannelRefused('errors:channel.notApprover');
  if (reference.conversation.tenantId && reference.conversation.tenantId !== actor.tenantId) throw new ChannelRefused('errors:channel.otherTenant');
  const channel: ApprovalsChannel = { reference, setBy: actor.aadObjectId, setAt: now };
  const before = await db.collection<OrganisationDoc & { approvalsChannel?: ApprovalsChannel }>(collections.organisations).findOneAndUpdate(
    { _id: orgId, tenantId: actor.tenantId },
    { $set: { approvalsChannel: channel } },
  );
  await audit(db, { orgId, tenantId: actor.tenantId, actor: actor.aadObjectId, action: 'approvalsChannel.set', subject: reference.conversation.id, before: before?.approvalsChannel?.reference.conversation.id ?? null, after: reference.conversation.id }, now);
  return before?.legalName ?? orgId;
}

export async function approvalsChannelOf(db: Db, orgId: string): Promise<StoredReference | undefined> {
  return (await approvalsChannelDetails(db, orgId))?.reference;
}

/** The channel with who set it (their language is the channel copy's). */
export async function approvalsChannelDetails(db: Db, orgId: string): Promise<ApprovalsChannel | undefined> {
  const org = await db.collection<{ _id: string; approvalsChannel?: ApprovalsChannel }>(collections.organisations).findOne({ _id: orgId }, { projection: { approvalsChannel: 1 } });
  return org?.approvalsChannel;
}
