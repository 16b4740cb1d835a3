// Graph's user object to our plain DirectoryUser: only the fields we $select, validated, so an
// unexpected shape is an error here rather than an undefined deep inside a dialog.
import { z } from 'zod';
import type { DirectoryUser } from './types';

export const USER_FIELDS = ['id', 'displayName', 'mail', 'userPrincipalName', 'givenName', 'surname', 'jobTitle', 'accountEnabled'];

const text = z.string().nullish().transform((v) => v ?? null);

const graphUser = z.object({
  id: z.string().min(1),
  displayName: text,
  mail: text,
  userPrincipalName: text,
  givenName: text,
  surname: text,
  jobTitle: text,
  accountEnabled: z.boolean().nullish().transform((v) => v ?? null),
});

/** Null when the value is not a user object. */
export function toDirectoryUser(value: unknown): DirectoryUser | null {
  const parsed = graphUser.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Directory-object collections (role members) mix users, service principals and groups. */
export function isUserObject(value: unknown): boolean {
  const type = (value as { '@odata.type'?: unknown } | null)?.['@odata.type'];
  return type === undefined || type === '#microsoft.graph.user';
}
