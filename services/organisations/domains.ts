// E-mail addresses and domains as the pre-approval rules compare them: lower case, Unicode
// domains in punycode, nothing but the host.
import { domainToASCII } from 'node:url';
import { z } from 'zod';

const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

/** A domain as stored: lower case, punycode, no scheme, path, port or wildcard; undefined if not a domain. */
export function normaliseDomain(input: string): string | undefined {
  const trimmed = input.trim().replace(/\.$/, '');
  if (!trimmed || /[\s/:@*?#]/.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  const ok = labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
  return ok && /[a-z]/.test(labels[labels.length - 1]) ? ascii : undefined;
}

/** A work e-mail as stored: local part kept, domain normalised; undefined if not an address. */
export function normaliseEmail(input: string): string | undefined {
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = trimmed.slice(0, at);
  const domain = normaliseDomain(trimmed.slice(at + 1));
  if (!domain || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  return `${local.toLowerCase()}@${domain}`;
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** zod field for a work e-mail typed by a user; messages are errors catalogue keys. */
export const workEmail = z.string('errors:email.notText').trim().max(254, 'errors:email.tooLong')
  .transform((v, ctx) => {
    const email = normaliseEmail(v);
    if (!email) { ctx.addIssue({ code: 'custom', message: 'errors:email.invalid', params: { value: v.slice(0, 60) } }); return z.NEVER; }
    return email;
  });
