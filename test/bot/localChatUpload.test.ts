// Uploading a file in the local browser chat, over HTTP exactly as Web Chat's Direct Line client
// does it (POST …/upload, multipart: an `activity` part and a `file` part): an admin's transcript
// CSV reaches the bot as an attachment served from the bot's own origin, is imported, and the
// summary card arrives by polling. Uploads are bounded by TRANSCRIPT_MAX_FILE_MB and need the
// conversation's token.
import assert from 'node:assert/strict';
import { collections } from '../../services/db/collections';
import { openTestStore, type TestStore } from '../support/store';
import { pollUntil } from '../support/storeAssertions';
import { startTestBot, storeUri, type TestBot } from '../support/botHarness';

interface DlAttachment { contentType: string; name?: string; contentUrl?: string; content?: unknown }
interface DlActivity { id: string; type: string; text?: string; from: { id: string; role?: string }; attachments?: DlAttachment[] }

class WebChatClient {
  token = '';
  conversationId = '';
  watermark = '0';
  readonly seen: DlActivity[] = [];
  constructor(private readonly base: string, readonly userId: string) {}

  async start(): Promise<void> {
    const generated = await this.json('POST', '/tokens/generate', { user: { id: this.userId } });
    this.token = generated.token;
    this.conversationId = (await this.json('POST', '/conversations')).conversationId;
  }

  async poll(): Promise<DlActivity[]> {
    const page = await this.json('GET', `/conversations/${encodeURIComponent(this.conversationId)}/activities?watermark=${this.watermark}`);
    this.watermark = page.watermark;
    this.seen.push(...page.activities);
    return page.activities;
  }

  /** What botframework-directlinejs's postMessageWithAttachments sends. */
  upload(name: string, body: string | Uint8Array, headers: Record<string, string> = {}, token = this.token): Promise<Response> {
    const message = { type: 'message', from: { id: this.userId }, locale: 'en-GB', text: '', channelData: { clientActivityID: `c-${name}` }, attachments: [{ contentType: 'text/csv', name }] };
    const form = new FormData();
    form.append('activity', new Blob([JSON.stringify(message)], { type: 'application/vnd.microsoft.activity' }));
    form.append('file', new Blob([body], { type: 'text/csv' }), name);
    return fetch(`${this.base}/v3/directline/conversations/${encodeURIComponent(this.conversationId)}/upload?userId=${encodeURIComponent(this.userId)}`, {
      method: 'POST', body: form, headers: { authorization: `Bearer ${token}`, ...headers },
    });
  }

