import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../bot/logger';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  return { lines, stream: new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }) };
}

describe('logs', () => {
  it('never hold tokens, codes, passwords or full e-mail addresses', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    const err = Object.assign(new Error('no mailbox for ada.lovelace@contoso.com'), { request: { headers: { authorization: 'Bearer eyJsecret' } } });
    logger.info({ headers: { Authorization: 'Bearer eyJabc' }, code: '482913', password: 'hunter2', user: { email: 'ada.lovelace@contoso.com' }, err }, 'sent code to %s', 'grace@fabrikam.com');
    const out = lines.join('');
    for (const secret of ['eyJabc', 'eyJsecret', '482913', 'hunter2', 'ada.lovelace@', 'grace@']) assert.equal(out.includes(secret), false, `${secret} leaked: ${out}`);
    const entry = JSON.parse(lines[0]);
    assert.equal(entry.user.email, 'a***@contoso.com');
    assert.equal(entry.msg, 'sent code to g***@fabrikam.com');
    assert.equal(entry.err.type, 'Error');
  });
});
