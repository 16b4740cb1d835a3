// Fills manifest.template.json: the bot id and the URLs from the environment, the app version
// from package.json, and the command lists from bot/commands.ts (the one catalogue the router
// and the help card read too), so Teams suggests exactly the commands the bot answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TeamsManifestV1D22 } from '@microsoft/app-manifest';
import { commandsIn, type CommandScope } from '../bot/commands';

export type TeamsManifest = TeamsManifestV1D22.TeamsManifestV1D22;
export type CommandList = TeamsManifestV1D22.CommandList;
export type PackagingEnv = Record<string, string | undefined>;

export const TEMPLATE_PATH = join(__dirname, 'manifest.template.json');

/** A setting that stops packaging; the message is one line naming it. */
export class PackagingError extends Error {}

/** Used when APP_WEBSITE_URL / APP_PRIVACY_URL / APP_TERMS_URL are unset. */
export const URL_DEFAULTS = {
  APP_WEBSITE_URL: 'https://partner.microsoft.com/',
  APP_PRIVACY_URL: 'https://privacy.microsoft.com/privacystatement',
  APP_TERMS_URL: 'https://www.microsoft.com/legal/terms-of-use',
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Teams wants major.minor.patch, nothing more (the schema's own "semver" definition). */
const TEAMS_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** A host name, optionally with a leading wildcard label: no scheme, port or path. */
const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/i;
const PLACEHOLDER = /\$\{\{(\w+)\}\}/g;
const WHOLE_PLACEHOLDER = /^\$\{\{(\w+)\}\}$/;

/** Empty values count as unset, as in bot/config.ts. */
function setting(env: PackagingEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * The command lists: one for personal chat, and one shared by channels (team) and group chats
 * while those two scopes offer the same commands (a list of their own each if they ever differ).
 */
export function commandLists(): CommandList[] {
  const list = (scopes: CommandScope[]): CommandList => ({
    scopes,
    commands: commandsIn(scopes[0]).map((c) => ({ title: c.title, description: c.description })),
  });
  const names = (scope: CommandScope) => commandsIn(scope).map((c) => c.name).join(' ');
  const group: CommandScope[][] = names('team') === names('groupChat') ? [['team', 'groupChat']] : [['team'], ['groupChat']];
  return [list(['personal']), ...group.map(list)];
}

/** Which URL settings fall back to their defaults (the packaging CLI mentions them). */
export function defaultedUrls(env: PackagingEnv): (keyof typeof URL_DEFAULTS)[] {
  return (Object.keys(URL_DEFAULTS) as (keyof typeof URL_DEFAULTS)[]).filter((name) => !setting(env, name));
}

/**
 * The manifest for this environment and app version. Throws PackagingError, one line naming the
 * setting, when MicrosoftAppId is missing or not a GUID, BOT_DOMAIN is not a bare host name, or
 * the version is not major.minor.patch. Everything else is left to validateManifest.
 */
export function buildManifest(env: PackagingEnv, pkgVersion: string, template: unknown = readTemplate()): TeamsManifest {
  const appId = setting(env, 'MicrosoftAppId');
  if (!appId) {
    throw new PackagingError(
      'MicrosoftAppId is missing: set it to the bot\'s Entra app registration id (a GUID) to package the Teams app.',
    );
  }
  if (!GUID.test(appId)) {
    throw new PackagingError(`MicrosoftAppId is invalid: expected the bot's Entra app registration id (a GUID), got "${appId}".`);
  }
  if (!TEAMS_VERSION.test(pkgVersion)) {
    throw new PackagingError(`package.json version "${pkgVersion}" is not a Teams app version: use major.minor.patch, e.g. 1.0.0.`);
  }
  const domain = setting(env, 'BOT_DOMAIN');
  if (domain !== undefined && !HOST_NAME.test(domain)) {
    throw new PackagingError(
      `BOT_DOMAIN is invalid: give the bot's host name only, e.g. mpn-bot.azurewebsites.net (no https://, port or path), got "${domain}".`,
    );
  }

  const values: Record<string, unknown> = {
    MicrosoftAppId: appId,
    APP_VERSION: pkgVersion,
    APP_WEBSITE_URL: setting(env, 'APP_WEBSITE_URL') ?? URL_DEFAULTS.APP_WEBSITE_URL,
    APP_PRIVACY_URL: setting(env, 'APP_PRIVACY_URL') ?? URL_DEFAULTS.APP_PRIVACY_URL,
    APP_TERMS_URL: setting(env, 'APP_TERMS_URL') ?? URL_DEFAULTS.APP_TERMS_URL,
    COMMAND_LISTS: commandLists(),
    VALID_DOMAINS: domain ? [domain.toLowerCase()] : [],
  };
  return fill(template, values) as TeamsManifest;
}

export function readTemplate(path = TEMPLATE_PATH): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Replaces ${{NAME}} placeholders in every string of the template. A string that is exactly one
 * placeholder takes the value as it is (an array, say); inside a longer string the value must be
 * text. A placeholder without a value is a mistake in the template and stops packaging.
 */
export function fill(template: unknown, values: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(template);
    if (whole) return valueOf(whole[1], values);
    return template.replace(PLACEHOLDER, (_, name: string) => {
      const value = valueOf(name, values);
      if (typeof value !== 'string') throw new PackagingError(`manifest.template.json: \${{${name}}} is not text and cannot sit inside a string.`);
      return value;
    });
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, values));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, item]) => [key, fill(item, values)]));
  }
  return template;
}

function valueOf(name: string, values: Record<string, unknown>): unknown {
  if (!Object.hasOwn(values, name)) throw new PackagingError(`manifest.template.json: the placeholder \${{${name}}} has no value.`);
  return values[name];
}
