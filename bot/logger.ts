// Structured logs (pino). Secrets are removed by key wherever they appear, and any e-mail
// address in a logged value or message is masked to its first letter and domain, so a log
// never holds a token, a code, a password or a full address.
import pino, { type Logger, type DestinationStream } from 'pino';

const SECRET_KEYS = /^(authorization|token|access_?token|refresh_?token|id_?token|password|passwd|secret|client_?secret|code|otp|appPassword|MicrosoftAppPassword|cookie|set-cookie)$/i;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

export function maskEmails(text: string): string {
  return text.replace(EMAIL, '$1***@$2');
}

/** A copy of `value` with secret keys replaced and e-mail addresses masked (depth-limited). */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    // Keep the prototype so pino's error serializer still names the class; scrub what it carries
    // (a RestError holds the request, with its Authorization header).
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
    for (const [key, v] of Object.entries(value)) (copy as unknown as Record<string, unknown>)[key] = SECRET_KEYS.test(key) ? '[redacted]' : scrub(v, depth + 1);
    copy.message = maskEmails(value.message);
    copy.stack = value.stack && maskEmails(value.stack);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEYS.test(key) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'mpn-bot' },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        // Messages are free text: mask addresses there too.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskEmails(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export type { Logger };
