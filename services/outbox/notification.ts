// What the outbox stores: one document per notification, keyed by the caller's idempotency key,
// and the validated shape callers enqueue. Services never import botbuilder, so the conversation
// reference and the activity are plain JSON here.
import { z } from 'zod';
import type { QueueFields } from '../queue/leaseQueue';

/** The JSON of a Bot Framework ConversationReference (only what the outbox relies on is typed). */
export interface ConversationReferenceJson {
  serviceUrl: string;
  conversation: { id: string; tenantId?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A Bot Framework activity as plain JSON (text, attachments such as an Adaptive Card, …). */
export type ActivityJson = Record<string, unknown>;

export interface NotificationTarget {
  tenantId: string;
  /** Defaults to reference.conversation.id; used for per-conversation rate limits. */
  conversationId?: string;
  reference: ConversationReferenceJson;
}

interface EnqueueBase {
  /** Idempotency key: the same key enqueued twice is stored, and posted, once. */
  key: string;
  target: NotificationTarget;
  activity: ActivityJson;
  /** Not before this time (default: now). */
  dueAt?: Date;
}

/** Post a new message. */
export interface EnqueueSend extends EnqueueBase { kind?: 'send' }

/**
 * Replace a message posted earlier (e.g. an approval card once decided). `updateOf` is the key
 * of that earlier notification. If it is not sent yet, this one waits for it; if it was
 * dead-lettered, or is no longer known, this activity is posted as a new message instead, so
 * the reader still sees the latest state.
 */
export interface EnqueueUpdate extends EnqueueBase { kind: 'update'; updateOf: string }

export type EnqueueRequest = EnqueueSend | EnqueueUpdate;

export type NotificationKind = 'send' | 'update';

export interface NotificationDoc extends QueueFields {
  kind: NotificationKind;
  tenantId: string;
  conversationId: string;
  reference: ConversationReferenceJson;
  /**
   * The activity as a JSON string: Adaptive Cards carry keys such as "$schema" that not every
   * MongoDB-compatible server accepts as field names, and the payload is never queried.
   */
  activity: string;
  updateOf?: string;
  dueAt: Date;
  /** Set once posted: the id of the posted (or, for an update, the replaced) activity. */
  activityId?: string;
  /** How an update went out: in place, or as a new message because its target was dead. */
  deliveredAs?: NotificationKind;
}

const key = z.string().trim().min(1, 'a non-empty key').max(512, 'a key of at most 512 characters');

export const enqueueSchema = z.object({
  key,
  kind: z.enum(['send', 'update']).default('send'),
  updateOf: key.optional(),
  target: z.object({
    tenantId: z.string().trim().min(1, 'a tenant id'),
    conversationId: z.string().trim().min(1).optional(),
    reference: z.looseObject({
      serviceUrl: z.string().url('the service URL of the conversation'),
      conversation: z.looseObject({ id: z.string().min(1, 'a conversation id') }),
    }),
  }),
  activity: z.record(z.string(), z.unknown()),
  dueAt: z.date().optional(),
}).superRefine((value, ctx) => {
  if (value.kind === 'update' && !value.updateOf) ctx.addIssue({ code: 'custom', path: ['updateOf'], message: 'an update needs the key of the notification it replaces' });
  if (value.kind === 'send' && value.updateOf) ctx.addIssue({ code: 'custom', path: ['updateOf'], message: 'only an update names the notification it replaces' });
  if (value.updateOf && value.updateOf === value.key) ctx.addIssue({ code: 'custom', path: ['updateOf'], message: 'a notification cannot replace itself' });
});
