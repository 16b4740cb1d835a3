// `npm run package`: builds the Teams app package build/appPackage.zip from the manifest template,
// the environment (.env is read too) and bot/commands.ts, after checking the manifest against the
// Teams schema and the icons' sizes, all offline. Every problem is printed; any stops it (exit 1).
//   npm run package [-- --out path/to/appPackage.zip]
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { config as readDotEnv } from 'dotenv';
import { buildManifest, defaultedUrls, PackagingError, type PackagingEnv, type TeamsManifest } from './buildManifest';
import { checkIcons, MANIFEST_VERSION, validateManifest, type IconFiles, type ManifestProblem } from './validate';
import { writePackage } from './writePackage';

export { buildManifest, commandLists, PackagingError, type PackagingEnv, type TeamsManifest } from './buildManifest';
export { checkIcons, validateManifest, type ManifestProblem } from './validate';
export { writePackage } from './writePackage';

const ROOT = resolve(__dirname, '..');
export const DEFAULT_OUT_FILE = join(ROOT, 'build', 'appPackage.zip');

/** The package was not written: each problem is one line. */
export class InvalidPackageError extends PackagingError {
  constructor(headline: string, readonly problems: string[]) {
    super(`${headline} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export function formatProblem(problem: ManifestProblem): string {
  return `${problem.path}: ${problem.message}`;
}

export function readPackageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface PackageOptions {
  env: PackagingEnv;
  outFile?: string;
  /** Where the icons named in the manifest are (default: this folder). */
  iconDir?: string;
  pkgVersion?: string;
}

export interface PackageResult {
  outFile: string;
  manifest: TeamsManifest;
  entries: string[];
}

/** Build, validate, check the icons, write the zip; throws PackagingError and writes nothing on any problem. */
export function packageApp(options: PackageOptions): PackageResult {
  const outFile = resolve(options.outFile ?? DEFAULT_OUT_FILE);
  const iconDir = options.iconDir ?? __dirname;
  const manifest = buildManifest(options.env, options.pkgVersion ?? readPackageVersion());

  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new InvalidPackageError('manifest.json is not valid', problems.map(formatProblem));

  const icons: IconFiles = { color: readIcon(iconDir, manifest.icons.color), outline: readIcon(iconDir, manifest.icons.outline) };
  const iconProblems = checkIcons(icons, manifest.icons);
  if (iconProblems.length > 0) throw new InvalidPackageError('The icons are not valid', iconProblems);

  return { outFile, manifest, entries: writePackage(outFile, manifest, icons) };
}

function readIcon(dir: string, name: string): Buffer {
  try {
    return readFileSync(join(dir, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new PackagingError(`${join(relative(process.cwd(), dir) || '.', name)} is missing: draw the icons with npx tsx manifest/drawIcons.ts.`);
  }
}

/** The CLI: returns the exit code. */
export function main(argv: string[], env: PackagingEnv = process.env): number {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const fail = (text: string) => {
    process.stderr.write(`${text}\n`);
    return 1;
  };

  let outFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) outFile = argv[++i];
    else return fail(`Unknown argument "${argv[i]}". Usage: npm run package [-- --out path/to/appPackage.zip]`);
  }

  try {
    const { outFile: written, manifest } = packageApp({ env, outFile });
    const shown = relative(process.cwd(), written).startsWith('..') ? written : relative(process.cwd(), written);
    const lists = (manifest.bots?.[0]?.commandLists ?? []).map((l) => `${l.commands.length} for ${l.scopes.join(' + ')}`);
    out(`Wrote ${shown}: ${manifest.name.short} ${manifest.version} (manifest ${MANIFEST_VERSION}) for bot ${manifest.id}; commands: ${lists.join(', ')}.`);
    const defaulted = defaultedUrls(env);
    if (defaulted.length > 0) {
      out(`Note: ${defaulted.join(', ')} ${defaulted.length === 1 ? 'is' : 'are'} unset, so the package links to Microsoft's general pages; set your organisation's own before publishing.`);
    }
    out('Upload it in the Teams admin center or the Teams Developer Portal: see docs/deploy.md.');
    return 0;
  } catch (err) {
    if (err instanceof PackagingError) return fail(err.message);
    throw err;
  }
}

if (require.main === module) {
  readDotEnv({ quiet: true });
  process.exitCode = main(process.argv.slice(2));
}
