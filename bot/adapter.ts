// The CloudAdapter and its Bot Framework authentication, built from config. With an app id every
// inbound request must carry a valid channel token; without one (local mode) none is checked.
import {
  ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse, type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, type ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from 'pino';
import { isStoreUnavailable } from '../services/db/errors';
import type { Config } from './config';
import { tOf } from './turnLanguage';

export interface AdapterOptions {
  /** Outbound token source; a test seam for the Entra token endpoint, which MSAL only reaches over https. */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

export function authenticationSettings(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  if (config.BotOpenIdMetadata) {
    // Setting any endpoint switches botbuilder to "all endpoints given": keep the public cloud's
    // values for the others and replace only where channel tokens' signing keys are published.
    Object.assign(settings, {
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrlPrefix + (config.MicrosoftAppTenantId ?? AuthenticationConstants.DefaultChannelAuthTenant),
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: config.BotOpenIdMetadata,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    });
  }
  return settings;
}

/** CloudAdapter with its request entry point public, so the server owns parsing and error answers. */
export class BotAdapter extends CloudAdapter {
  processRequest(authorization: string, activity: Activity, logic: (turn: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

export function createAdapter(config: Config, logger: Logger, options: AdapterOptions = {}): BotAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(authenticationSettings(config), options.credentialsFactory);
  const adapter = new BotAdapter(auth);
  adapter.onTurnError = async (turn, error) => {
    // The store being away is expected now and then (a restart, a failover): said plainly, and
    // logged as a warning; the dialog state was not saved, so the user's next message resumes.
    const storeDown = isStoreUnavailable(error);
    const fields = { err: error, activityType: turn.activity.type, conversation: turn.activity.conversation?.id };
    if (storeDown) logger.warn({ ...fields, event: 'turn.store_unavailable' }, 'turn failed: the store is unavailable');
    else logger.error(fields, 'turn failed');
    const t = tOf(turn);
    const text = storeDown ? t('reliability:storeUnavailable') : t('common:unexpectedError');
    try {
      if (turn.activity.type === 'invoke' && turn.activity.name === 'adaptiveCard/action') {
        // A card click answers in its invoke response: the message, as a card action's refusal is shown.
        await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } });
        return;
      }
      if (turn.activity.type !== 'message') return; // other invokes and events have no one to tell
      await turn.sendActivity(text);
    } catch (sendError) {
      logger.warn({ err: sendError }, 'could not tell the user about a failed turn');
    }
  };
  return adapter;
}
