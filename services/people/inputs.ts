// The values an admin types about a person, checked once here: a name, a work e-mail, roles and
// contact types. Anything else (an object where a string belongs, an unknown role) is refused
// with a code, so it can never reach a query as an operator.
import { z } from 'zod';
import { ROLES, type Role } from '../access/capabilities';
import { normaliseEmail } from '../organisations/domains';
import { PeopleRefused, type PeopleRefusal } from './errors';
import { CONTACT_TYPES, type ContactType } from './members';

/** Roles an admin can give; the PPC is handed on with `transfer ppc`, never assigned. */
export type AssignableRole = Exclude<Role, 'ppc'>;
export const ASSIGNABLE_ROLES = ROLES.filter((r): r is AssignableRole => r !== 'ppc');

const CONTROL = /[\u0000-\u001f\u007f]/;

export const nameField = z.string('nameEmpty').trim()
  .min(1, 'nameEmpty').max(100, 'nameTooLong')
  .refine((v) => !CONTROL.test(v), 'nameControl');

export const emailField = z.string('emailInvalid').trim().max(254, 'emailInvalid')
  .transform((v, ctx) => {
    const email = normaliseEmail(v);
    if (!email) { ctx.addIssue({ code: 'custom', message: 'emailInvalid' }); return z.NEVER; }
    return email;
  });

/** Stored in the table's order, each once. */
export const rolesField = z.array(z.enum(ASSIGNABLE_ROLES as [AssignableRole, ...AssignableRole[]], 'roleUnknown'), 'roleUnknown').max(10, 'roleUnknown')
  .transform((list) => ASSIGNABLE_ROLES.filter((r) => list.includes(r)));

export const contactTypesField = z.array(z.enum(CONTACT_TYPES, 'contactTypeUnknown'), 'contactTypeUnknown').max(10, 'contactTypeUnknown')
  .transform((list) => CONTACT_TYPES.filter((c) => list.includes(c)) as ContactType[]);

export const noteField = z.string('noteTooLong').trim().max(300, 'noteTooLong').refine((v) => !CONTROL.test(v.replace(/[\r\n\t]/g, ' ')), 'noteTooLong');

/** Parses or throws PeopleRefused with the first problem's code (the field's own message). */
export function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new PeopleRefused(parsed.error.issues[0].message as PeopleRefusal);
}

const ROLE_WORDS: Record<string, Role> = {
  globaladmin: 'globalAdmin', global: 'globalAdmin', globaladmins: 'globalAdmin',
  accountadmin: 'accountAdmin', account: 'accountAdmin', accountadmins: 'accountAdmin',
  usermanagementadmin: 'userManagementAdmin', usermanagement: 'userManagementAdmin', useradmin: 'userManagementAdmin', usermanagementadmins: 'userManagementAdmin',
  mpnpartneradmin: 'mpnPartnerAdmin', mpnadmin: 'mpnPartnerAdmin', mpn: 'mpnPartnerAdmin', partneradmin: 'mpnPartnerAdmin', mpnpartneradmins: 'mpnPartnerAdmin',
  ppc: 'ppc', primaryprogramcontact: 'ppc',
};

/** A role as people type it ("global admin", "globalAdmin", "MPN partner admin", "ppc"); undefined if none. */
export function roleFromWords(text: string): Role | undefined {
  return ROLE_WORDS[text.toLowerCase().replace(/[\s_-]+/g, '')];
}

/** "a,b" from a multi-select input → ["a", "b"]; an empty value is an empty list. */
export function splitChoices(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}
