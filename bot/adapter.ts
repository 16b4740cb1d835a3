// The CloudAdapter and its Bot Framework authentication, built from config. With an app id every
// inbound request must carry a valid channel token; without one (local mode) none is checked.
import {
  CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse, type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, type ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from 'pino';
import type { Config } from './config';

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
    logger.error({ err: error, activityType: turn.activity.type, conversation: turn.activity.conversation?.id }, 'turn failed');
    if (turn.activity.type !== 'message') return; // invokes answer through their response; other events have no one to tell
    try {
      await turn.sendActivity('Sorry, something went wrong on my side. Nothing you entered was lost: please try again in a moment.');
    } catch (sendError) {
      logger.warn({ err: sendError }, 'could not tell the user about a failed turn');
    }
  };
  return adapter;
}
