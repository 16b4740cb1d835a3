// The notifier's port to Teams: post an activity into a conversation, or replace one posted
// earlier. Plain JSON in and out, so the notifier can be tested without a Bot Connector; the
// CloudAdapter implementation is in proactiveDelivery.ts.
import type { ActivityJson, ConversationReferenceJson } from '../services/outbox/notification';

export interface Delivery {
  /** Posts `activity` into the referenced conversation; the id is what a later update targets. */
  send(reference: ConversationReferenceJson, activity: ActivityJson): Promise<{ activityId: string | undefined }>;
  /** Replaces the activity `activityId` (e.g. an approval card once decided) in place. */
  update(reference: ConversationReferenceJson, activityId: string, activity: ActivityJson): Promise<void>;
}
