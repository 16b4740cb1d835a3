// Report cells open safely in a spreadsheet: quoted where CSV needs it, and never a formula.
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { csvCell, csvLine } from '../../services/reports/csv';

describe('reports: CSV cells', () => {
  it('quotes commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('Hopper, Grace'), '"Hopper, Grace"');
    assert.equal(csvCell('Designing "Azure"'), '"Designing ""Azure"""');
    assert.equal(csvCell('two\r\nlines'), '"two\r\nlines"');
    assert.equal(csvCell(' padded '), '" padded "');
    assert.equal(csvCell(''), '');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(991000001), '991000001');
    assert.equal(csvLine(['a', 'b,c', 'd']), 'a,"b,c",d\r\n');
  });

  it('neutralises cells a spreadsheet would run as a formula with a leading apostrophe', () => {
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('+44 20 7946 0000'), "'+44 20 7946 0000");
    assert.equal(csvCell('-2'), "'-2");
    assert.equal(csvCell('@SUM(A1:A2)'), "'@SUM(A1:A2)");
    assert.equal(csvCell('\t=cmd'), "'\t=cmd");
    assert.equal(csvCell('=HYPERLINK("http://evil.example","click")'), '"\'=HYPERLINK(""http://evil.example"",""click"")"');
    assert.equal(csvCell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
    assert.equal(csvCell('AZ-104'), 'AZ-104', 'a hyphen inside is harmless');
  });

  it('a line reads back as the same cells (apart from the apostrophes)', () => {
    const cells = ['Hopper, Grace', 'say "hi"', 'multi\nline', '=1+1', 'ok'];
    const [row] = parse(csvLine(cells)) as string[][];
    assert.deepEqual(row, ['Hopper, Grace', 'say "hi"', 'multi\nline', "'=1+1", 'ok']);
  });
});
