// The Teams app package: `npm run package` run for real into a temporary folder, the zip opened
// and its manifest and icons checked against the Teams schema and bot/commands.ts.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { strFromU8, unzipSync } from 'fflate';
import { commandsIn, type CommandScope } from '../../bot/commands';
import {
  buildManifest,
  checkIcons,
  InvalidPackageError,
  packageApp,
  PackagingError,
  validateManifest,
  type TeamsManifest,
} from '../../manifest/package';
import { SCHEMA_PATH } from '../../manifest/validate';
import { drawColorIcon, drawOutlineIcon } from '../../manifest/drawIcons';
import { decodePng, encodePng, readPngInfo } from '../../manifest/png';

const ROOT = resolve(__dirname, '../..');
const SCRIPT = join(ROOT, 'manifest', 'package.ts');
const BOT_ID = '3f2c8a51-7d4e-4b8a-9c1f-0a6b5e4d3c21';
const SCOPES: CommandScope[] = ['personal', 'team', 'groupChat'];

/** The packaging settings, all blank unless given, so a developer's own environment cannot leak in. */
function packagingEnv(given: Record<string, string>): NodeJS.ProcessEnv {
  const blank = { MicrosoftAppId: '', BOT_DOMAIN: '', APP_WEBSITE_URL: '', APP_PRIVACY_URL: '', APP_TERMS_URL: '' };
  return { ...process.env, ...blank, ...given };
}

