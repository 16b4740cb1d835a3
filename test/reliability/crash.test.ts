// kill -9 mid-dialog (issue 7): the bot runs in a child process with its embedded store in the
// same process on a data folder, so SIGKILL takes the store down too and only what was
// acknowledged (journalled) survives. After a restart on the same folder the user's next message
// continues the association dialog at the same step, with the earlier answers kept.
// crashFollowUps.test.ts kills the bot between a write and its follow-ups.
import assert from 'node:assert/strict';
import type { LocalConnector } from '../../bot/local/connector';
import { collections } from '../../services/db/collections';
import { newAccount, startStandaloneConnector } from '../support/botHarness';
import { texts } from '../support/orgFixture';
import { CrashLab, ORG_NAME, PARTNER_ID, PRE_APPROVED, seedOrganisation, submitForm, TENANT, userAt } from './fixture';

describe('kill -9 of the bot (store in the same process, with a data folder)', function () {
  this.timeout(60_000);
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  let lab: CrashLab;
  before(async () => { standalone = await startStandaloneConnector(); lab = await CrashLab.open(); });
  after(async () => { await lab?.close(); await standalone?.close(); });

  it('continues the association dialog at the step it was waiting on, with the earlier answers kept', async () => {
    const connector = standalone.connector;
    let { bot, db } = await lab.boot('dialog');
    await seedOrganisation(db, connector);
    const nina = newAccount(connector, TENANT, 'Nina Newcomer', `nina@${PRE_APPROVED}`);

    assert.match(texts(await userAt(bot.url, connector, nina).say('associate')), /Partner ID/);
    assert.match(texts(await userAt(bot.url, connector, nina).say(PARTNER_ID)), /association\.profile/);
    await lab.crash(bot); // waiting for the profile form

    ({ bot, db } = await lab.boot('dialog'));
    const confirm = await submitForm(userAt(bot.url, connector, nina), { displayName: 'Nina N. Newcomer', phone: '+44 20 7946 0000' });
    assert.equal(confirm.status, 200);
    // The organisation picked before the crash is still the one being asked for.
    assert.match(texts(confirm.replies), new RegExp(`${ORG_NAME}[\\s\\S]*Nina N\\. Newcomer[\\s\\S]*Send the request\\?`));
    await lab.crash(bot); // waiting for the confirmation

    ({ bot, db } = await lab.boot('dialog'));
    assert.match(texts(await userAt(bot.url, connector, nina).say('Yes')), /has been accepted/);
    const request = await db.collection(collections.associationRequests).findOne({ 'requester.aadObjectId': nina.aadObjectId });
    assert.equal(request?.status, 'accepted');
    assert.equal(request?.orgId, PARTNER_ID);
    assert.equal(request?.requester.displayName, 'Nina N. Newcomer');
    assert.equal(request?.requester.phone, '+44 20 7946 0000');
    assert.equal((await db.collection(collections.members).findOne({ aadObjectId: nina.aadObjectId }))?.status, 'associated');
    await lab.crash(bot);
  });
});
