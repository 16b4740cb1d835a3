// The commands the bot understands: one list that the router, the help card and the Teams
// manifest's command lists all read, so what Teams suggests is exactly what the bot answers.
import type { Capability } from '../services/access/capabilities';

export type CommandScope = 'personal' | 'team' | 'groupChat';

export interface CommandSpec {
  /** What the user types (first word, case-insensitive). */
  name: string;
  /** Manifest title (Teams shows it in the command menu; at most 32 characters). */
  title: string;
  /** Manifest and help-card description (at most 128 characters). */
  description: string;
  scopes: readonly CommandScope[];
  /** Who may use it; the help card hides it from everyone else. */
  capability: Capability;
  /**
   * Not in the manifest's command menu (Teams shows at most 10 per scope): still understood,
   * and listed on the help card for those who may use it.
   */
  unlisted?: boolean;
  /**
   * Other first words that run this command with the whole text as its arguments ("competency
   * status", "skills report"): understood, but neither on the help card nor in the menu.
   */
  aliases?: readonly string[];
}

const ALL: readonly CommandScope[] = ['personal', 'team', 'groupChat'];

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', title: 'help', description: 'What I can do for you', scopes: ALL, capability: 'anyone' },
  { name: 'associate', title: 'associate', description: "Join your organisation's partner profile (or accept an invitation code)", scopes: ['personal'], capability: 'anyone' },
  { name: 'status', title: 'status', description: 'See or cancel your association request', scopes: ['personal'], capability: 'anyone' },
  { name: 'profile', title: 'profile', description: 'See and change your profile: name, phone, preferred language', scopes: ['personal'], capability: 'anyone' },
  { name: 'mcid', title: 'mcid', description: 'Link or unlink your Microsoft Certification ID and Partner University access', scopes: ['personal'], capability: 'anyone' },
  { name: 'admins', title: 'admins', description: 'Find your global and account admins, or ask for a role', scopes: ALL, capability: 'anyone' },
  { name: 'approvals', title: 'approvals', description: 'Approve or reject pending association requests', scopes: ALL, capability: 'associationManagement' },
  { name: 'invite', title: 'invite', description: 'Invite colleagues: invite a@x.com; b@y.com (add --no-teams or --no-email to skip a channel); manage domains', scopes: ['personal'], capability: 'associationManagement' },
  { name: 'users', title: 'users', description: 'Add or remove users, change roles and contact types', scopes: ['personal'], capability: 'userManagement' },
  { name: 'competencies', title: 'competencies', description: 'Competency status and the skills report', scopes: ALL, capability: 'competencyReports', aliases: ['competency', 'skills'] },
  { name: 'set', title: 'set approvals channel', description: 'Post every new association request in this channel (PPC, global admins)', scopes: ['team'], capability: 'associationManagement' },
  { name: 'join', title: 'join', description: 'Accept an invitation: join CODE', scopes: ['personal'], capability: 'anyone', unlisted: true },
  { name: 'domains', title: 'domains', description: 'List, add or remove pre-approved e-mail domains', scopes: ['personal'], capability: 'associationManagement', unlisted: true },
  { name: 'register', title: 'register', description: "Register your organisation's partner profile (global administrators)", scopes: ['personal'], capability: 'anyone', unlisted: true },
  { name: 'audit', title: 'audit', description: 'The last 20 audited changes (audit name@contoso.com for one person)', scopes: ['personal'], capability: 'auditLog', unlisted: true },
  { name: 'invitations', title: 'invitations', description: 'Open invitations, and revoke one', scopes: ['personal'], capability: 'associationManagement', unlisted: true },
  // User management (seed 003): "add user", "remove user ann@contoso.com", "transfer ppc", "request role", "who is my admin".
  { name: 'add', title: 'add user', description: 'Add a user: full name, unique e-mail, roles', scopes: ['personal'], capability: 'userManagement', unlisted: true },
  { name: 'remove', title: 'remove user', description: 'Remove a user who left: remove user name@contoso.com', scopes: ['personal'], capability: 'userManagement', unlisted: true },
  { name: 'transfer', title: 'transfer ppc', description: 'Hand the Primary Program Contact role to another member', scopes: ['personal'], capability: 'associationManagement', unlisted: true },
  { name: 'request', title: 'request role', description: 'Ask your admins for a role or a contact type', scopes: ['personal'], capability: 'anyone', unlisted: true },
  { name: 'who', title: 'who is my admin', description: 'Find your global admins and account admins', scopes: ALL, capability: 'anyone', unlisted: true },
  // Understood in every chat so that outside the personal chat they can say where to go (privacy).
  { name: 'link', title: 'link', description: 'Link your MCID or Partner University access: link certification 12345, link partner university', scopes: ALL, capability: 'anyone', unlisted: true },
  { name: 'unlink', title: 'unlink', description: 'Unlink your MCID or remove Partner University access: unlink certification, unlink partner university', scopes: ALL, capability: 'anyone', unlisted: true },
];

/** The commands Teams offers in its menu for a scope (the manifest's command list). */
export function commandsIn(scope: CommandScope): CommandSpec[] {
  return COMMANDS.filter((c) => c.scopes.includes(scope) && !c.unlisted);
}
