// What a failed delivery means for the next try. The Bot Connector client (botframework-connector
// on @azure/core-client) throws a RestError: `statusCode`, and `response.headers` as an
// HttpHeaders object (case-insensitive `get`). The response is a non-enumerable property, so it
// must be read directly, never found by spreading the error. Network failures carry a `code`
// (ECONNRESET, …) and no status.
export type FailureClass =
  /** 429: wait at least retryAfterMs (when Teams said), then try again; not the message's fault. */
  | { kind: 'throttled'; status: number; retryAfterMs?: number }
  /** 5xx, timeouts, network errors, anything unknown: back off and try again, up to the limit. */
  | { kind: 'transient'; status?: number; retryAfterMs?: number }
  /** The conversation cannot take it, now or later: 403 bot blocked / removed, 404 conversation gone, 400 bad activity. */
  | { kind: 'permanent'; status: number };

/** 4xx statuses that are worth another try (credentials being rotated, conflicts, Teams' 412). */
const RETRYABLE_4XX = new Set([401, 408, 409, 412, 425]);

export function classifyDeliveryError(err: unknown, now: number = Date.now()): FailureClass {
  const status = statusOf(err);
  if (status === 429) return { kind: 'throttled', status, retryAfterMs: retryAfterMs(err, now) };
  if (status !== undefined && status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) return { kind: 'permanent', status };
  if (status === 503) return { kind: 'transient', status, retryAfterMs: retryAfterMs(err, now) };
  return { kind: 'transient', status };
}

function statusOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const value of [e.statusCode, e.status, e.response?.status]) if (typeof value === 'number' && value >= 100) return value;
  return undefined;
}

/**
 * Retry-After in ms, from `retry-after-ms` / `x-ms-retry-after-ms` (ms) or `Retry-After` (seconds,
 * or an HTTP date), as @azure/core-rest-pipeline's own throttling policy reads them.
 */
export function retryAfterMs(err: unknown, now: number = Date.now()): number | undefined {
  const headers = (err as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  const read = (name: string): string | undefined => {
    if (!headers || typeof headers !== 'object') return undefined;
    const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
    const value = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
    return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  };
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(read(name));
    if (read(name) && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  }
  const value = read('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
