// Values that arrive from users or callers (an MCID typed in chat, an identity, a Partner ID),
// checked with zod before any of them reaches a query: a string is only ever a string, so no
// input can become a query operator.
import { z } from 'zod';

export const mcidSchema = z.string({ error: 'An MCID is a number, as shown on your Microsoft Learn profile.' })
  .trim()
  .regex(/^\d{4,12}$/, 'An MCID is 4 to 12 digits, as shown on your Microsoft Learn profile.');

export const partnerIdSchema = z.string({ error: 'A Partner ID is a number.' })
  .trim()
  .regex(/^\d{1,12}$/, 'A Partner ID is digits only.');

// Entra tenant and object ids are GUIDs; anything beyond these characters is not an identity.
const idPart = z.string().trim().regex(/^[A-Za-z0-9._-]{1,128}$/);

/** The acting person, as Teams identifies them (services/access/identity.ts). */
export const identitySchema = z.object({ tenantId: idPart, aadObjectId: idPart });

export type ValidIdentity = z.infer<typeof identitySchema>;

/** Parses `value` with `schema`; on failure returns the first issue's message (written for users). */
export function check<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; message: string } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'Invalid input.' };
}
