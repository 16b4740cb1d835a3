// CATALOGUE_FILE: a catalogue other than the bundled one is used by the running bot (status
// card, and the rest through the same object); a bad file stops start-up with one line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startBot } from '../../bot/app';
import { ConfigError, loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { adaptiveCards } from '../support/botHarness';
import { PARTNER_ID, startOrgFixture, TENANT } from '../support/orgFixture';
import { certifiedMember } from './fixtures';

const CATALOGUE = {
  version: 'file-test-1',
  competencies: [{
    id: 'modern-work', name: 'Modern Work', levels: [{ id: 'silver', name: 'Silver', options: [{ id: 'm365', name: 'Microsoft 365', model: 'people', requirements: [
      { id: 'admins', description: 'Two Microsoft 365 administrators', people: 2, credentials: ['MS-102'] },
    ] }] }],
  }],
};

describe('competency catalogue from CATALOGUE_FILE', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'catalogue-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('the bot evaluates with the file given', async () => {
    const file = join(dir, 'catalogue.json');
    writeFileSync(file, JSON.stringify(CATALOGUE));
    const fixture = await startOrgFixture({ CATALOGUE_FILE: file });
    try {
      assert.equal(fixture.bot.running.catalogue.version, 'file-test-1');
      await certifiedMember(fixture.db, { orgId: PARTNER_ID, tenantId: TENANT, legalName: 'Fabrikam' }, { aadObjectId: 'ada', mcid: '991000001', codes: ['MS-102'] });
      const text = JSON.stringify(adaptiveCards(await fixture.admin.say('competencies'))[0]);
      assert.match(text, /Modern Work/);
      assert.match(text, /1 more person with MS-102 for Modern Work Silver/);
      assert.doesNotMatch(text, /Cloud Platform/);
    } finally {
      await fixture.close();
    }
  });

  for (const [what, content, message] of [
    ['missing', undefined, /cannot read .*missing\.json \(ENOENT\)/],
    ['not JSON', '{ "version": ', /is not valid JSON/],
    ['a bad catalogue', JSON.stringify({ ...CATALOGUE, competencies: [{ ...CATALOGUE.competencies[0], id: 'Modern Work' }] }), /competencies\[0\]\.id: an id of lower-case letters/],
  ] as const) {
    it(`a file that is ${what} stops start-up with one line naming CATALOGUE_FILE`, async () => {
      const file = join(dir, content === undefined ? 'missing.json' : `${what.replace(/\W/g, '-')}.json`);
      if (content !== undefined) writeFileSync(file, content);
      const config = loadConfig({ CATALOGUE_FILE: file, PORT: '0', DEMO_SEED: 'false' });
      const logger = createLogger('silent', new Writable({ write(_c, _e, done) { done(); } }));
      await assert.rejects(startBot({ config, logger }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /^Configuration error: CATALOGUE_FILE is invalid: Competency catalogue: /);
        assert.match(err.message, message);
        assert.equal(err.message.includes('\n'), false);
        return true;
      });
    });
  }
});
