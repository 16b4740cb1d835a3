// Stopping the bot: in-flight turns finish, new ones are refused, the store is closed; the
// process exits cleanly on SIGTERM; a bad setting stops start-up with one line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedStore } from '../../services/db/embedded';
import { openTestStore, type TestStore } from '../support/store';
import { newAccount, startStandaloneConnector, startTestBot, storeUri, TeamsUser } from '../support/botHarness';
import type { LocalConnector } from '../../bot/local/connector';

const TENANT = '55555555-eeee-4000-8000-000000000005';

describe('stopping the bot', () => {
  let store: TestStore;
  let standalone: { connector: LocalConnector; close(): Promise<void> };
  before(async () => { store = await openTestStore(); standalone = await startStandaloneConnector(); });
  after(async () => { await standalone?.close(); await store?.close(); });

  it('finishes a turn in flight, refuses new ones meanwhile, then closes', async () => {
    const bot = await startTestBot({ mongoUri: storeUri(store.uri) });
    const user = new TeamsUser(bot.url, standalone.connector, newAccount(standalone.connector, TENANT, 'Sam'));
    const hold = standalone.connector.holdNext();
    const turn = user.say('help');
    await hold.reached; // the bot is mid-turn, waiting on Teams

    let closed = false;
    const closing = bot.stop().then(() => { closed = true; });
    const refused = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message' }) });
    assert.equal(refused.status, 503);
    assert.equal(closed, false, 'close waits for the turn');

    hold.release();
    const replies = await turn;
    assert.match(JSON.stringify(replies), /MPN Association Bot/);
    await closing;
    await assert.rejects(fetch(`${bot.url}/healthz`), 'no longer listening');
  });

  it('reports 503 on /healthz while the store is unreachable', async () => {
    const own = await startEmbeddedStore();
    const bot = await startTestBot({ mongoUri: `${own.uri}healthcheck` });
    try {
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      await own.stop();
      const response = await fetch(`${bot.url}/healthz`);
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { status: 'store unreachable', store: 'external' });
    } finally {
      await bot.stop().catch(() => undefined);
    }
  });
});

describe('the bot process', () => {
  let dataDir: string;
  before(async () => { dataDir = await mkdtemp(join(tmpdir(), 'mpn-process-')); });
  after(async () => { await rm(dataDir, { recursive: true, force: true }); });

  function run(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/index.ts'], {
      env: { PATH: process.env.PATH ?? '', EMBEDDED_DB_PATH: dataDir, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  it('prints where to talk to it, serves the chat page, and exits 0 on SIGTERM', async () => {
    const proc = run({});
    const ready = await new Promise<string>((resolve, reject) => {
      proc.child.stdout.on('data', () => { const m = /Talk to it in your browser: (\S+)/.exec(proc.out()); if (m) resolve(m[1]); });
      void proc.exited.then((code) => reject(new Error(`exited ${code}: ${proc.err()}`)));
    });
    assert.match(proc.out(), /Local mode \(no MicrosoftAppId\): listening on 127\.0\.0\.1 only/);
    assert.match(await (await fetch(ready)).text(), /Priya PPC/);
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exited, 0);
  });

  it('stops with one line naming a bad setting', async () => {
    const proc = run({ MicrosoftAppId: 'not-a-guid' });
    assert.equal(await proc.exited, 1);
    assert.equal(proc.err().trim(), 'Configuration error: MicrosoftAppId is invalid: expected the bot app registration id (a GUID)');
  });
});
