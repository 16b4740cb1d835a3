// The organisation the association scenarios run against, set up through the product's own
// paths: the seed import (as `npm run seed` does) for the organisation, its PPC and a global
// admin; a `help` turn from each approver over HTTP, so the bot knows their chats (approval
// cards reach them); and Teams identities at the connector, so member lookups answer with each
// user's e-mail and UPN (what proves a work e-mail in the association dialog).
import type { BotHandle, ConnectorHandle } from './context';
import { driveEach } from './driver';
import type { BenchUser, TeamsTraffic } from './teams';

/** Every association scenario's organisation has this Partner ID, in its own bot process. */
export const BENCH_PARTNER_ID = '9000001';
/** The bench users' addresses (bench/lib/teams.ts) are on this domain: pre-approved. */
export const PRE_APPROVED_DOMAIN = 'contoso.example';
/** A domain that is not pre-approved: requests from it wait for an approver. */
export const OTHER_DOMAIN = 'fabrikam.example';

export interface BenchOrganisation {
  partnerId: string;
  ppc: BenchUser;
  admin: BenchUser;
  /** The PPC and the global admin: who may decide. */
  approvers: BenchUser[];
}

export async function setUpOrganisation(bot: BotHandle, connector: ConnectorHandle, traffic: TeamsTraffic, group: number): Promise<BenchOrganisation> {
  const [ppc, admin] = traffic.users(2, group);
  await connector.accounts([ppc.account, admin.account]);
  await bot.seedOrganisation({
    organisations: [{
      partnerId: BENCH_PARTNER_ID, legalName: 'Contoso Bench Ltd', country: 'GB', address: '1 Bench Street, London',
      tenantId: traffic.tenantId, preApprovedDomains: [PRE_APPROVED_DOMAIN], ppcAadObjectId: ppc.account.aadObjectId,
    }],
    members: [
      { partnerId: BENCH_PARTNER_ID, aadObjectId: ppc.account.aadObjectId, email: ppc.account.email, displayName: ppc.account.name },
      { partnerId: BENCH_PARTNER_ID, aadObjectId: admin.account.aadObjectId, email: admin.account.email, displayName: admin.account.name, roles: ['globalAdmin'] },
    ],
  });
  const opened = await driveEach(bot.url, [ppc, admin].map((u) => traffic.message(u, 'help')), 2);
  if (opened.errors) throw new Error(`the approvers' first turns failed: ${opened.firstError}`);
  return { partnerId: BENCH_PARTNER_ID, ppc, admin, approvers: [ppc, admin] };
}

/**
 * `count` users whose work address is on a domain that is not pre-approved (their Teams
 * identity says so too), each having talked to the bot once (`status`), as a requester has
 * before a decision: the bot knows where to tell them.
 */
export async function requestersOf(bot: BotHandle, connector: ConnectorHandle, traffic: TeamsTraffic, count: number, group: number): Promise<BenchUser[]> {
  const users = traffic.users(count, group).map((u) => {
    const email = u.account.email.replace(`@${PRE_APPROVED_DOMAIN}`, `@${OTHER_DOMAIN}`);
    return { ...u, account: { ...u.account, email, userPrincipalName: email } };
  });
  await connector.accounts(users.map((u) => u.account));
  const primed = await driveEach(bot.url, users.map((u) => traffic.message(u, 'status')), 32);
  if (primed.errors) throw new Error(`the requesters' first turns failed: ${primed.firstError}`);
  return users;
}

/** Pending requests of these requesters, through submitAssociation (as the dialog's last step). */
export async function seedPending(bot: BotHandle, org: BenchOrganisation, requesters: BenchUser[]): Promise<string[]> {
  const seeded = await bot.seedPending({
    partnerId: org.partnerId,
    requesters: requesters.map((u) => ({ tenantId: u.account.tenantId, aadObjectId: u.account.aadObjectId, name: u.account.name, email: u.account.email })),
    concurrency: 8,
  });
  if (seeded.pending !== requesters.length) throw new Error(`seeded ${seeded.pending} pending requests of ${requesters.length} (${seeded.accepted} accepted at once)`);
  return seeded.requestIds;
}

/** The `adaptiveCard/action` invoke Teams sends for an Action.Execute click. */
export function cardClick(traffic: TeamsTraffic, user: BenchUser, verb: string, data: Record<string, unknown>): string {
  return traffic.body(user, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
}
