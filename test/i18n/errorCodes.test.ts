// Services name refusals and bad values with errors keys written as plain strings
// ('errors:association.alreadyMember', zod messages too), not as t('…') calls; every such key
// must exist, so a user never sees a raw code.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES, translator } from '../../i18n';
import { AssociationRefused } from '../../services/associations/associate';
import { refusalText } from '../../bot/userText';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function has(tree: unknown, path: string): boolean {
  let node = tree;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

describe('errors codes', () => {
  it('every errors key written in the source exists in the errors catalogue', () => {
    const root = join(__dirname, '..', '..');
    const missing: string[] = [];
    let seen = 0;
    for (const folder of ['bot', 'dialogs', 'services', 'cards']) {
      for (const file of sourceFiles(join(root, folder))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/'errors:([\w.]+)'/g)) {
          seen++;
          if (!has(CATALOGUES.errors.en, match[1])) missing.push(`${file.slice(root.length + 1)}: errors:${match[1]}`);
        }
      }
    }
    assert.ok(seen > 40, `found ${seen} codes`);
    assert.deepEqual(missing, []);
  });

  it('a refusal reads as a sentence in each language, with its values', () => {
    const refusal = new AssociationRefused('errors:association.alreadyWaiting', { organisation: 'Contoso' });
    assert.equal(refusalText(translator('en'), refusal), 'You already have a request waiting for Contoso. Type **status** to see it, or cancel it there.');
    assert.equal(refusalText(translator('fr'), refusal), "Vous avez déjà une demande en attente pour Contoso. Tapez **status** pour la voir, ou l'annuler depuis là.");
  });
});
