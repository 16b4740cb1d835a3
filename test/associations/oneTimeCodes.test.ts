import assert from 'node:assert/strict';
import { ensureIndexes } from '../../services/db/indexes';
import { collections } from '../../services/db/collections';
import { checkCode, CodeLimitError, issueCode, MAX_ATTEMPTS } from '../../services/verification/oneTimeCodes';
import { useStoreSuite } from '../support/store';

const who = { tenantId: 't1', aadObjectId: 'u1' };
const EMAIL = 'ann@contoso.example';

describe('one-time codes for an e-mail address', () => {
  const suite = useStoreSuite();
  before(async () => { await ensureIndexes(suite.db); });

  it('are six digits, stored only as a salted hash, and work once', async () => {
    const code = await issueCode(suite.db, who, 'p1', EMAIL);
    assert.match(code, /^\d{6}$/);
    const stored = JSON.stringify(await suite.db.collection(collections.verificationCodes).findOne({}));
    assert.equal(stored.includes(code), false);
    assert.deepEqual(await checkCode(suite.db, who, 'p1', EMAIL, code), { ok: true });
    assert.equal((await checkCode(suite.db, who, 'p1', EMAIL, code)).ok, false);
  });

  it('belong to one address: the right code for another address fails', async () => {
    const code = await issueCode(suite.db, who, 'p2', EMAIL);
    assert.deepEqual(await checkCode(suite.db, who, 'p2', 'other@contoso.example', code), { ok: false, reason: 'none' });
  });

  it('expire after 10 minutes', async () => {
    const issued = new Date('2026-11-23T10:00:00Z');
    const code = await issueCode(suite.db, who, 'p3', EMAIL, issued);
    assert.deepEqual(await checkCode(suite.db, who, 'p3', EMAIL, code, new Date(issued.getTime() + 10 * 60_000 + 1)), { ok: false, reason: 'expired' });
  });

  it('lock after 5 wrong tries, even for the right code', async () => {
    const code = await issueCode(suite.db, who, 'p4', EMAIL);
    const wrong = code === '123456' ? '654321' : '123456';
    for (let left = MAX_ATTEMPTS - 1; left >= 0; left--) assert.deepEqual(await checkCode(suite.db, who, 'p4', EMAIL, wrong), { ok: false, reason: 'wrong', attemptsLeft: left });
    assert.deepEqual(await checkCode(suite.db, who, 'p4', EMAIL, code), { ok: false, reason: 'locked' });
  });

  it('20 guesses in parallel get at most 5 tries', async () => {
    await issueCode(suite.db, who, 'p5', EMAIL);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => checkCode(suite.db, who, 'p5', EMAIL, String(100000 + i))));
    assert.equal(results.filter((r) => !r.ok && r.reason === 'wrong').length, MAX_ATTEMPTS);
  });

  it('can be sent at most 3 times an hour', async () => {
    const start = new Date('2026-11-23T10:00:00Z');
    for (let i = 0; i < 3; i++) await issueCode(suite.db, who, 'p6', EMAIL, new Date(start.getTime() + i * 60_000));
    await assert.rejects(issueCode(suite.db, who, 'p6', EMAIL, new Date(start.getTime() + 5 * 60_000)), CodeLimitError);
    await issueCode(suite.db, who, 'p6', EMAIL, new Date(start.getTime() + 61 * 60_000));
  });
});
