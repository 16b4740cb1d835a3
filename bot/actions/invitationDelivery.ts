// Sends a stored batch of invitations to the invitees (issue 4 §4) and tells the PPC how it went.
// services/invitations/delivery.ts decides the channel per invitee; this file renders the Teams
// card and the e-mail in the invitation's language, and the PPC's summary in the PPC's.
//
// Why a background task in this process, and not a job on the queue: delivery can take longer
// than Teams' 15 s turn (500 invitees, a few Graph calls each, 8 at a time), so the turn answers
// at once and the summary follows through the outbox. The invitation code exists in clear only
// during the `invite` turn (the store keeps its hash), and a queued job would have to store it in
// clear to survive a restart. Every step is idempotent (each invitation is claimed before
// anything is sent for it; Teams messages are keyed in the outbox), and a bot that stops midway
// reports the invitees it did not reach, with the link to share, instead of losing them.
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { inviteMessageCard } from '../../cards/inviteMessageCard';
import { botLanguage, translator, type Translate } from '../../i18n';
import type { Identity } from '../../services/access/identity';
import type { Directory } from '../../services/directory';
import {
  deliverInvitations, type DeliveryOptions, type DeliveryReport, type Invitee, type UnreachedReason,
} from '../../services/invitations/delivery';
import type { Outbox } from '../../services/outbox/outbox';
import type { PersonReach } from './reach';

/** Unreached addresses listed by name in the summary; the rest are counted. */
const LISTED_UNREACHED = 30;

export interface DeliveryJob {
  who: Identity;
  batchId: string;
  /** The invitation code, in clear: it goes to invitees' own chats and mailboxes, never to logs. */
  code: string;
  organisation: string;
  options: DeliveryOptions;
  /** The PPC's language, from the turn that asked. */
  t: Translate;
}

export interface InvitationDeliveryDeps {
  db: Db;
  directory: Directory;
  outbox: Outbox;
  reach: PersonReach;
  logger: Logger;
  /** Builds the Teams deep link; local mode has none. */
  botAppId?: string;
}

