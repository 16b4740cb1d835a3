// A Delivery that records what it was asked to post, and fails on cue.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Delivery } from '../../bot/delivery';
import type { ActivityJson, ConversationReferenceJson } from '../../services/outbox/notification';
import type { Clock } from '../../services/queue/clock';

export interface DeliveredCall {
  op: 'send' | 'update';
  /** The notification key, read back from the "(key)" the fixtures put in the text. */
  key: string;
  conversationId: string;
  activityId: string;
  at: number;
  text: string;
}

/** Decides, per call, whether it fails (return the error) or succeeds (return undefined). */
export type Behaviour = (op: 'send' | 'update', key: string, callNumber: number) => Error | undefined;

export class FakeDelivery implements Delivery {
  readonly delivered: DeliveredCall[] = [];
  readonly calls: Array<{ op: 'send' | 'update'; key: string; at: number; failed: boolean }> = [];
  private sequence = 0;
  private readonly perKey = new Map<string, number>();

  constructor(private readonly clock: Clock, public behaviour: Behaviour = () => undefined, private readonly interleave = false) {}

  async send(reference: ConversationReferenceJson, activity: ActivityJson): Promise<{ activityId: string }> {
    const activityId = `act-${++this.sequence}`;
    await this.record('send', reference, activity, activityId);
    return { activityId };
  }

  async update(reference: ConversationReferenceJson, activityId: string, activity: ActivityJson): Promise<void> {
    await this.record('update', reference, activity, activityId);
  }

  count(key: string): number {
    return this.delivered.filter((d) => d.key === key).length;
  }

  private async record(op: 'send' | 'update', reference: ConversationReferenceJson, activity: ActivityJson, activityId: string): Promise<void> {
    if (this.interleave) await yieldToLoop();
    const text = String(activity.text ?? '');
    const key = /\(([^)]+)\)$/.exec(text)?.[1] ?? '?';
    const callNumber = (this.perKey.get(key) ?? 0) + 1;
    this.perKey.set(key, callNumber);
    const error = this.behaviour(op, key, callNumber);
    this.calls.push({ op, key, at: this.clock.now(), failed: Boolean(error) });
    if (error) throw error;
    this.delivered.push({ op, key, conversationId: reference.conversation.id, activityId, at: this.clock.now(), text });
  }
}
