// The roles of DESIGN.md §3, and the coarse capabilities commands carry. What each role may do is
// decided by the action table in authorization.ts; `may(roles, capability)` asks it.
import { authorized, type Action } from './authorization';

/** Partner Center roles a member can hold; `ppc` is the one Primary Program Contact. */
export const ROLES = ['globalAdmin', 'accountAdmin', 'userManagementAdmin', 'mpnPartnerAdmin', 'ppc'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The coarse capabilities commands carry (bot/commands.ts), each an action of the authorization
 * table (authorization.ts), so a command and the service behind it apply the same rule.
 */
export const CAPABILITIES = {
  /** Anyone in the tenant: associate, see their own status and profile, find their admins. */
  anyone: 'admins.find',
  /** Approve or reject association requests, invite people, manage pre-approved domains. */
  associationManagement: 'association.decide',
  /** Add or remove users, change roles and contact types. */
  userManagement: 'user.list',
  /** Competency status and the skills report. */
  competencyReports: 'competency.status',
  /** The audit log of decisions, role changes, links and domain changes. */
  auditLog: 'audit.read',
} as const satisfies Record<string, Action>;

export type Capability = keyof typeof CAPABILITIES;

/** Whether someone holding `roles` may use a command of this capability (membership aside). */
export function may(roles: ReadonlySet<Role>, capability: Capability): boolean {
  return authorized(roles, CAPABILITIES[capability]);
}

export const ROLE_TITLES: Record<Role, string> = {
  globalAdmin: 'Global admin',
  accountAdmin: 'Account admin',
  userManagementAdmin: 'User management admin',
  mpnPartnerAdmin: 'MPN partner admin',
  ppc: 'Primary program contact',
};
