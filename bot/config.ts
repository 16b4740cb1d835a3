// One place reads the environment. Every variable is validated here, so a bad value stops
// start-up with one line naming it, instead of failing later in a turn.
import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const optionalText = z.string().trim().min(1).optional();
const httpUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'an http(s) URL');
const positiveNumber = (fallback: number) =>
  z.coerce.number({ error: 'a positive number' }).positive('a positive number').default(fallback);
const positiveInt = (fallback: number) =>
  z.coerce.number({ error: 'a positive whole number' }).int('a positive whole number').positive('a positive whole number').default(fallback);

const schema = z
  .object({
    PORT: z.coerce.number({ error: 'a TCP port (0-65535)' }).int('a TCP port (0-65535)').min(0, 'a TCP port (0-65535)').max(65535, 'a TCP port (0-65535)').default(3978),
    /** Address to bind; local mode (no app id) always binds 127.0.0.1. */
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI').optional(),
    EMBEDDED_DB_PATH: optionalText,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    MicrosoftAppId: z.string().trim().regex(GUID, 'the bot app registration id (a GUID)').optional(),
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: z.string().trim().regex(GUID, 'the Entra tenant id (a GUID)').optional(),
    /** Overrides the Bot Framework channel OpenID metadata URL (sovereign clouds, tests). */
    BotOpenIdMetadata: httpUrl.optional(),

    GRAPH_BASE_URL: httpUrl.default('https://graph.microsoft.com/v1.0'),
    GRAPH_TOKEN_URL: z.string().regex(/^https?:\/\/.*\{tenant\}/, 'a token URL containing {tenant}')
      .default('https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token'),
    GRAPH_SENDER_MAILBOX: z.string().trim().email('an e-mail address').optional(),
    TEAMS_CATALOG_APP_ID: optionalText,

    OUTBOX_POLL_MS: positiveInt(1000),
    // Teams allows 1800 operations per hour per conversation: 0.5 per second.
    OUTBOX_PER_CONVERSATION_PER_SECOND: positiveNumber(0.5),
    OUTBOX_GLOBAL_PER_SECOND: positiveNumber(30),
    OUTBOX_MAX_ATTEMPTS: positiveInt(8),
    /** Deliveries in flight at once in one instance (each mostly waits on Teams and the store). */
    OUTBOX_CONCURRENCY: positiveInt(4),

    /** At most this many new MCID associations per MCID per rolling 365 days (seed 004 FAQ 6). */
    MCID_MAX_NEW_LINKS_PER_YEAR: positiveInt(3),
    /** Largest transcript CSV an admin may send in chat, in megabytes. */
    TRANSCRIPT_MAX_FILE_MB: positiveNumber(50),

    /** Abuse limits per user (services/limits): association requests a day (UTC). */
    ASSOCIATION_REQUESTS_PER_DAY: positiveInt(5),
    /** Invitation batches one approver may send an hour. */
    INVITATION_BATCHES_PER_HOUR: positiveInt(20),
    /** One-time code e-mails per person and purpose in any hour (resends included). */
    CODE_SENDS_PER_HOUR: positiveInt(3),

    /** The bot's public https address, for links it hands out (the skills report download). */
    PUBLIC_URL: httpUrl.optional(),
    /** Signs skills report links (HMAC); required outside local mode, at least 32 characters. */
    REPORT_LINK_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    /** A competency catalogue JSON file to use instead of the bundled one. */
    CATALOGUE_FILE: optionalText,

    /** Seed the demo organisation and personas on first start (local mode only). */
    DEMO_SEED: z.enum(['true', 'false'], 'true or false').default('true'),
  })
  .superRefine((env, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      need('MicrosoftAppPassword', `required when MicrosoftAppId is set and MicrosoftAppType is ${env.MicrosoftAppType}`);
    }
    if (env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
      need('MicrosoftAppTenantId', `required when MicrosoftAppType is ${env.MicrosoftAppType} (the Entra tenant id, a GUID)`);
    }
    if (env.MicrosoftAppPassword && !env.MicrosoftAppId) {
      need('MicrosoftAppId', 'required when MicrosoftAppPassword is set (the bot app registration id, a GUID)');
    }
    if (env.MicrosoftAppId && !env.REPORT_LINK_SECRET) {
      need('REPORT_LINK_SECRET', 'required when MicrosoftAppId is set (a random string of at least 32 characters)');
    }
  });

export type RawConfig = z.infer<typeof schema>;

export interface Config extends RawConfig {
  /** No app id: no token checks, bound to 127.0.0.1, the browser chat is served. */
  localMode: boolean;
}

export class ConfigError extends Error {}

/** Validates the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset": .env.example ships blank values.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    const given = present[name] === undefined ? 'missing' : 'invalid';
    throw new ConfigError(`Configuration error: ${name} is ${given}: ${describe(issue)}`);
  }
  const config = parsed.data;
  return { ...config, localMode: !config.MicrosoftAppId, HOST: config.MicrosoftAppId ? config.HOST : '127.0.0.1' };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return issue.message;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map(String).join(', ')}`;
  return `expected ${issue.message}`;
}
