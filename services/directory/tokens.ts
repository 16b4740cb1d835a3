// App-only Graph tokens (OAuth2 client credentials), one per tenant. Tokens are cached until
// shortly before they expire, and callers that ask at the same time share one request, so a burst
// of turns in a new tenant costs one round trip to the token endpoint.
// Neither the secret nor a token is ever logged or put in an error message.
import type { Logger } from 'pino';
import { z } from 'zod';
import { DirectoryError, DirectoryUnavailableError } from './errors';
import type { DirectoryOperation } from './types';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface TokenProviderOptions {
  clientId: string;
  clientSecret: string;
  /** Token endpoint with a {tenant} placeholder. */
  tokenUrlTemplate: string;
  scope?: string;
  logger?: Logger;
  /** Abort a token request after this long (ms). */
  timeoutMs?: number;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is no longer handed out. */
  refreshAt: number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  // v2.0 endpoints send a number, v1.0 a numeric string.
  expires_in: z.coerce.number().positive(),
});

const tokenError = z.object({
  error: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
});

// AADSTS codes meaning "this tenant has not consented to / does not know the app".
const NOT_CONSENTED = new Set([700016, 7000229, 65001, 500011]);
// The secret (or the client id) is wrong or expired.
const CREDENTIALS_REJECTED = new Set([7000215, 7000222, 7000216]);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** A tenant id goes into the token URL, so only a GUID or a domain name is accepted. */
export function isValidTenantId(tenantId: string): boolean {
  return GUID.test(tenantId) || DOMAIN.test(tenantId);
}

export class ClientCredentialsTokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();

  constructor(private readonly options: TokenProviderOptions) {}

  /** A valid access token for the tenant. `operation` only labels errors. */
  async getToken(tenantId: string, operation: DirectoryOperation): Promise<string> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() < cached.refreshAt) return cached.accessToken;
    let pending = this.inFlight.get(tenantId);
    if (!pending) {
      pending = this.fetchToken(tenantId, operation).finally(() => this.inFlight.delete(tenantId));
      this.inFlight.set(tenantId, pending);
    }
    return (await pending).accessToken;
  }

  /** Forgets a tenant's token, e.g. after Graph answered 401 to it. */
  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async fetchToken(tenantId: string, operation: DirectoryOperation): Promise<CachedToken> {
    if (!isValidTenantId(tenantId)) {
      throw new DirectoryError(operation, 'Invalid tenant id for a Graph token', 'unknownOrganisation');
    }
    const url = this.options.tokenUrlTemplate.replace('{tenant}', encodeURIComponent(tenantId));
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope: this.options.scope ?? GRAPH_SCOPE,
    });
    const log = this.options.logger;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      log?.warn({ tenantId, cause: (err as Error).name }, 'graph token endpoint unreachable');
      throw new DirectoryError(operation, 'Token endpoint unreachable', 'signInUnreachable');
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw this.refusal(tenantId, operation, response.status, body);

    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) {
      log?.warn({ tenantId, status: response.status }, 'graph token response malformed');
      throw new DirectoryError(operation, 'Malformed token response', 'badAnswer');
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    // Stop handing a token out 5 minutes before expiry (half its life if it is shorter), so a
    // request never leaves with a token that expires on the way.
    const token = { accessToken: parsed.data.access_token, refreshAt: Date.now() + lifetimeMs - Math.min(300_000, lifetimeMs / 2) };
    this.cache.set(tenantId, token);
    log?.debug({ tenantId, expiresInSeconds: parsed.data.expires_in }, 'graph token obtained');
    return token;
  }

  private refusal(tenantId: string, operation: DirectoryOperation, status: number, body: unknown): DirectoryError {
    const info = tokenError.safeParse(body);
    const error = info.success ? info.data.error : undefined;
    const codes = (info.success && info.data.error_codes) || [];
    // The error code and AADSTS numbers only: error_description can echo request details.
    this.options.logger?.warn({ tenantId, status, error, aadsts: codes }, 'graph token request refused');
    if (codes.some((c) => NOT_CONSENTED.has(c)) || error === 'unauthorized_client') {
      return new DirectoryUnavailableError(operation, 'not-consented', { status, code: error });
    }
    if (codes.some((c) => CREDENTIALS_REJECTED.has(c)) || error === 'invalid_client') {
      return new DirectoryUnavailableError(operation, 'credentials-rejected', { status, code: error });
    }
    return new DirectoryError(operation, `Token request refused (${status} ${error ?? 'unknown'})`, 'signInRefused', { status, code: error });
  }
}
