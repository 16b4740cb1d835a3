// A bot restarted mid-dialog continues at the same step: dialog state lives in the store, and
// the conversation's next message reaches the new process as if nothing happened.
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { collections } from '../../services/db/collections';
import { openTestStore, type TestStore } from '../support/store';
import { newAccount, startStandaloneConnector, startTestBot, storeUri, TeamsUser, textOf } from '../support/botHarness';
import type { LocalConnector } from '../../bot/local/connector';

const TENANT = '33333333-cccc-4000-8000-000000000003';

describe('a bot restarted in the middle of a dialog', () => {
  let store: TestStore;
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  before(async () => { store = await openTestStore(); standalone = await startStandaloneConnector(); });
  after(async () => { await standalone?.close(); await store?.close(); });

  it('continues the profile dialog at the step it was waiting on', async () => {
    const uri = storeUri(store.uri);
    const connector = standalone.connector;
    const account = newAccount(connector, TENANT, 'Riley');
    // Local mode, but replies go to the standalone connector, which outlives both processes.
    const first = await startTestBot({ mongoUri: uri });
    await new TeamsUser(first.url, connector, account).say('profile');
    const asked = await new TeamsUser(first.url, connector, account).say('Preferred language');
    assert.match(asked.map(textOf).join('\n'), /Which language do you prefer[\s\S]*\[Deutsch\]/);
    await first.stop();

    const second = await startTestBot({ mongoUri: uri });
    try {
      const replies = await new TeamsUser(second.url, connector, account).say('Deutsch');
      assert.match(textOf(replies[0]), /Saved\. I'll use Deutsch for your messages and invitations\./);
      const client = await MongoClient.connect(uri);
      try {
        const profile = await client.db().collection(collections.userProfiles).findOne({ _id: `${TENANT}:${account.aadObjectId}` as never });
        assert.equal(profile?.language, 'de');
      } finally { await client.close(); }
      // The dialog is over: the same word is now just unknown text.
      assert.match(JSON.stringify((await new TeamsUser(second.url, connector, account).say('Deutsch'))[0].attachments), /I don't know/);
    } finally {
      await second.stop();
    }
  });
});
