// The competency catalogue is data: the shipped sample loads, and a mistake in a catalogue file
// is reported with its place.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CatalogueError, countsAt, defaultCatalogue, loadCatalogueFile, parseCatalogue } from '../../services/competencies/catalogue';

describe('competencies: the catalogue', () => {
  it('the shipped sample describes both models: people per level and option, and points with caps and a threshold', () => {
    const catalogue = defaultCatalogue();
    assert.deepEqual(catalogue.competencies.map((c) => c.name), [
      'Cloud Platform', 'Application Development', 'Data Analytics', 'Security', 'Solutions Partner for Infrastructure (Azure)',
    ]);
    const cloud = catalogue.competencies[0];
    assert.deepEqual(cloud.levels.map((l) => l.name), ['Silver', 'Gold']);
    const silver = cloud.levels[0].options[0];
    assert.equal(silver.model, 'people');
    const retired = silver.model === 'people' ? silver.requirements[0].credentials.find((c) => c.code === '70-533') : undefined;
    assert.equal(retired?.countsUntil, '2027-01-31');
    assert.ok(retired && countsAt(retired, new Date('2027-01-31T23:59:59Z')) && !countsAt(retired, new Date('2027-02-01T00:00:00Z')));
    const designation = catalogue.competencies[4].levels[0].options[0];
    assert.equal(designation.model, 'points');
    assert.equal(designation.model === 'points' && designation.threshold, 70);
    assert.deepEqual(designation.model === 'points' && designation.rules.map((r) => [r.id, r.pointsPerPerson, r.maxPoints]), [['intermediate', 10, 40], ['advanced', 20, 60]]);
    for (const code of ['AZ-104', 'AZ-305', 'AZ-204', 'DP-203', 'PL-300', 'SC-200', 'SC-100', 'AZ-500', '70-533']) {
      assert.ok(catalogue.uses.has(`exam:${code}`), code);
    }
  });

  it('a mistake is reported with its place in the file', () => {
    const base = () => ({ version: 'x', competencies: [{ id: 'a', name: 'A', levels: [{ id: 'l', name: 'L', options: [
      { model: 'points', id: 'o', name: 'O', threshold: 70, rules: [{ id: 'r', description: 'R', pointsPerPerson: 10, maxPoints: 40, credentials: ['AZ-104'] }] },
    ] }] }] });
    assert.throws(() => parseCatalogue(base()), (e: unknown) => e instanceof CatalogueError && /options\[0\]\.threshold: the threshold 70 is above the 40 points/.test(e.message));
    const badDate = base();
    (badDate.competencies[0].levels[0].options[0].rules[0] as { credentials: unknown[] }).credentials = [{ code: '70-533', countsUntil: '2026-02-30' }];
    assert.throws(() => parseCatalogue(badDate), /rules\[0\]\.credentials\[0\]\.countsUntil: a real day/);
    const twice = base();
    twice.competencies.push({ ...twice.competencies[0] });
    assert.throws(() => parseCatalogue(twice), /competencies\[1\]\.id: competency id "a" is used twice/);
    assert.throws(() => parseCatalogue({ version: 'x', competencies: [{ id: 'a', name: 'A', levels: [{ id: 'l', name: 'L', options: [{ model: 'votes' }] }] }] }), /options\[0\]/);
  });

  it('a catalogue file can replace the sample without a release; an unreadable or invalid file says why', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'catalogue-'));
    const file = path.join(dir, 'catalogue.json');
    writeFileSync(file, JSON.stringify({ version: '2027-01', competencies: [{ id: 'ai', name: 'AI', levels: [{ id: 'silver', name: 'Silver', options: [
      { model: 'people', id: 'ai', name: 'AI', requirements: [{ id: 'p', description: 'Two AI engineers', people: 2, credentials: ['ai-102'] }] },
    ] }] }] }));
    const catalogue = await loadCatalogueFile(file);
    assert.equal(catalogue.version, '2027-01');
    assert.ok(catalogue.uses.has('exam:AI-102'), 'codes are upper-cased');
    await assert.rejects(loadCatalogueFile(path.join(dir, 'missing.json')), /cannot read .*missing\.json \(ENOENT\)/);
    writeFileSync(file, '{ not json');
    await assert.rejects(loadCatalogueFile(file), /is not valid JSON/);
  });
});
