// A graph-client Client for one tenant. The chain is the library's default (auth, retry on
// 429/503/504 honouring Retry-After, redirect, telemetry, fetch) except the auth step: the
// library's AuthenticationHandler only attaches tokens to https Graph hosts, which would leave a
// configured http base URL (the local fake Graph in tests) unauthenticated. Ours attaches the
// token to any URL on the configured Graph origin, and to nothing else (a redirect or nextLink
// elsewhere never carries the token).
import {
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';

class BearerAuthHandler implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly graphOrigin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const token = new URL(url).origin === this.graphOrigin ? await this.provider.getAccessToken() : undefined;
    const options = (context.options ??= {});
    // The graph-client always passes a plain object; keep it one, with the canonical
    // "Authorization" spelling the RedirectHandler deletes on a cross-host redirect.
    const headers = (options.headers ?? {}) as Record<string, string>;
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    if (token) headers.Authorization = `Bearer ${token}`;
    options.headers = headers;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
  /** Supplies the tenant's token. */
  authProvider: AuthenticationProvider;
  /** Throttling answers asking to wait longer than this are not retried here (a user is waiting). */
  maxRetryAfterSeconds: number;
}

export function createGraphClient(options: GraphClientOptions): Client {
  const base = new URL(options.graphBaseUrl);
  const retry = new RetryHandlerOptions(undefined, undefined, (_delay, _attempt, _request, _options, response) => {
    const retryAfter = Number(response.headers.get('Retry-After') ?? 0);
    return !(retryAfter > options.maxRetryAfterSeconds);
  });
  return Client.initWithMiddleware({
    // Requests use paths relative to the configured base: the client only splits absolute https
    // URLs itself, so "origin" + "path as version" is what works for both http and https.
    baseUrl: base.origin,
    defaultVersion: base.pathname.replace(/^\/+|\/+$/g, ''),
    // The client links these through setNext, in this order.
    middleware: [
      new BearerAuthHandler(options.authProvider, base.origin),
      new RetryHandler(retry),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
  });
}
