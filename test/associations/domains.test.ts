import assert from 'node:assert/strict';
import { normaliseDomain, normaliseEmail } from '../../services/organisations/domains';
import { searchKey } from '../../services/organisations/search';

describe('e-mail addresses and domains as pre-approval compares them', () => {
  it('lower-cases, trims and turns international names into punycode', () => {
    assert.equal(normaliseDomain(' Contoso.COM '), 'contoso.com');
    assert.equal(normaliseDomain('bücher.example'), 'xn--bcher-kva.example');
    assert.equal(normaliseEmail('Ann.Lee@Contoso.COM'), 'ann.lee@contoso.com');
  });

  it('refuses what is not a bare domain: schemes, paths, ports, wildcards, single labels', () => {
    for (const bad of ['https://contoso.com', 'contoso.com/x', 'contoso.com:443', '*.contoso.com', 'localhost', 'contoso..com', '-bad.com', 'a b.com', '']) {
      assert.equal(normaliseDomain(bad), undefined, bad);
    }
  });

  it('refuses malformed addresses', () => {
    for (const bad of ['ann', '@contoso.com', 'ann@', 'ann@@contoso.com', '.ann@contoso.com', 'ann..lee@contoso.com', 'ann@contoso', 'a"b@contoso.com']) {
      assert.equal(normaliseEmail(bad), undefined, bad);
    }
  });

  it('compares organisation names without case or accents', () => {
    assert.equal(searchKey('  Société   Générale '), 'societe generale');
  });
});
