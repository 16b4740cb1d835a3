// The Delivery port on botbuilder's CloudAdapter: each call opens a proactive turn on the stored
// conversation reference (continueConversationAsync) and posts or replaces one activity there.
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ActivityJson, ConversationReferenceJson } from '../services/outbox/notification';
import type { Delivery } from './delivery';

export interface ProactiveDeliveryOptions {
  /** The bot's app id ('' in local mode, where no token is requested). */
  botAppId: string;
  /**
   * Let the Bot Connector client retry on its own (3 times, honouring Retry-After inside the
   * call). Off by default: the notifier owns retries, so each try is persisted, logged, rate
   * limited and bounded by its lease instead of sleeping inside one HTTP call.
   */
  sdkRetries?: boolean;
}

export class ProactiveDelivery implements Delivery {
  constructor(private readonly adapter: CloudAdapter, private readonly options: ProactiveDeliveryOptions) {}

  async send(reference: ConversationReferenceJson, activity: ActivityJson): Promise<{ activityId: string | undefined }> {
    let activityId: string | undefined;
    await this.inConversation(reference, async (context) => {
      const response = await context.sendActivity(activity as Partial<Activity>);
      activityId = response?.id;
    });
    return { activityId };
  }

  async update(reference: ConversationReferenceJson, activityId: string, activity: ActivityJson): Promise<void> {
    await this.inConversation(reference, async (context) => {
      await context.updateActivity({ ...(activity as Partial<Activity>), id: activityId });
    });
  }

  private async inConversation(reference: ConversationReferenceJson, work: (context: TurnContext) => Promise<void>): Promise<void> {
    // The adapter hands errors thrown in a turn to onTurnError, which logs and swallows them:
    // catch them inside the turn and rethrow outside, so the notifier sees the real failure.
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.options.botAppId, reference as unknown as Partial<ConversationReference>, async (context) => {
      try {
        if (!this.options.sdkRetries) removeSdkRetries(context);
        await work(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}

/**
 * The connector client made for this turn (a new one per proactive turn) is a
 * botbuilder-stdlib ServiceClientContext over an @azure/core-client ServiceClient whose
 * pipeline carries @azure/core-rest-pipeline's 'defaultRetryPolicy'. Neither is public API, so
 * this looks them up defensively: if the shape ever changes, the SDK simply retries as before.
 */
function removeSdkRetries(context: TurnContext): void {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy?: (policy: { name: string }) => unknown } } }
    | undefined;
  connector?.client?.pipeline?.removePolicy?.({ name: 'defaultRetryPolicy' });
}
