// Abuse limits (issue 7): one-time codes lock after 5 wrong tries (e-mail proof and MCID), and
// association requests, invitation batches and code e-mails are limited per user, with the
// numbers taken from configuration. End to end through the bot with small configured limits,
// and the counter itself against the store (windows, parallel use, its TTL index).
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { collections } from '../../services/db/collections';
import { consumeLimit, HOUR_MS } from '../../services/limits/rateLimit';
import { memberId } from '../../services/people/members';
import { loadConfig } from '../../bot/config';
import { abuseLimitsOf } from '../../bot/limits';
import { importRecords } from '../competencies/fixtures';
import type { TeamsUser } from '../support/botHarness';
import { PARTNER_ID, startOrgFixture, TENANT, texts, type OrgFixture } from '../support/orgFixture';

describe('abuse limits', function () {
  this.timeout(30_000);
  let fixture: OrgFixture;

  before(async () => {
    fixture = await startOrgFixture({ ASSOCIATION_REQUESTS_PER_DAY: '2', INVITATION_BATCHES_PER_HOUR: '2', CODE_SENDS_PER_HOUR: '2' });
  });
  after(async () => { await fixture?.close(); });

  /** The last code local mode printed for a masked address. */
  function lastCodeFor(masked: string): string {
    const line = [...fixture.bot.printed].reverse().find((l) => l.includes(`for ${masked}:`));
    const code = /: (\d{6})$/.exec(line ?? '')?.[1];
    assert.ok(code, `a code was printed for ${masked}: ${fixture.bot.printed.join(' | ')}`);
    return code;
  }

  /** Five wrong codes in a row, each answered with the tries left; then even the right one is refused. */
  async function fiveWrongThenLocked(user: TeamsUser, code: string): Promise<string> {
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) assert.match(texts(await user.say(wrong)), new RegExp(`not right\\. ${left} tr(y|ies) left`));
    return texts(await user.say(code));
  }

  async function associateUpToConfirm(user: TeamsUser, email: string): Promise<Activity[]> {
    await user.say('associate');
    await user.say(PARTNER_ID);
    return (await user.submit({ form: 'association.profile', displayName: user.account.name, email, phone: '', language: 'en', mcid: '' })).replies;
  }

  it('the configured numbers are the ones in force (defaults 5 a day, 20 an hour, 3 an hour)', () => {
    const defaults = abuseLimitsOf(loadConfig({}));
    assert.deepEqual([defaults.associationRequests.max, defaults.invitationBatches.max, defaults.codeSends.max], [5, 20, 3]);
    assert.throws(() => loadConfig({ CODE_SENDS_PER_HOUR: '0' }), /CODE_SENDS_PER_HOUR is invalid: expected a positive whole number/);
  });

  it('an e-mail code locks after 5 wrong tries; resends stop at the configured number with the time to come back', async () => {
    const carl = fixture.person('Carl Prover', 'carl@fabrikam.example');
    assert.match(texts(await associateUpToConfirm(carl, 'carl.private@fabrikam.example')), /sent a 6-digit code/);
    assert.match(texts(await carl.say('resend')), /I sent a new code to carl\.private@fabrikam\.example/);
    assert.match(texts(await carl.say('resend')), /I have already sent 2 codes in the last hour\. You can ask for a new one after \d\d:\d\d UTC/);
    assert.match(await fiveWrongThenLocked(carl, lastCodeFor('c***@fabrikam.example')), /Too many wrong codes/);
    await carl.say('cancel');
    assert.equal(await fixture.db.collection(collections.associationRequests).countDocuments({ 'requester.aadObjectId': carl.account.aadObjectId }), 0);
  });

  it('an MCID code locks after 5 wrong tries, and its resends are limited too', async () => {
    const mia = fixture.person('Mia Member', 'mia@fabrikam.example');
    await fixture.db.collection(collections.members).insertOne({
      _id: memberId(TENANT, mia.account.aadObjectId!) as never, tenantId: TENANT, orgId: PARTNER_ID, aadObjectId: mia.account.aadObjectId, email: mia.account.email,
      displayName: mia.account.name, roles: [], contactTypes: [], status: 'associated', associatedAt: new Date(),
    });
    await importRecords(fixture.db, [{ mcid: '881000201', code: 'AZ-104', email: 'mia.cert@learn.example', name: 'Mia Member' }]);
    assert.match(texts(await mia.say('link certification 881000201')), /6-digit code/);
    assert.match(texts(await mia.say('resend')), /m\*\*\*@learn\.example/);
    assert.match(texts(await mia.say('resend')), /I have already sent 2 codes in the last hour/);
    assert.match(await fiveWrongThenLocked(mia, lastCodeFor('m***@learn.example')), /Too many wrong codes/);
    await mia.say('cancel');
    assert.equal((await fixture.db.collection(collections.mcids).findOne({ _id: '881000201' as never }))?.linked, undefined);
  });

  it('association requests: the third of the day is refused with the time the next is allowed', async () => {
    const ola = fixture.person('Ola Outsider', 'ola@outside.example');
    for (let i = 0; i < 2; i++) {
      await associateUpToConfirm(ola, 'ola@outside.example');
      assert.match(texts(await ola.say('Yes')), /sent to your organisation's program administrator|waiting/i);
      const request = await fixture.db.collection(collections.associationRequests).findOne({ 'requester.aadObjectId': ola.account.aadObjectId, status: 'pending' });
      assert.equal((await ola.execute('association.cancel', { requestId: request!._id })).status, 200);
    }
    await associateUpToConfirm(ola, 'ola@outside.example');
    assert.match(texts(await ola.say('Yes')), /You have already sent 2 association requests today, the most allowed\. You can send another after 00:00 UTC/);
    assert.equal(await fixture.db.collection(collections.associationRequests).countDocuments({ 'requester.aadObjectId': ola.account.aadObjectId }), 2);
  });

  it('invitations: the third batch of the hour is refused and nothing is stored for it', async () => {
    const { ppc, db } = fixture;
    for (const n of [1, 2]) assert.match(texts(await ppc.say(`invite batch${n}@fabrikam.example --no-teams --no-email`)), /join [A-Z0-9]{10}/);
    const third = texts(await ppc.say('invite batch3@fabrikam.example --no-teams --no-email'));
    assert.match(third, /You have already sent 2 batches of invitations this hour, the most allowed\. You can send more after \d\d:00 UTC/);
    assert.doesNotMatch(third, /join [A-Z0-9]{10}/);
    assert.equal(await db.collection(collections.invitations).countDocuments({ email: 'batch3@fabrikam.example' }), 0);
    // Another approver has a count of their own.
    assert.match(texts(await fixture.admin.say('invite batch3@fabrikam.example --no-teams --no-email')), /join [A-Z0-9]{10}/);
  });

  it('the counter: at most max per window under parallel use, a new window starts afresh, and a TTL index removes old ones', async () => {
    const { db } = fixture;
    const who = { tenantId: TENANT, aadObjectId: 'counter-test' };
    const limit = { max: 5, windowMs: HOUR_MS };
    const at = new Date('2026-03-01T10:15:00Z');
    const results = await Promise.all(Array.from({ length: 20 }, () => consumeLimit(db, who, 'test', limit, at)));
    assert.equal(results.filter((r) => r.ok).length, 5);
    assert.deepEqual(results.find((r) => !r.ok), { ok: false, values: { max: 5, time: '11:00' } });
    assert.equal((await consumeLimit(db, who, 'test', limit, new Date('2026-03-01T11:00:00Z'))).ok, true);
    assert.equal((await consumeLimit(db, { ...who, aadObjectId: 'someone-else' }, 'test', limit, at)).ok, true);
    const indexes = await db.collection(collections.rateLimits).listIndexes().toArray();
    assert.ok(indexes.some((i) => i.key.expiresAt === 1 && i.expireAfterSeconds === 0), JSON.stringify(indexes));
  });
});
