// Offline checks of an app package's parts: the manifest against the Teams JSON schema shipped in
// @microsoft/app-manifest (draft-04, so ajv-draft-04), plus the limits bot/commands.ts promises;
// and the icons' sizes and transparency, read from the PNG files themselves.
import { readFileSync } from 'node:fs';
import Ajv04, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { decodePng, PngError, readPngInfo } from './png';

/** The schema version manifest.template.json is written against. */
export const MANIFEST_VERSION = '1.22';

export interface ManifestProblem {
  /** JSON pointer into manifest.json, e.g. /bots/0/commandLists/0/commands/3/title ("/" for the root). */
  path: string;
  message: string;
}

export const SCHEMA_PATH = require.resolve(
  `@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
);

/**
 * What bot/commands.ts promises for each command (CommandSpec): titles of at most 32 characters
 * and descriptions of at most 128, the limits of manifest schemas up to 1.20. Schema 1.21 and
 * later allow more, so the promise is checked here.
 */
const COMMAND_TITLE_MAX = 32;
const COMMAND_DESCRIPTION_MAX = 128;

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv04({ allErrors: true, strictTypes: false });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  }
  return compiled;
}

/** Every problem of the manifest, schema errors first, each with its path; empty when valid. */
export function validateManifest(manifest: unknown): ManifestProblem[] {
  const validate = schemaValidator();
  const problems = validate(manifest) ? [] : (validate.errors ?? []).map(describeSchemaError);
  return [...dedupe(problems), ...commandProblems(manifest)];
}

function describeSchemaError(error: ErrorObject): ManifestProblem {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${at}/${String(params.additionalProperty)}`, message: 'is not allowed here' };
    case 'enum':
      return { path: at || '/', message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path: at || '/', message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { path: at || '/', message: error.message ?? `fails ${error.keyword}` };
  }
}

function dedupe(problems: ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function commandProblems(manifest: unknown): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const bots = (manifest as { bots?: unknown } | null)?.bots;
  if (!Array.isArray(bots)) return problems;
  bots.forEach((bot: { commandLists?: unknown }, b) => {
    if (!Array.isArray(bot?.commandLists)) return;
    bot.commandLists.forEach((list: { commands?: unknown }, l) => {
      if (!Array.isArray(list?.commands)) return;
      const titles = new Set<string>();
      list.commands.forEach((command: { title?: unknown; description?: unknown }, c) => {
        const at = `/bots/${b}/commandLists/${l}/commands/${c}`;
        const { title, description } = command ?? {};
        if (typeof title === 'string') {
          if (title.length > COMMAND_TITLE_MAX) {
            problems.push({ path: `${at}/title`, message: `must NOT have more than ${COMMAND_TITLE_MAX} characters (the limit bot/commands.ts keeps to), has ${title.length}` });
          }
          if (titles.has(title.toLowerCase())) problems.push({ path: `${at}/title`, message: `repeats the command "${title}" in the same list` });
          titles.add(title.toLowerCase());
        }
        if (typeof description === 'string' && description.length > COMMAND_DESCRIPTION_MAX) {
          problems.push({ path: `${at}/description`, message: `must NOT have more than ${COMMAND_DESCRIPTION_MAX} characters (the limit bot/commands.ts keeps to), has ${description.length}` });
        }
      });
    });
  });
  return problems;
}

export interface IconFiles {
  color: Buffer;
  outline: Buffer;
}

/** Teams' icon rules: colour 192×192; outline 32×32, white on a transparent background. */
export function checkIcons(icons: IconFiles, names: { color: string; outline: string } = { color: 'color.png', outline: 'outline.png' }): string[] {
  const problems: string[] = [];
  const sized = (name: string, png: Buffer, size: number) => {
    try {
      const info = readPngInfo(png);
      if (info.width !== size || info.height !== size) problems.push(`${name}: must be ${size}×${size} pixels, is ${info.width}×${info.height}`);
      return info;
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      return undefined;
    }
  };

  sized(names.color, icons.color, 192);
  const outline = sized(names.outline, icons.outline, 32);
  if (outline && !outline.hasAlpha) problems.push(`${names.outline}: must have an alpha channel (white on transparent)`);
  if (outline?.hasAlpha) {
    try {
      const { rgba } = decodePng(icons.outline);
      let opaque = 0;
      let coloured = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) continue;
        opaque++;
        if (rgba[i] !== 255 || rgba[i + 1] !== 255 || rgba[i + 2] !== 255) coloured++;
      }
      if (opaque === 0) problems.push(`${names.outline}: is fully transparent`);
      if (coloured > 0) problems.push(`${names.outline}: must be white on transparent; ${coloured} visible pixels are not white`);
    } catch (err) {
      if (!(err instanceof PngError)) throw err;
      problems.push(`${names.outline}: ${err.message}`);
    }
  }
  return problems;
}
