// Signed, expiring, organisation-scoped report links. A token carries the organisation, its
// tenant and an expiry, signed with HMAC-SHA256 under a server secret, so whoever holds the link
// can download that one organisation's report until it expires, and nothing else. Verification
// compares signatures in constant time and refuses a tampered, expired or other-organisation
// token with a typed error.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export type ReportLinkFailure = 'malformed' | 'tampered' | 'expired' | 'wrongOrganisation';

export class ReportLinkError extends Error {
  constructor(readonly reason: ReportLinkFailure, message: string) {
    super(message);
    this.name = 'ReportLinkError';
  }
}

export interface ReportLinkClaims {
  orgId: string;
  tenantId: string;
  expiresAt: Date;
}

export type ReportSecret = string | Uint8Array;

const VERSION = 'v1';
/** Never longer than a day, whatever the caller asks: a leaked link dies quickly. */
export const MAX_LINK_TTL_MS = 24 * 3600_000;
export const DEFAULT_LINK_TTL_MS = 15 * 60_000;

const payloadSchema = z.strictObject({
  k: z.literal('skills'),
  o: z.string().regex(/^\d{1,12}$/),
  t: z.string().min(1).max(128),
  e: z.int().positive(),
});

function key(secret: ReportSecret): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < 32) throw new Error('The report link secret must be at least 32 bytes.');
  return bytes;
}

const sign = (secret: ReportSecret, body: string) => createHmac('sha256', key(secret)).update(body).digest();

export function signReportLink(claims: ReportLinkClaims, secret: ReportSecret): string {
  const payload = { k: 'skills', o: claims.orgId, t: claims.tenantId, e: Math.floor(claims.expiresAt.getTime() / 1000) };
  const body = `${VERSION}.${Buffer.from(JSON.stringify(payloadSchema.parse(payload))).toString('base64url')}`;
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

/** The claims of a valid token for `orgId`; throws ReportLinkError otherwise. */
export function verifyReportLink(token: unknown, secret: ReportSecret, expected: { orgId: string; now?: Date }): ReportLinkClaims {
  const malformed = () => new ReportLinkError('malformed', 'This report link is not valid. Ask the bot for a new one.');
  if (typeof token !== 'string' || token.length > 1024) throw malformed();
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) throw malformed();
  const body = `${parts[0]}.${parts[1]}`;
  // Compared as text, not as decoded bytes: base64url leaves unused bits in the last character, so
  // a link whose signature differed only there would decode to the same bytes and be accepted.
  const given = Buffer.from(parts[2], 'utf8');
  const wanted = Buffer.from(sign(secret, body).toString('base64url'), 'utf8');
  // timingSafeEqual needs equal lengths; the length of a MAC is no secret.
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new ReportLinkError('tampered', 'This report link has been changed or was not issued by this bot. Ask the bot for a new one.');
  }
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    throw malformed();
  }
  const now = expected.now ?? new Date();
  if (payload.e * 1000 <= now.getTime()) throw new ReportLinkError('expired', 'This report link has expired. Ask the bot for a new one.');
  if (payload.o !== expected.orgId) throw new ReportLinkError('wrongOrganisation', 'This report link is for another organisation.');
  return { orgId: payload.o, tenantId: payload.t, expiresAt: new Date(payload.e * 1000) };
}
