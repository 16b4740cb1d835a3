// The one authorization table (DESIGN §3, seeds 000–004): every action the bot can take, and who
// may take it. Commands, card actions and services all ask `authorized(principals, action)`, so
// no entry point decides on its own. Tested as a full matrix in test/access/authorization.test.ts.
import type { Role } from './capabilities';

/**
 * Who someone is to an organisation: the roles they hold, plus `member` when they are associated
 * with it. Someone signed in to the tenant but not associated has no principal at all.
 */
export type Principal = Role | 'member';

/** `anyone`: any signed-in user of the tenant; `member`: any associated member; else these roles. */
export type Rule = 'anyone' | 'member' | readonly Role[];

const ASSOCIATION_MANAGERS = ['ppc', 'globalAdmin'] as const satisfies readonly Role[];
const USER_MANAGERS = ['globalAdmin', 'accountAdmin', 'userManagementAdmin'] as const satisfies readonly Role[];
const COMPETENCY_ADMINS = ['globalAdmin', 'mpnPartnerAdmin'] as const satisfies readonly Role[];

export const ACTIONS = {
  // Anyone signed in to Teams with a work account of the tenant.
  help: 'anyone',
  /** associate, join (accept an invitation). */
  'association.request': 'anyone',
  /** status: see or cancel one's own request. */
  'association.status': 'anyone',
  'profile.edit': 'anyone',
  /** register: Microsoft Graph then decides (a global administrator of the Entra tenant). */
  'organisation.register': 'anyone',
  /** who is my admin / admins (seed 003: anyone may find their admins). */
  'admins.find': 'anyone',

  // Any associated member (seed 004: only the user links their own MCID).
  'role.request': 'member',
  'certification.linkOwn': 'member',

  // Association management: the PPC and global admins (seed 000, 001, 002).
  'association.decide': ASSOCIATION_MANAGERS,
  'invitation.manage': ASSOCIATION_MANAGERS,
  'domains.manage': ASSOCIATION_MANAGERS,
  'approvalsChannel.set': ASSOCIATION_MANAGERS,
  /** There is always exactly one PPC; only they or a global admin hand the role on. */
  'ppc.transfer': ASSOCIATION_MANAGERS,

  // User management: global, account and user-management admins (seed 003).
  'user.add': USER_MANAGERS,
  'user.remove': USER_MANAGERS,
  'user.list': USER_MANAGERS,
  'user.changeRoles': USER_MANAGERS,
  'roleRequest.decide': USER_MANAGERS,
  /** Giving or taking the global admin role: only a global admin (no one escalates past their own rights). */
  'role.assignGlobalAdmin': ['globalAdmin'],

  // Competencies (seed 004): global admins and MPN partner admins.
  'competency.status': COMPETENCY_ADMINS,
  'skills.report': COMPETENCY_ADMINS,
  'transcripts.import': COMPETENCY_ADMINS,

  'audit.read': ['globalAdmin'],
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof ACTIONS;

export const ALL_ACTIONS = Object.keys(ACTIONS) as Action[];

export function ruleOf(action: Action): Rule {
  return ACTIONS[action];
}

export function authorized(principals: ReadonlySet<Principal>, action: Action): boolean {
  const rule: Rule = ACTIONS[action];
  if (rule === 'anyone') return true;
  // Every role holder is a member too (roles come from an associated membership, or the PPC).
  if (rule === 'member') return principals.size > 0;
  return rule.some((role) => principals.has(role));
}

/** The principals of someone with these roles; `member` when they are associated. */
export function principalsOf(roles: Iterable<Role>, isMember: boolean): Set<Principal> {
  const principals = new Set<Principal>(roles);
  if (isMember) principals.add('member');
  return principals;
}
