import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { loadConfig } from '../../bot/config';

describe('.env.example', () => {
  const text = readFileSync('.env.example', 'utf8');
  const values = parse(text);

  it('is a valid configuration as it stands', () => {
    assert.equal(loadConfig(values).localMode, true);
  });

  it('lists every variable the config module reads, each with a comment above it', () => {
    const source = readFileSync('bot/config.ts', 'utf8');
    const read = [...source.matchAll(/^\s{4}(\w+): /gm)].map((m) => m[1]);
    assert.ok(read.length > 10);
    const lines = text.split('\n');
    for (const name of read) {
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      assert.ok(at > 0, `${name} missing from .env.example`);
      assert.match(lines[at - 1], /^#/, `${name} has no comment`);
    }
  });
});
