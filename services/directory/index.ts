// The directory port's entry point: createDirectory() picks the Graph implementation when the
// bot has Graph credentials and the degraded one when it has none. Config code maps environment
// variables onto DirectoryOptions; nothing here reads the environment.
import type { Logger } from 'pino';
import { GraphDirectory } from './graphDirectory';
import { UnavailableDirectory } from './unavailableDirectory';
import type { Directory } from './types';

export interface DirectoryOptions {
  /** The bot's Entra app registration (client) id. */
  clientId?: string;
  /** Its client secret. Without id and secret the directory is unavailable. */
  clientSecret?: string;
  /** Token endpoint with a {tenant} placeholder; default the public Entra endpoint. */
  tokenUrlTemplate?: string;
  /** Default https://graph.microsoft.com/v1.0. */
  graphBaseUrl?: string;
  /** Mailbox (UPN or id) mail is sent from; without it sendMail is unavailable. */
  senderMailbox?: string;
  /** The bot's app id in the Teams app catalog; without it app installation is unavailable. */
  teamsCatalogAppId?: string;
  logger?: Logger;
  /** Throttling answers asking to wait longer than this fail at once (default 30 s). */
  maxRetryAfterSeconds?: number;
}

export const DEFAULT_TOKEN_URL_TEMPLATE = 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

export function createDirectory(options: DirectoryOptions = {}): Directory {
  const clientId = options.clientId?.trim();
  const clientSecret = options.clientSecret;
  if (!clientId || !clientSecret) {
    options.logger?.info('no Microsoft Graph credentials: directory features are unavailable');
    return new UnavailableDirectory();
  }
  const tokenUrlTemplate = options.tokenUrlTemplate ?? DEFAULT_TOKEN_URL_TEMPLATE;
  if (!tokenUrlTemplate.includes('{tenant}')) throw new TypeError('tokenUrlTemplate must contain {tenant}');
  return new GraphDirectory({
    clientId,
    clientSecret,
    tokenUrlTemplate,
    graphBaseUrl: options.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL,
    senderMailbox: options.senderMailbox?.trim() || undefined,
    teamsCatalogAppId: options.teamsCatalogAppId?.trim() || undefined,
    logger: options.logger,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds,
  });
}

export * from './types';
export * from './errors';
export { GraphDirectory, type GraphDirectoryOptions } from './graphDirectory';
export { UnavailableDirectory } from './unavailableDirectory';
export { odataString } from './odata';
