// Conversation references, stored so the notifier can reach a user (or a team channel, or a
// group chat) later. The reference is kept as the plain JSON Teams sent; services never build one.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';

export type ConversationScope = 'personal' | 'team' | 'groupChat';

/** The JSON shape of a Bot Framework ConversationReference (only what we read is typed). */
export interface StoredReference {
  serviceUrl: string;
  channelId: string;
  conversation: { id: string; tenantId?: string; conversationType?: string };
  bot?: { id: string; name?: string };
  user?: { id: string; aadObjectId?: string; name?: string };
  [key: string]: unknown;
}

interface ReferenceDoc {
  _id: string;
  tenantId: string;
  scope: ConversationScope;
  /** Set for personal chats: whose chat this is. */
  aadObjectId?: string;
  reference: StoredReference;
  active: boolean;
  updatedAt: Date;
}

function referenceId(tenantId: string, scope: ConversationScope, reference: StoredReference, aadObjectId?: string): string {
  return scope === 'personal' ? `personal:${tenantId}:${aadObjectId}` : `${scope}:${tenantId}:${reference.conversation.id}`;
}

/** Saves (or refreshes) where a conversation is reachable; called on every inbound activity. */
export async function rememberConversation(
  db: Db,
  entry: { tenantId: string; scope: ConversationScope; aadObjectId?: string; reference: StoredReference },
): Promise<void> {
  if (entry.scope === 'personal' && !entry.aadObjectId) return; // cannot key a personal chat without its user
  await db.collection<ReferenceDoc>(collections.conversationRefs).updateOne(
    { _id: referenceId(entry.tenantId, entry.scope, entry.reference, entry.aadObjectId) },
    { $set: { tenantId: entry.tenantId, scope: entry.scope, aadObjectId: entry.aadObjectId, reference: entry.reference, active: true, updatedAt: new Date() } },
    { upsert: true },
  );
}

/** The app was removed from a conversation: stop sending there until it comes back. */
export async function forgetConversation(db: Db, entry: { tenantId: string; scope: ConversationScope; aadObjectId?: string; reference: StoredReference }): Promise<void> {
  await db.collection<ReferenceDoc>(collections.conversationRefs).updateOne(
    { _id: referenceId(entry.tenantId, entry.scope, entry.reference, entry.aadObjectId) },
    { $set: { active: false, updatedAt: new Date() } },
  );
}

/** Where to message a user one-to-one, if they have ever talked to the bot (and not removed it). */
export async function personalConversationOf(db: Db, tenantId: string, aadObjectId: string): Promise<StoredReference | undefined> {
  const doc = await db.collection<ReferenceDoc>(collections.conversationRefs).findOne({ _id: `personal:${tenantId}:${aadObjectId}`, active: true });
  return doc?.reference;
}
