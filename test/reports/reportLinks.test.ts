// Skills report links are signed, expiring and for one organisation: a changed, expired or
// other-organisation link is refused with a typed error.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ReportLinkError, signReportLink, verifyReportLink, type ReportLinkFailure } from '../../services/reports/reportLinks';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const refused = (reason: ReportLinkFailure) => (err: unknown) => err instanceof ReportLinkError && err.reason === reason;

describe('reports: signed report links', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => { clock = sinon.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] }); });
  afterEach(() => clock.restore());

  const token = () => signReportLink({ orgId: '1234567', tenantId: 'tenant-contoso', expiresAt: new Date(Date.now() + 15 * 60_000) }, SECRET);

  it('a fresh link for the organisation verifies, with its claims', () => {
    const claims = verifyReportLink(token(), SECRET, { orgId: '1234567' });
    assert.deepEqual(claims, { orgId: '1234567', tenantId: 'tenant-contoso', expiresAt: new Date('2026-11-23T12:15:00Z') });
  });

  it('an expired link is refused', () => {
    const t = token();
    clock.tick(15 * 60_000 - 1000);
    verifyReportLink(t, SECRET, { orgId: '1234567' });
    clock.tick(1000);
    assert.throws(() => verifyReportLink(t, SECRET, { orgId: '1234567' }), refused('expired'));
  });

  it('a tampered link is refused: changed claims, a changed signature, another secret', () => {
    const [version, payload, signature] = token().split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, o: '7654321', e: claims.e + 86400 })).toString('base64url');
    assert.throws(() => verifyReportLink(`${version}.${forged}.${signature}`, SECRET, { orgId: '7654321' }), refused('tampered'));
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    assert.throws(() => verifyReportLink(`${version}.${payload}.${flipped}`, SECRET, { orgId: '1234567' }), refused('tampered'));
    assert.throws(() => verifyReportLink(`${version}.${payload}.${signature.slice(0, 10)}`, SECRET, { orgId: '1234567' }), refused('tampered'));
    // The last character's unused bits: another character that decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = `${signature.slice(0, -1)}${alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1]}`;
    assert.deepEqual(Buffer.from(sameBytes, 'base64url'), Buffer.from(signature, 'base64url'));
    assert.throws(() => verifyReportLink(`${version}.${payload}.${sameBytes}`, SECRET, { orgId: '1234567' }), refused('tampered'));
    assert.throws(() => verifyReportLink(token(), `${SECRET}-other`, { orgId: '1234567' }), refused('tampered'));
  });

  it("another organisation's link is refused, and so is anything that is not a link", () => {
    assert.throws(() => verifyReportLink(token(), SECRET, { orgId: '7654321' }), (err: unknown) => refused('wrongOrganisation')(err) && /another organisation/.test((err as Error).message));
    for (const bad of [undefined, '', 'abc', 'v2.a.b', { token: 'x' }, 'x'.repeat(5000)]) {
      assert.throws(() => verifyReportLink(bad, SECRET, { orgId: '1234567' }), refused('malformed'), String(bad).slice(0, 20));
    }
  });

  it('a secret shorter than 32 bytes is a configuration error, not a link', () => {
    assert.throws(() => signReportLink({ orgId: '1', tenantId: 't', expiresAt: new Date(Date.now() + 1000) }, 'short'), /at least 32 bytes/);
  });
});
