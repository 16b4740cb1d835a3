// The catalogues stay complete: every English key has a French one with the same placeholders,
// and every key the code asks for exists, so no user ever sees a raw key or a missing value.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BOT_LANGUAGES, CATALOGUES, botLanguage, translator } from '../../i18n';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('i18n catalogues', () => {
  it('every namespace has the same keys and placeholders in every language, none empty', () => {
    for (const [ns, byLanguage] of Object.entries(CATALOGUES)) {
      const english = flatten(byLanguage.en as Tree);
      assert.ok(english.size > 0, `${ns} has no English keys`);
      for (const language of BOT_LANGUAGES) {
        const other = flatten(byLanguage[language] as Tree);
        assert.deepEqual([...other.keys()].sort(), [...english.keys()].sort(), `${language}/${ns}.json has other keys than en`);
        for (const [key, text] of other) {
          assert.ok(text.trim() !== '', `${language} ${ns}:${key} is empty`);
          assert.deepEqual(placeholders(text), placeholders(english.get(key)!), `${language} ${ns}:${key} placeholders differ from English`);
        }
      }
    }
  });

  it('every key the code asks for exists in English', () => {
    const root = join(__dirname, '..', '..');
    const missing: string[] = [];
    for (const folder of ['bot', 'cards', 'dialogs', 'services', 'i18n']) {
      for (const file of sourceFiles(join(root, folder))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z]+):([\w.]+)'/g)) {
          const [, ns, key] = match;
          const catalogue = CATALOGUES[ns];
          if (!catalogue || !flatten(catalogue.en as Tree).has(key) && !flatten(catalogue.en as Tree).has(`${key}_one`)) {
            missing.push(`${file.slice(root.length + 1)}: ${ns}:${key}`);
          }
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('chooses the first language the bot speaks, else English', () => {
    assert.equal(botLanguage('fr'), 'fr');
    assert.equal(botLanguage('de', 'fr-FR'), 'fr');
    assert.equal(botLanguage(undefined, 'fr-ca'), 'fr');
    assert.equal(botLanguage('ja-JP'), 'en');
    assert.equal(botLanguage(), 'en');
  });

  it('translates with values and never returns a raw key for a known one', () => {
    assert.equal(translator('fr')('common:notAvailable', { command: 'users' }), "**users** n'est pas encore disponible dans cette version.");
    assert.equal(translator('en-GB')('common:notAvailable', { command: 'users' }), '**users** is not available in this version yet.');
  });
});
