import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../bot/config';

const APP = '11111111-2222-4333-8444-555555555555';

function refusal(env: Record<string, string>): string {
  try { loadConfig(env); } catch (err) { assert.ok(err instanceof ConfigError); return err.message; }
  assert.fail('expected the configuration to be refused');
}

describe('configuration from the environment', () => {
  it('with nothing set runs in local mode on 127.0.0.1:3978', () => {
    const config = loadConfig({});
    assert.equal(config.localMode, true);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.PORT, 3978);
  });

  it('local mode binds 127.0.0.1 whatever HOST says', () => {
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).HOST, '127.0.0.1');
  });

  it('with an app id and password it is not local and binds HOST', () => {
    const config = loadConfig({ MicrosoftAppId: APP, MicrosoftAppPassword: 'x', REPORT_LINK_SECRET: 'r'.repeat(32) });
    assert.equal(config.localMode, false);
    assert.equal(config.HOST, '0.0.0.0');
  });

  it('treats empty values (as in .env.example) as unset', () => {
    assert.equal(loadConfig({ MicrosoftAppId: '', PORT: '' }).localMode, true);
  });

  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^Configuration error: PORT is invalid: expected a TCP port \(0-65535\)$/],
    [{ MicrosoftAppId: 'my-bot' }, /^Configuration error: MicrosoftAppId is invalid: expected the bot app registration id \(a GUID\)$/],
    [{ MicrosoftAppId: APP }, /^Configuration error: MicrosoftAppPassword is missing: required when MicrosoftAppId is set/],
    [{ MicrosoftAppType: 'Single' }, /^Configuration error: MicrosoftAppType is invalid: expected one of MultiTenant, SingleTenant, UserAssignedMSI$/],
    [{ MicrosoftAppId: APP, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }, /MicrosoftAppTenantId is missing: required when MicrosoftAppType is SingleTenant/],
    [{ MONGODB_URI: 'localhost:27017' }, /MONGODB_URI is invalid: expected a mongodb:\/\/ or mongodb\+srv:\/\/ URI/],
    [{ OUTBOX_GLOBAL_PER_SECOND: '-3' }, /OUTBOX_GLOBAL_PER_SECOND is invalid: expected a positive number/],
    [{ GRAPH_TOKEN_URL: 'https://login.example.com/token' }, /GRAPH_TOKEN_URL is invalid: expected a token URL containing \{tenant\}/],
    [{ MicrosoftAppId: APP, MicrosoftAppPassword: 'x' }, /^Configuration error: REPORT_LINK_SECRET is missing: required when MicrosoftAppId is set/],
    [{ REPORT_LINK_SECRET: 'short' }, /^Configuration error: REPORT_LINK_SECRET is invalid: expected at least 32 characters$/],
    [{ PUBLIC_URL: 'mpn-bot.example.com' }, /^Configuration error: PUBLIC_URL is invalid/],
  ];
  for (const [env, message] of cases) {
    it(`refuses ${JSON.stringify(env)} in one line naming the variable`, () => {
      const text = refusal(env);
      assert.match(text, message);
      assert.equal(text.includes('\n'), false);
    });
  }
});
