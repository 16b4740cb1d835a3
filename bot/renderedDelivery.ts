// Notifications that services store as data (`{ type: 'message', render: { kind, data } }`) are
// turned into activities here, when they are delivered: services never build words or cards,
// and the text is in the recipient's language as it is at delivery time. Anything else passes
// through unchanged. Rendering is deterministic, so a retried delivery posts the same thing.
import type { ActivityJson, ConversationReferenceJson } from '../services/outbox/notification';
import type { Delivery } from './delivery';

export type ActivityRenderer = (data: unknown) => Promise<ActivityJson>;

/** The stored data cannot be rendered: no use retrying (400 makes the notifier dead-letter it). */
export class RenderError extends Error {
  readonly statusCode = 400;
}

export class RenderingDelivery implements Delivery {
  constructor(private readonly inner: Delivery, private readonly renderers: Readonly<Record<string, ActivityRenderer>>) {}

  async send(reference: ConversationReferenceJson, activity: ActivityJson): Promise<{ activityId: string | undefined }> {
    return this.inner.send(reference, await this.render(activity));
  }

  async update(reference: ConversationReferenceJson, activityId: string, activity: ActivityJson): Promise<void> {
    await this.inner.update(reference, activityId, await this.render(activity));
  }

  private async render(activity: ActivityJson): Promise<ActivityJson> {
    const spec = activity.render;
    if (spec === undefined) return activity;
    const kind = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
    if (typeof kind !== 'string' || !Object.hasOwn(this.renderers, kind)) throw new RenderError(`no renderer for notification kind ${String(kind).slice(0, 60)}`);
    return this.renderers[kind]((spec as { data?: unknown }).data);
  }
}
