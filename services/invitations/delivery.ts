// Delivering a batch of invitations once it is stored (issue 4 §4): each invitee found in the
// tenant's directory gets a message in their personal Teams chat (the bot is installed for them
// when needed); the others, and anyone Teams cannot reach, get an e-mail from the bot's sender
// mailbox. This file chooses the channel per invitee and records what was done; the bot renders
// the message and the mail (bot/actions/invitationDelivery.ts) and passes them in.
//
// Safe to run twice: each invitation is claimed before anything is sent for it (a second run
// skips it), and Teams messages go through the outbox under a key per invitation.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { DirectoryUnavailableError, type Directory, type MailMessage } from '../directory';
import type { LanguageCode } from '../people/languages';
import { hashInvitationCode, type InvitationDoc } from './invitations';

export interface DeliveryOptions {
  /** Message invitees found in the tenant's directory in Teams. */
  teams: boolean;
  /** E-mail the others (and those Teams cannot reach). */
  email: boolean;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { teams: true, email: true };

/** Invitees handled at once: 500 addresses never mean 500 Graph round trips in a row, nor 500 at once. */
export const DELIVERY_CONCURRENCY = 8;

export interface Invitee {
  invitationId: string;
  email: string;
  language: LanguageCode;
  expiresAt: Date;
}

/** Why an invitee was not reached (the last channel tried, or why none could be). */
export type UnreachedReason =
  | 'not-in-directory' // e-mail was off
  | 'teams-unreachable' // in the directory, but no chat could be opened; e-mail was off
  | 'lookup-failed' // the directory lookup failed; e-mail was off
  | 'directory-unavailable' // no Graph access for lookups; e-mail was off
  | 'mail-failed'
  | 'mail-unavailable'
  | 'interrupted'; // the bot stopped before this invitee's turn

export interface DeliveryReport {
  messaged: string[];
  emailed: string[];
  unreached: { email: string; reason: UnreachedReason }[];
  /** Lookups were refused for lack of Graph access (said once, not per address). */
  directoryUnavailable: boolean;
  /** Mail was refused for lack of Graph access or a sender mailbox. */
  mailUnavailable: boolean;
}

/** What the bot provides: the directory, and the rendering of each channel. */
export interface DeliveryChannels {
  directory: Directory;
  /**
   * Queues the invitation for the person's personal Teams chat under `key` (the same key twice
   * posts once). False when they cannot be reached in Teams.
   */
  enqueueMessage(invitee: Invitee, directoryUserId: string, key: string): Promise<boolean>;
  /** The invitation e-mail, in the invitation's language. */
  mailFor(invitee: Invitee): Pick<MailMessage, 'subject' | 'body' | 'contentType'>;
}

export interface DeliveryBatch {
  tenantId: string;
  batchId: string;
  /** Finds the batch by its hash, as everything else does; it is never stored in clear. */
  code: string;
}

type Outcome = { channel: 'teams' } | { channel: 'email' } | { channel: 'none'; reason: UnreachedReason };

/** What delivery leaves on the invitation document. */
export interface InvitationDelivery {
  state: 'sending' | 'teams' | 'email' | 'none';
  reason?: UnreachedReason;
  at: Date;
}

type DeliveredInvitationDoc = InvitationDoc & { delivery?: InvitationDelivery };

export function invitationMessageKey(invitationId: string): string {
  return `invitation:${invitationId}`;
}

export async function deliverInvitations(
  db: Db,
  batch: DeliveryBatch,
  options: DeliveryOptions,
  channels: DeliveryChannels,
  control: { concurrency?: number; signal?: AbortSignal; now?: () => Date } = {},
): Promise<DeliveryReport> {
  const now = control.now ?? (() => new Date());
  const report: DeliveryReport = { messaged: [], emailed: [], unreached: [], directoryUnavailable: false, mailUnavailable: false };
  if (!options.teams && !options.email) return report;
  const invitations = db.collection<DeliveredInvitationDoc>(collections.invitations);
  const batchDocs = await invitations
    .find({ tenantId: batch.tenantId, codeHash: hashInvitationCode(batch.code), batchId: batch.batchId, status: 'open' })
    .project<{ _id: string; email: string; language: LanguageCode; expiresAt: Date }>({ email: 1, language: 1, expiresAt: 1 })
    .toArray();
  const invitees: Invitee[] = batchDocs.map((d) => ({ invitationId: d._id, email: d.email, language: d.language, expiresAt: d.expiresAt }));

  const deliverOne = async (invitee: Invitee): Promise<Outcome | undefined> => {
    // Claimed first: a second run, or a revoked invitation, is skipped.
    const claimed = await invitations.findOneAndUpdate(
      { _id: invitee.invitationId, tenantId: batch.tenantId, status: 'open', delivery: { $exists: false } },
      { $set: { delivery: { state: 'sending', at: now() } } },
    );
    if (!claimed) return undefined;
    const outcome = await chooseAndSend(invitee);
    const record: InvitationDelivery = outcome.channel === 'none'
      ? { state: 'none', reason: outcome.reason, at: now() }
      : { state: outcome.channel, at: now() };
    await invitations.updateOne({ _id: invitee.invitationId, tenantId: batch.tenantId }, { $set: { delivery: record } });
    return outcome;
  };

  const chooseAndSend = async (invitee: Invitee): Promise<Outcome> => {
    let unreachedInTeams: UnreachedReason = 'not-in-directory';
    if (options.teams) {
      if (report.directoryUnavailable) unreachedInTeams = 'directory-unavailable';
      else {
        let userId: string | undefined;
        try {
          userId = (await channels.directory.findUserByEmail(batch.tenantId, invitee.email))?.id;
        } catch (err) {
          if (err instanceof DirectoryUnavailableError) report.directoryUnavailable = true;
          unreachedInTeams = err instanceof DirectoryUnavailableError ? 'directory-unavailable' : 'lookup-failed';
        }
        if (userId) {
          if (await channels.enqueueMessage(invitee, userId, invitationMessageKey(invitee.invitationId)).catch(() => false)) return { channel: 'teams' };
          unreachedInTeams = 'teams-unreachable';
        }
      }
    }
    if (!options.email) return { channel: 'none', reason: unreachedInTeams };
    if (report.mailUnavailable) return { channel: 'none', reason: 'mail-unavailable' };
    try {
      await channels.directory.sendMail(batch.tenantId, { to: [invitee.email], ...channels.mailFor(invitee) });
      return { channel: 'email' };
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) return { channel: 'none', reason: 'mail-failed' };
      report.mailUnavailable = true;
      return { channel: 'none', reason: 'mail-unavailable' };
    }
  };

  const interrupted: string[] = [];
  await forEachLimited(invitees, control.concurrency ?? DELIVERY_CONCURRENCY, async (invitee) => {
    if (control.signal?.aborted) { interrupted.push(invitee.email); return; }
    const outcome = await deliverOne(invitee);
    if (!outcome) return;
    if (outcome.channel === 'teams') report.messaged.push(invitee.email);
    else if (outcome.channel === 'email') report.emailed.push(invitee.email);
    else report.unreached.push({ email: invitee.email, reason: outcome.reason });
  });
  for (const email of interrupted) report.unreached.push({ email, reason: 'interrupted' });
  // Sorted, so the summary reads the same whichever worker finished first.
  for (const list of [report.messaged, report.emailed]) list.sort();
  report.unreached.sort((a, b) => a.email.localeCompare(b.email));
  return report;
}

/** Runs `run` over `items`, at most `limit` at a time; the first failure stops further starts. */
async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await run(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