  private async json(method: string, path: string, body?: unknown) {
    const response = await fetch(`${this.base}/v3/directline${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
    return (await response.json()) as { token: string; conversationId: string; watermark: string; activities: DlActivity[] };
  }
}

const HEADER = 'MCID,e-mail,name,type,code,title,date';
const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`;
const texts = (client: WebChatClient) => client.seen.map((a) => `${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`).join('\n');

describe('the local browser chat: file upload', () => {
  let store: TestStore;
  let bot: TestBot;
  before(async () => {
    store = await openTestStore();
    bot = await startTestBot({ mongoUri: storeUri(store.uri), env: { DEMO_SEED: 'true', TRANSCRIPT_MAX_FILE_MB: '1', OUTBOX_POLL_MS: '50' } });
  });
  after(async () => { await bot?.stop(); await store?.close(); });

  it("an admin's CSV uploaded as Web Chat sends it is imported, and the summary arrives by polling", async () => {
    const gabriel = new WebChatClient(bot.url, '29:gabriel');
    await gabriel.start();
    const file = csv('5100001,ann@learn.example,Ann,exam,AZ-104,Azure Administrator,2025-05-01', '5100002,bo@learn.example,Bo,exam,AZ-305,Azure Architect,2025-06-01', '12ab,cy@learn.example,Cy,exam,AZ-104,Admin,2025-01-01');
    const response = await gabriel.upload('transcript.csv', file);
    assert.equal(response.status, 200);
    const { id } = (await response.json()) as { id: string };
    assert.ok(id);

    await pollUntil(async () => { await gabriel.poll(); return /Transcript imported: transcript\.csv/.test(texts(gabriel)); }, { what: 'the import summary', timeoutMs: 20_000 });
    const all = texts(gabriel);
    assert.match(all, /Importing \*\*transcript\.csv\*\*/);
    assert.match(all, /"title":"New records","value":"2"/);
    assert.match(all, /Line 4: MCID must be 4 to 12 digits/);
    assert.equal(await bot.running.db.collection(collections.certificationRecords).countDocuments({ mcid: { $in: ['5100001', '5100002'] } }), 2);

    // Web Chat sees its own message, the file served from the bot's own origin under an unguessable id.
    const own = gabriel.seen.find((a) => a.id === id);
    assert.equal(own?.from.role, 'user');
    const attachment = own?.attachments?.[0];
    assert.equal(attachment?.name, 'transcript.csv');
    assert.equal(attachment?.contentType, 'text/csv');
    assert.match(attachment?.contentUrl ?? '', new RegExp(`^http://127\\.0\\.0\\.1:${bot.running.port}/v3/directline/attachments/[\\w-]{32}$`));
    const served = await fetch(attachment!.contentUrl!);
    assert.equal(served.status, 200);
    assert.equal(await served.text(), file);
    assert.equal((await fetch(`${bot.url}/v3/directline/attachments/not-an-upload`)).status, 404);
  });

  it('a file over TRANSCRIPT_MAX_FILE_MB is refused (413) and never stored; the chat says why, in the browser language', async () => {
    const gabriel = new WebChatClient(bot.url, '29:gabriel');
    await gabriel.start();
    const row = '5200001,big@learn.example,Big File,exam,AZ-104,Azure Administrator,2025-05-01';
    const big = csv(...Array.from({ length: Math.ceil(1.2 * 1_048_576 / row.length) }, () => row));
    const refused = await gabriel.upload('big.csv', big);
    assert.equal(refused.status, 413);
    await pollUntil(async () => { await gabriel.poll(); return /That file is larger than 1 MB/.test(texts(gabriel)); }, { what: 'the size refusal' });

    // Far over the limit: refused as soon as that is known, without keeping what was read.
    const huge = await gabriel.upload('huge.csv', big.repeat(2));
    assert.equal(huge.status, 413);

    const frenchRefusal = await gabriel.upload('gros.csv', big, { 'accept-language': 'fr-FR,fr;q=0.9' });
    assert.equal(frenchRefusal.status, 413);
    await pollUntil(async () => { await gabriel.poll(); return /Ce fichier dépasse 1 Mo/.test(texts(gabriel)); }, { what: 'the French size refusal' });
    assert.equal(await bot.running.db.collection(collections.certificationRecords).countDocuments({ mcid: '5200001' }), 0);
    const sentFiles = gabriel.seen.flatMap((a) => (a.from.role === 'user' ? a.attachments ?? [] : [])).map((a) => a.name);
    assert.deepEqual(sentFiles.filter((name) => ['big.csv', 'huge.csv', 'gros.csv'].includes(name ?? '')), [], 'no message was sent for a refused upload');
  });

  it("an upload needs the conversation's token; a non-admin's upload reaches the bot, which refuses to import it", async () => {
    const emma = new WebChatClient(bot.url, '29:emma');
    await emma.start();
    assert.equal((await emma.upload('x.csv', csv(), {}, 'not-a-token')).status, 403);
    const other = new WebChatClient(bot.url, '29:gabriel');
    await other.start();
    const foreign = await fetch(`${bot.url}/v3/directline/conversations/${encodeURIComponent(other.conversationId)}/upload`, {
      method: 'POST', headers: { authorization: `Bearer ${emma.token}`, 'content-type': 'text/csv' }, body: csv(),
    });
    assert.equal(foreign.status, 403);

    const response = await emma.upload('emma.csv', csv('5300001,e@learn.example,E,exam,AZ-104,Admin,2025-01-01'));
    assert.equal(response.status, 200);
    await pollUntil(async () => { await emma.poll(); return /Only a global admin or an MPN partner admin/.test(texts(emma)); }, { what: 'the refusal' });
    assert.equal(await bot.running.db.collection(collections.certificationRecords).countDocuments({ mcid: '5300001' }), 0);
  });

  it('a bare upload (the file as the body, its name in Content-Disposition) works too; a body with no file is a 400', async () => {
    const gabriel = new WebChatClient(bot.url, '29:gabriel');
    await gabriel.start();
    const url = `${bot.url}/v3/directline/conversations/${encodeURIComponent(gabriel.conversationId)}/upload?userId=29:gabriel`;
    const bare = await fetch(url, {
      method: 'POST', body: csv('5400001,d@learn.example,Di,exam,AZ-104,Admin,2025-01-01'),
      headers: { authorization: `Bearer ${gabriel.token}`, 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="bare.csv"' },
    });
    assert.equal(bare.status, 200);
    await pollUntil(async () => { await gabriel.poll(); return /Transcript imported: bare\.csv/.test(texts(gabriel)); }, { what: 'the summary', timeoutMs: 20_000 });

    const form = new FormData();
    form.append('activity', new Blob([JSON.stringify({ type: 'message', text: 'no file' })], { type: 'application/vnd.microsoft.activity' }));
    const empty = await fetch(url, { method: 'POST', body: form, headers: { authorization: `Bearer ${gabriel.token}` } });
    assert.equal(empty.status, 400);
  });
});
