// Downloads a file a user sent the bot, as a stream, without letting the URL in an activity make
// the bot fetch something it should not (SSRF).
//
// The rule: a URL is fetched only if
//  - its origin is one of `trustedOrigins` exactly (in local mode: the local connector's own
//    URL, which serves what Web Chat uploaded; http is allowed there and only there), or
//  - it is https on the default port, without user:password, and its host is a public address:
//    not localhost, not an IP literal in a private, loopback, link-local, CGNAT, multicast or
//    reserved range, and a host name must resolve only to public addresses.
// Teams' file.download.info URLs are pre-authorised https links to SharePoint / OneDrive, which
// pass; an activity naming http://169.254.169.254/ (cloud metadata) or https://10.0.0.5/ does
// not. Redirects are followed by hand (at most 3), each hop checked by the same rule. No
// credential of the bot is ever sent with the request. A residual risk remains: fetch resolves
// the name again, so a host that changes its DNS answer between the two lookups could still
// reach a private address; the request carries no secret and its answer is only parsed as CSV.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export type DownloadFailure = 'notAllowed' | 'tooLarge' | 'httpStatus' | 'network' | 'tooManyRedirects';

export class FileDownloadError extends Error {
  constructor(readonly reason: DownloadFailure, detail: string) {
    super(detail);
    this.name = 'FileDownloadError';
  }
}

export interface DownloadPolicy {
  /** Origins fetched as they are (scheme://host:port), e.g. the local connector's own. */
  trustedOrigins: readonly string[];
  /** Larger files are refused (by Content-Length at once, else while streaming). */
  maxBytes: number;
  /** Resolves a host name to its addresses (default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
  /** Gives up when the answer's headers take longer (default 30 s). */
  headersTimeoutMs?: number;
}

const MAX_REDIRECTS = 3;

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is one the internet could route to us (not private, local or reserved). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]);
    return !blocked.check(address, 'ipv6');
  }
  return false;
}

const systemResolve = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Checks a URL against the rule above; returns it parsed, or throws FileDownloadError('notAllowed'). */
export async function checkDownloadUrl(raw: string, policy: DownloadPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FileDownloadError('notAllowed', 'not a URL');
  }
  if (policy.trustedOrigins.includes(url.origin)) return url;
  if (url.protocol !== 'https:') throw new FileDownloadError('notAllowed', `scheme ${url.protocol} is not https`);
  if (url.username || url.password) throw new FileDownloadError('notAllowed', 'credentials in the URL');
  if (url.port !== '') throw new FileDownloadError('notAllowed', 'not the default https port');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw new FileDownloadError('notAllowed', 'a private or reserved address');
    return url;
  }
  if (host === 'localhost' || /\.(localhost|local|internal|localdomain)$/.test(host) || !host.includes('.')) {
    throw new FileDownloadError('notAllowed', 'a local host name');
  }
  let addresses: string[];
  try {
    addresses = await (policy.resolve ?? systemResolve)(host);
  } catch {
    throw new FileDownloadError('network', 'the host name does not resolve');
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) throw new FileDownloadError('notAllowed', 'the host resolves to a private address');
  return url;
}

/** Opens the file as a byte stream, within the size limit; throws FileDownloadError. */
export async function openDownload(raw: string, policy: DownloadPolicy): Promise<Readable> {
  let url = await checkDownloadUrl(raw, policy);
  for (let hop = 0; ; hop += 1) {
    let response: Response;
    const timer = AbortSignal.timeout(policy.headersTimeoutMs ?? 30_000);
    try {
      response = await fetch(url, { redirect: 'manual', signal: timer, headers: { accept: 'text/csv, text/plain, application/octet-stream, */*' } });
    } catch (err) {
      throw new FileDownloadError('network', (err as Error).message);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new FileDownloadError('tooManyRedirects', `more than ${MAX_REDIRECTS} redirects`);
      url = await checkDownloadUrl(new URL(response.headers.get('location')!, url).toString(), policy);
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new FileDownloadError('httpStatus', `HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > policy.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new FileDownloadError('tooLarge', `${declared} bytes`);
    }
    const limited = byteLimit(policy.maxBytes);
    // pipeline, not pipe: a connection lost mid-file fails the stream the importer reads.
    pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), limited, () => undefined);
    return limited;
  }
}

/** Passes bytes on until `max`, then fails the stream (a server that did not declare its size). */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(new FileDownloadError('tooLarge', `more than ${max} bytes`));
      else done(null, chunk);
    },
  });
}
