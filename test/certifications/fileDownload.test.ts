// The download rule for files sent in chat (SSRF guard): public https only, or an origin the bot
// trusts (local mode's own connector); every redirect hop checked again; a size cap.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { checkDownloadUrl, FileDownloadError, isPublicAddress, openDownload, type DownloadFailure, type DownloadPolicy } from '../../bot/fileDownload';

const failsWith = (reason: DownloadFailure) => (err: unknown) => {
  assert.ok(err instanceof FileDownloadError, `expected a FileDownloadError, got ${String(err)}`);
  assert.equal(err.reason, reason);
  return true;
};

describe('downloading a file sent in chat', () => {
  let server: Server;
  let origin: string;
  const hits: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/to-private') { res.writeHead(302, { location: 'https://10.1.2.3/file.csv' }); res.end(); return; }
      if (req.url === '/loop') { res.writeHead(302, { location: '/loop' }); res.end(); return; }
      if (req.url === '/to-ok') { res.writeHead(302, { location: '/ok' }); res.end(); return; }
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('MCID,e-mail\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => { server.closeAllConnections(); await new Promise<void>((resolve) => server.close(() => resolve())); });

  const policy = (extra: Partial<DownloadPolicy> = {}): DownloadPolicy => ({
    trustedOrigins: [origin], maxBytes: 1024, resolve: async () => ['20.190.160.1'], ...extra,
  });

  it('tells public addresses from private, loopback, link-local and reserved ones', () => {
    for (const ip of ['20.190.160.1', '52.96.0.1', '2603:1030::1']) assert.equal(isPublicAddress(ip), true, ip);
    for (const ip of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', 'not-an-ip']) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
  });

  it('allows public https hosts and the trusted origins only', async () => {
    assert.equal((await checkDownloadUrl('https://contoso-my.sharepoint.com/personal/x/download.aspx?tempauth=abc', policy())).hostname, 'contoso-my.sharepoint.com');
    assert.equal((await checkDownloadUrl(`${origin}/ok`, policy())).origin, origin);
    for (const url of [
      'http://contoso-my.sharepoint.com/file.csv', 'https://127.0.0.1/file.csv', 'https://[::1]/file.csv', 'https://169.254.169.254/latest',
      'https://localhost/file.csv', 'https://metadata.internal/x', 'https://user:pw@contoso.example/x', 'https://contoso.example:8443/x',
      'file:///etc/passwd', 'ftp://contoso.example/x', 'not a url', `${origin.replace('127.0.0.1', 'localhost')}/ok`,
    ]) {
      await assert.rejects(checkDownloadUrl(url, policy()), failsWith('notAllowed'), url);
    }
  });

  it('refuses a host name that resolves to a private address', async () => {
    await assert.rejects(checkDownloadUrl('https://files.contoso.example/x.csv', policy({ resolve: async () => ['20.190.160.1', '10.0.0.8'] })), failsWith('notAllowed'));
    await assert.rejects(checkDownloadUrl('https://files.contoso.example/x.csv', policy({ resolve: async () => { throw new Error('ENOTFOUND'); } })), failsWith('network'));
  });

  it('checks every redirect hop again, and stops after 3', async () => {
    assert.equal(await text(await openDownload(`${origin}/to-ok`, policy())), 'MCID,e-mail\n');
    await assert.rejects(openDownload(`${origin}/to-private`, policy()), failsWith('notAllowed'));
    await assert.rejects(openDownload(`${origin}/loop`, policy()), failsWith('tooManyRedirects'));
    assert.equal(hits.filter((h) => h === '/loop').length, 4);
  });

  it('fails a stream that passes the size cap (a size that was not declared)', async () => {
    await assert.rejects(async () => text(await openDownload(`${origin}/ok`, policy({ maxBytes: 5 }))), failsWith('tooLarge'));
  });
});