/** The Teams deep link that opens a chat with the bot with `join CODE` ready to send. */
export function joinLink(botAppId: string, code: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=28:${botAppId}&message=${encodeURIComponent(`join ${code}`)}`;
}

export class InvitationDelivery {
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: InvitationDeliveryDeps) {}

  /** What the PPC reads in the turn: what is being sent now. */
  acknowledgement(t: Translate, options: DeliveryOptions): string {
    if (options.teams && options.email) return t('invitations:ack.both');
    if (options.teams) return t('invitations:ack.teams');
    if (options.email) return t('invitations:ack.email');
    return t('invitations:ack.none');
  }

  /** Starts delivering after the turn; the PPC gets the summary in their personal chat. */
  start(job: DeliveryJob): void {
    if (!job.options.teams && !job.options.email) return;
    const task: Promise<void> = this.run(job)
      .catch((err: unknown) => this.deps.logger.error({ err, batchId: job.batchId }, 'invitation delivery failed'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** On shutdown: no new invitee is started; those in flight finish and the summary is queued. */
  async drain(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
  }

  private async run(job: DeliveryJob): Promise<void> {
    const { logger } = this.deps;
    const { tenantId } = job.who;
    const inviter = job.who.name?.trim() || undefined;
    let text: string;
    try {
      const report = await deliverInvitations(this.deps.db, { tenantId, batchId: job.batchId, code: job.code }, job.options, {
        directory: this.deps.directory,
        enqueueMessage: (invitee, userId, key) => this.enqueueMessage(tenantId, invitee, userId, key, job.code, job.organisation, inviter),
        mailFor: (invitee) => this.mail(invitee, job.code, job.organisation, inviter),
      }, { signal: this.stopping.signal });
      logger.info({ batchId: job.batchId, messaged: report.messaged.length, emailed: report.emailed.length, unreached: report.unreached.length }, 'invitations delivered');
      text = this.summary(job, report);
    } catch (err) {
      logger.error({ err, batchId: job.batchId }, 'invitation delivery failed');
      text = [job.t('invitations:summary.failed', { organisation: job.organisation }), this.linkLine(job.t, job.code)].join('\n\n');
    }
    try {
      const reference = await this.deps.reach.referenceFor(tenantId, job.who.aadObjectId);
      if (!reference) { logger.warn({ batchId: job.batchId }, 'the inviter cannot be reached for the delivery summary'); return; }
      await this.deps.outbox.enqueue({ key: `invitation-summary:${job.batchId}`, target: { tenantId, reference }, activity: { type: 'message', text } });
    } catch (err) {
      logger.error({ err, batchId: job.batchId }, 'could not queue the invitation delivery summary');
    }
  }

  private async enqueueMessage(tenantId: string, invitee: Invitee, userId: string, key: string, code: string, organisation: string, inviter?: string): Promise<boolean> {
    try {
      return await this.enqueueCard(tenantId, invitee, userId, key, code, organisation, inviter);
    } catch (err) {
      this.deps.logger.warn({ err, invitationId: invitee.invitationId }, 'could not queue an invitation message; e-mailing instead if allowed');
      return false;
    }
  }

  private async enqueueCard(tenantId: string, invitee: Invitee, userId: string, key: string, code: string, organisation: string, inviter?: string): Promise<boolean> {
    const reference = await this.deps.reach.referenceFor(tenantId, userId);
    if (!reference) return false;
    const t = translator(invitee.language);
    const card = inviteMessageCard({
      title: t('invitations:message.title', { organisation }),
      intro: t('invitations:message.intro', { inviter: inviter ?? t('invitations:message.someone'), organisation }),
      instructions: t('invitations:message.instructions', { code }),
      note: t('invitations:message.note', { email: invitee.email, expires: formatDate(invitee.expiresAt, invitee.language) }),
      button: t('invitations:message.button'),
      code,
    });
    await this.deps.outbox.enqueue({
      key, target: { tenantId, reference },
      activity: { type: 'message', summary: t('invitations:message.summary', { organisation }), attachments: [card] },
    });
    return true;
  }

  private mail(invitee: Invitee, code: string, organisation: string, inviter?: string) {
    const t = translator(invitee.language);
    const who = inviter ?? t('invitations:message.someone');
    const body = [
      t('invitations:message.intro', { inviter: who, organisation }),
      this.deps.botAppId ? t('invitations:mail.link', { code, link: joinLink(this.deps.botAppId, code) }) : t('invitations:mail.noLink', { code }),
      t('invitations:mail.code', { code }),
      t('invitations:message.note', { email: invitee.email, expires: formatDate(invitee.expiresAt, invitee.language) }),
      t('invitations:mail.footer', { inviter: who }),
    ].join('\n\n');
    return { subject: t('invitations:mail.subject', { inviter: who, organisation }), body, contentType: 'text' as const };
  }

  private summary(job: DeliveryJob, report: DeliveryReport): string {
    const { t } = job;
    const lines = [t('invitations:summary.done', { organisation: job.organisation })];
    if (job.options.teams) lines.push(t('invitations:summary.messaged', { count: report.messaged.length }));
    if (job.options.email) lines.push(t('invitations:summary.emailed', { count: report.emailed.length }));
    if (report.unreached.length) {
      const listed = report.unreached.slice(0, LISTED_UNREACHED).map((u) => t('invitations:summary.unreachedItem', { email: u.email, reason: reasonText(t, u.reason) }));
      if (report.unreached.length > LISTED_UNREACHED) listed.push(t('invitations:summary.more', { count: report.unreached.length - LISTED_UNREACHED }));
      lines.push(t('invitations:summary.unreached', { count: report.unreached.length, addresses: listed.join(', ') }));
    }
    if (report.directoryUnavailable) lines.push(t('invitations:summary.directoryUnavailable'));
    if (report.mailUnavailable) lines.push(t('invitations:summary.mailUnavailable'));
    lines.push(this.linkLine(t, job.code));
    return lines.join('\n\n');
  }

  private linkLine(t: Translate, code: string): string {
    return this.deps.botAppId ? t('invitations:summary.link', { link: joinLink(this.deps.botAppId, code) }) : t('invitations:summary.linkLocal', { code });
  }
}

function reasonText(t: Translate, reason: UnreachedReason): string {
  switch (reason) {
    case 'not-in-directory': return t('invitations:reason.notInDirectory');
    case 'teams-unreachable': return t('invitations:reason.teamsUnreachable');
    case 'lookup-failed': return t('invitations:reason.lookupFailed');
    case 'directory-unavailable': return t('invitations:reason.directoryUnavailable');
    case 'mail-failed': return t('invitations:reason.mailFailed');
    case 'mail-unavailable': return t('invitations:reason.mailUnavailable');
    case 'interrupted': return t('invitations:reason.interrupted');
  }
}

/** A date in the reader's language, e.g. "14 June 2026" / "14 juin 2026" (UTC, as stored). */
function formatDate(at: Date, language: string): string {
  const locale = botLanguage(language) === 'fr' ? 'fr-FR' : 'en-GB';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}