/** Runs `npm run package` (the same script, through tsx) in `cwd`, writing to `out`. */
function runPackaging(cwd: string, out: string, env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), SCRIPT, '--out', out], {
    cwd,
    env: packagingEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** What the script itself printed on stderr (Node's own warnings, if any, left out). */
function errorLines(run: SpawnSyncReturns<string>): string[] {
  return run.stderr.split('\n').filter((line) => line.trim() !== '' && !/^\(node:\d+\)|^\(Use `node --trace/.test(line));
}

function refusal(run: () => unknown): PackagingError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof PackagingError, `expected a PackagingError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected packaging to be refused');
}

const someManifest = (): TeamsManifest => buildManifest({ MicrosoftAppId: BOT_ID }, '1.0.0');

describe('Teams app package (npm run package)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mpn-app-package-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('packaged with a bot id', () => {
    let run: SpawnSyncReturns<string>;
    let zip: Record<string, Uint8Array>;
    let manifest: TeamsManifest;

    before(() => {
      const out = join(dir, 'ok', 'appPackage.zip');
      run = runPackaging(dir, out, { MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'mpn-bot.example.com' });
      assert.equal(run.status, 0, `packaging failed:\n${run.stdout}${run.stderr}`);
      zip = unzipSync(readFileSync(out));
      manifest = JSON.parse(strFromU8(zip['manifest.json'])) as TeamsManifest;
    });

    it('says where it wrote the package and exits 0', () => {
      assert.match(run.stdout, /^Wrote .*appPackage\.zip: MPN Association /m);
      assert.deepEqual(errorLines(run), []);
    });

    it('holds exactly manifest.json, color.png and outline.png at the root of the zip', () => {
      assert.deepEqual(Object.keys(zip).sort(), ['color.png', 'manifest.json', 'outline.png']);
      assert.deepEqual(manifest.icons, { color: 'color.png', outline: 'outline.png' });
    });

    it('uses the given MicrosoftAppId as the app id and the bot id, and the version of package.json', () => {
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.equal(manifest.id, BOT_ID);
      assert.equal(manifest.bots?.length, 1);
      assert.equal(manifest.bots?.[0].botId, BOT_ID);
      assert.equal(manifest.webApplicationInfo?.id, BOT_ID);
      assert.equal(manifest.version, version);
      assert.deepEqual(manifest.validDomains, ['mpn-bot.example.com']);
    });

    it('names the product and offers the bot in personal chat, channels and group chats, with files (transcript CSVs)', () => {
      assert.deepEqual(manifest.name, { short: 'MPN Association', full: 'MPN Association Bot' });
      assert.deepEqual([...(manifest.bots?.[0].scopes ?? [])].sort(), [...SCOPES].sort());
      assert.equal(manifest.bots?.[0].supportsFiles, true);
      assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/, 'a template placeholder was left unfilled');
    });

    it('validates against the Teams JSON schema shipped in @microsoft/app-manifest', () => {
      const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { properties: { manifestVersion: { const: string } } };
      assert.equal(manifest.manifestVersion, schema.properties.manifestVersion.const);
      assert.ok(Number(manifest.manifestVersion.split('.')[1]) >= 19, 'a manifest version Teams still accepts (1.19 or later)');
      // The schema on its own, compiled here, not through the packaging code.
      const ajv = new Ajv04({ allErrors: true, strictTypes: false });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      assert.equal(validate(manifest), true, JSON.stringify(validate.errors, null, 2));
      assert.deepEqual(validateManifest(manifest), []);
    });

    it('lists, for every scope, exactly the commands bot/commands.ts offers there, in the same order', () => {
      const lists = manifest.bots?.[0].commandLists ?? [];
      for (const scope of SCOPES) {
        const forScope = lists.filter((l) => l.scopes.includes(scope));
        assert.equal(forScope.length, 1, `one command list for ${scope}`);
        const expected = commandsIn(scope).map((c) => ({ title: c.title, description: c.description }));
        assert.ok(expected.length > 0);
        assert.deepEqual(forScope[0].commands, expected, `commands for ${scope}`);
      }
      const listed = lists.flatMap((l) => l.scopes);
      assert.equal(new Set(listed).size, listed.length, 'no scope is listed twice');
    });

    it('ships a 192×192 colour icon and a 32×32 outline icon that is white on transparent', () => {
      const color = readPngInfo(Buffer.from(zip['color.png']));
      assert.deepEqual([color.width, color.height], [192, 192]);

      const outline = readPngInfo(Buffer.from(zip['outline.png']));
      assert.deepEqual([outline.width, outline.height], [32, 32]);
      assert.equal(outline.hasAlpha, true);
      assert.ok([4, 6].includes(outline.colorType), `colour type ${outline.colorType} has no alpha channel`);

      const { rgba } = decodePng(Buffer.from(zip['outline.png']));
      let transparent = 0;
      let white = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) transparent++;
        else if (rgba[i] === 255 && rgba[i + 1] === 255 && rgba[i + 2] === 255) white++;
        else assert.fail(`outline pixel ${i / 4} is visible and not white`);
      }
      assert.ok(transparent > 0 && white > 0, 'the outline has both a transparent background and a white glyph');
    });
  });

  it('the committed icons are the ones manifest/drawIcons.ts draws, and they pass the icon checks', () => {
    const drawn = { color: drawColorIcon(), outline: drawOutlineIcon() };
    assert.deepEqual(checkIcons(drawn), []);
    for (const name of ['color', 'outline'] as const) {
      const committed = decodePng(readFileSync(join(ROOT, 'manifest', `${name}.png`)));
      assert.deepEqual(committed, decodePng(drawn[name]), `manifest/${name}.png differs from what drawIcons.ts draws`);
    }
  });

  describe('refusals', () => {
    it('without MicrosoftAppId: exit 1, one line naming the variable, and no package', () => {
      const out = join(dir, 'no-id', 'appPackage.zip');
      const run = runPackaging(dir, out, {});
      assert.equal(run.status, 1);
      const lines = errorLines(run);
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], /^MicrosoftAppId is missing/);
      assert.equal(existsSync(out), false);
    });

    it('a MicrosoftAppId that is not a GUID or a BOT_DOMAIN with a scheme is refused by name', () => {
      assert.match(refusal(() => buildManifest({ MicrosoftAppId: 'my-bot' }, '1.0.0')).message, /^MicrosoftAppId is invalid/);
      assert.match(
        refusal(() => buildManifest({ MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'https://mpn-bot.example.com/' }, '1.0.0')).message,
        /^BOT_DOMAIN is invalid/,
      );
      assert.match(refusal(() => buildManifest({ MicrosoftAppId: BOT_ID }, '1.0.0-beta.1')).message, /package\.json version/);
    });

    it('a 40-character command title is refused by validation, with its path', () => {
      const manifest = someManifest();
      manifest.bots![0].commandLists![0].commands[2].title = 'a'.repeat(40);
      const problems = validateManifest(manifest);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].path, '/bots/0/commandLists/0/commands/2/title');
      assert.match(problems[0].message, /32 characters/);
    });

    it('schema errors are all reported, each with its path', () => {
      const manifest = someManifest() as TeamsManifest & Record<string, unknown>;
      manifest.name.short = 'MPN Association Bot for Partners'; // 32 > 30
      manifest.accentColor = 'blue';
      manifest.bots![0].commandLists![1].commands[0].title = 'b'.repeat(129); // over the schema's 128
      manifest.colour = '#0F6CBD'; // no such property
      const paths = validateManifest(manifest).map((p) => p.path);
      for (const path of ['/name/short', '/accentColor', '/bots/0/commandLists/1/commands/0/title', '/colour']) {
        assert.ok(paths.includes(path), `${path} not reported in ${JSON.stringify(paths)}`);
      }
    });

    it('a schema error stops the command line with exit 1, printing the path, and writes nothing', () => {
      const out = join(dir, 'bad-url', 'appPackage.zip');
      const run = runPackaging(dir, out, { MicrosoftAppId: BOT_ID, APP_WEBSITE_URL: `https://example.com/${'x'.repeat(2100)}` });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /^manifest\.json is not valid \(1 problem\):\n {2}\/developer\/websiteUrl: must NOT have more than 2048 characters$/m);
      assert.equal(existsSync(out), false);
    });

    it('icons of the wrong size or a coloured outline are refused and no package is written', () => {
      const square = (size: number, rgba: [number, number, number, number]) =>
        encodePng({ width: size, height: size, rgba: new Uint8Array(size * size * 4).map((_, i) => rgba[i % 4]) });
      assert.deepEqual(checkIcons({ color: square(192, [15, 108, 189, 255]), outline: square(32, [255, 255, 255, 255]) }), []);

      const iconDir = join(dir, 'bad-icons');
      mkdirSync(iconDir, { recursive: true });
      writeFileSync(join(iconDir, 'color.png'), square(96, [15, 108, 189, 255]));
      writeFileSync(join(iconDir, 'outline.png'), square(32, [200, 0, 0, 255]));
      const out = join(dir, 'bad-icons', 'appPackage.zip');
      const err = refusal(() => packageApp({ env: { MicrosoftAppId: BOT_ID }, outFile: out, iconDir }));
      assert.ok(err instanceof InvalidPackageError);
      assert.deepEqual(err.problems, [
        'color.png: must be 192×192 pixels, is 96×96',
        'outline.png: must be white on transparent; 1024 visible pixels are not white',
      ]);
      assert.equal(existsSync(out), false);
    });
  });
});
