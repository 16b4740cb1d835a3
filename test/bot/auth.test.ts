// With an app id, only requests carrying a valid Bot Framework channel token get a turn. The
// adapter's real validation runs against a local OpenID metadata + JWKS server we sign for.
import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { openTestStore, type TestStore } from '../support/store';
import { newAccount, startStandaloneConnector, startTestBot, storeUri, TeamsUser, type TestBot } from '../support/botHarness';
import { LocalOutboundCredentials, OUTBOUND_TOKEN, startFakeBotFrameworkAuth, type FakeBotFrameworkAuth, type TokenClaims } from '../support/fakeBotFrameworkAuth';
import type { LocalConnector } from '../../bot/local/connector';

const APP_ID = '6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TENANT = '22222222-bbbb-4000-8000-000000000002';

describe('Bot Framework authentication on /api/messages', () => {
  let store: TestStore;
  let auth: FakeBotFrameworkAuth;
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  let bot: TestBot;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    store = await openTestStore();
    auth = await startFakeBotFrameworkAuth();
    standalone = await startStandaloneConnector();
    const uri = storeUri(store.uri);
    bot = await startTestBot({
      mongoUri: uri,
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret-not-logged', REPORT_LINK_SECRET: 'auth-test-report-link-secret-0123456789', BotOpenIdMetadata: auth.metadataUrl, HOST: '127.0.0.1' },
      credentialsFactory: new LocalOutboundCredentials(APP_ID, 'unused'),
    });
    client = await MongoClient.connect(uri);
    db = client.db();
  });
  after(async () => {
    await bot?.stop();
    await client?.close();
    await standalone?.close();
    await auth?.close();
    await store?.close();
  });

  function userWithToken(claims: TokenClaims | undefined): TeamsUser {
    const connector = standalone.connector;
    const account = newAccount(connector, TENANT, 'Casey');
    return new TeamsUser(bot.url, connector, account, undefined,
      claims ? () => auth.token({ aud: APP_ID, serviceUrl: connector.serviceUrl, ...claims }) : undefined);
  }

  async function storedState(): Promise<number> {
    return (await db.collection(collections.conversationRefs).countDocuments()) + (await db.collection(collections.botState).countDocuments());
  }

  it('a valid channel token gets a turn: the reply goes out with the bot\'s own token', async () => {
    const casey = userWithToken({});
    const result = await casey.send({ type: 'message', text: 'help' });
    assert.equal(result.status, 200);
    assert.equal(result.replies.length, 1);
    const post = standalone.connector.requests.find((r) => r.method === 'POST' && r.path.includes(encodeURIComponent(casey.conversation.id)));
    assert.equal(post?.authorization, `Bearer ${OUTBOUND_TOKEN}`);
    assert.equal(await db.collection(collections.conversationRefs).countDocuments({ aadObjectId: casey.account.aadObjectId }), 1);
  });

  const refused: [string, TokenClaims | undefined][] = [
    ['no Authorization header', undefined],
    ['a token signed by a key the metadata does not publish', { foreignKey: true }],
    ['a token for another bot (wrong audience)', { aud: '00000000-1111-4222-8333-444444444444' }],
    ['a token from another issuer', { iss: 'https://login.example.com/not-bot-framework' }],
    ['an expired token', { expiresIn: -3600 }],
    ['a token minted for another service URL', { serviceUrl: 'https://smba.example.com/amer/' }],
  ];
  for (const [name, claims] of refused) {
    it(`${name} gets 401, no reply, and no state change`, async () => {
      const before = await storedState();
      const requestsBefore = standalone.connector.requests.length;
      const casey = userWithToken(claims);
      const result = await casey.send({ type: 'message', text: 'profile' });
      assert.equal(result.status, 401);
      assert.deepEqual(result.body, { error: 'Unauthorized' });
      assert.equal(result.replies.length, 0);
      assert.equal(standalone.connector.requests.length, requestsBefore);
      assert.equal(await storedState(), before);
    });
  }

  it('an invoke without a token is refused too', async () => {
    const result = await userWithToken(undefined).execute('command.run', { command: 'help' });
    assert.equal(result.status, 401);
  });

  it('refusals are logged without the token, and the app password is never logged', async () => {
    const logs = bot.logs.join('');
    assert.match(logs, /refused a request without a valid Bot Framework token/);
    assert.doesNotMatch(logs, /eyJ[A-Za-z0-9_-]{10,}/);
    assert.doesNotMatch(logs, /secret-not-logged/);
  });
});
