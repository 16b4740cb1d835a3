// The roles table of DESIGN.md §3 as data: which role may do what. Every entry point (command,
// dialog, card action) asks `may(roles, capability)`, so no path can skip the rule.

/** Partner Center roles a member can hold; `ppc` is the one Primary Program Contact. */
export const ROLES = ['globalAdmin', 'accountAdmin', 'userManagementAdmin', 'mpnPartnerAdmin', 'ppc'] as const;
export type Role = (typeof ROLES)[number];

export const CAPABILITIES = {
  /** Anyone in the tenant: associate, see their own status and profile, find their admins. */
  anyone: [],
  /** Approve or reject association requests, invite people, manage pre-approved domains. */
  associationManagement: ['ppc', 'globalAdmin'],
  /** Add or remove users, change roles and contact types. */
  userManagement: ['globalAdmin', 'accountAdmin', 'userManagementAdmin'],
  /** Competency status and the skills report. */
  competencyReports: ['globalAdmin', 'mpnPartnerAdmin'],
  /** The audit log of decisions, role changes, links and domain changes. */
  auditLog: ['globalAdmin'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function may(roles: ReadonlySet<Role>, capability: Capability): boolean {
  const allowed: readonly Role[] = CAPABILITIES[capability];
  return allowed.length === 0 || allowed.some((role) => roles.has(role));
}

export const ROLE_TITLES: Record<Role, string> = {
  globalAdmin: 'Global admin',
  accountAdmin: 'Account admin',
  userManagementAdmin: 'User management admin',
  mpnPartnerAdmin: 'MPN partner admin',
  ppc: 'Primary program contact',
};
