// The approver's side of association: approval cards sent to every approver, one-click decisions
// (Action.Execute association.approve / association.reject), every posted copy updated after a
// decision, the requester told, and the pending list with bulk decisions. Rules are in
// services/associations; this file turns them into cards and outbox notifications, each in its
// reader's language: the clicker's in a turn, each recipient's stated one for proactive copies.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { z } from 'zod';
import { approvalCard } from '../../cards/approvalCard';
import { pendingListCard } from '../../cards/pendingListCard';
import type { Identity } from '../../services/access/identity';
import { approversOf } from '../../services/associations/approvers';
import { decide, mayDecide, pendingRequests, reasonField, type Decision } from '../../services/associations/decide';
import type { AssociationRequestDoc } from '../../services/associations/request';
import { collections } from '../../services/db/collections';
import type { OrganisationDoc } from '../../services/organisations/organisation';
import type { StoredReference } from '../../services/conversations/references';
import { approvalsChannelDetails, approvalsChannelOf } from '../../services/organisations/approvalsChannel';
import type { Outbox } from '../../services/outbox/outbox';
import { translator, type Translate } from '../../i18n';
import { cardAction, type CardActionContext, type CardActionResult, type CardActionRoute } from '../cardActions';
import { recipientTranslator, tOf } from '../turnLanguage';
import { errorText } from '../userText';
import type { PersonReach } from './reach';

const PAGE_SIZE = 20;
/** The approvals channel's copy of a card, keyed like an approver's. */
const CHANNEL = 'channel';
const requestIdField = z.string('errors:card.requestId').uuid('errors:card.requestId');
const pageField = z.coerce.number('errors:card.page').int('errors:card.page').min(0, 'errors:card.page').max(10_000, 'errors:card.page');

export class Approvals {
  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly reach: PersonReach,
    private readonly logger: Logger,
  ) {}

  /** Sends the approval card to every approver of the request's organisation (once per approver). */
  async notifyPending(request: AssociationRequestDoc): Promise<void> {
    const approvers = await approversOf(this.db, request.orgId);
    const refreshUserIds: string[] = [];
    const targets = [];
    for (const approver of approvers) {
      const reference = await this.reach.referenceFor(request.tenantId, approver.aadObjectId);
      if (!reference) { this.logger.info({ requestId: request._id }, 'an approver cannot be reached yet'); continue; }
      if (reference.user?.id) refreshUserIds.push(reference.user.id);
      targets.push({ approver, reference });
    }
    for (const { approver, reference } of targets) {
      const t = await recipientTranslator(this.db, request.tenantId, approver.aadObjectId);
      const card = await this.cardFor(request, { canDecide: true, refreshUserIds }, t);
      await this.outbox.enqueue({
        key: approvalCardKey(request._id, approver.aadObjectId),
        target: { tenantId: request.tenantId, reference },
        activity: { type: 'message', summary: t('approvals:summary', { name: request.requester.displayName }), attachments: [card] },
      });
    }
    // The approvals channel sees the status; its refresh gives approvers their buttons. It
    // speaks the language of whoever chose the channel.
    const channel = await approvalsChannelDetails(this.db, request.orgId);
    if (channel) {
      const t = await recipientTranslator(this.db, request.tenantId, channel.setBy);
      const channelCard = await this.cardFor(request, { canDecide: false, refreshUserIds }, t);
      await this.outbox.enqueue({
        key: approvalCardKey(request._id, CHANNEL), target: { tenantId: request.tenantId, reference: channel.reference },
        activity: { type: 'message', summary: t('approvals:summary', { name: request.requester.displayName }), attachments: [channelCard] },
      });
    }
  }

  /** After a decision: replace every posted copy with the final state, and tell the requester. */
  async afterDecision(request: AssociationRequestDoc): Promise<void> {
    const approvers = await approversOf(this.db, request.orgId);
    const copies: { key: string; reference: () => Promise<StoredReference | undefined>; reader: () => Promise<string | undefined> }[] = [
      ...approvers.map((a) => ({
        key: approvalCardKey(request._id, a.aadObjectId),
        reference: () => this.reach.referenceFor(request.tenantId, a.aadObjectId),
        reader: async () => a.aadObjectId,
      })),
      {
        key: approvalCardKey(request._id, CHANNEL),
        reference: () => approvalsChannelOf(this.db, request.orgId),
        reader: async () => (await approvalsChannelDetails(this.db, request.orgId))?.setBy,
      },
    ];
    for (const copy of copies) {
      // Only copies that were posted are replaced.
      if (!(await this.outbox.get(copy.key))) continue;
      const reference = await copy.reference();
      if (!reference) continue;
      const reader = await copy.reader();
      const t = reader ? await recipientTranslator(this.db, request.tenantId, reader) : translator();
      const card = await this.cardFor(request, { canDecide: false, refreshUserIds: [] }, t);
      await this.outbox.enqueue({
        key: `${copy.key}:final`, kind: 'update', updateOf: copy.key,
        target: { tenantId: request.tenantId, reference },
        activity: { type: 'message', attachments: [card] },
      });
    }
    const requester = await this.reach.referenceFor(request.tenantId, request.requester.aadObjectId);
    if (!requester) return;
    const t = await recipientTranslator(this.db, request.tenantId, request.requester.aadObjectId);
    const org = await this.organisationName(request, t);
    const by = request.decidedBy?.displayName || t('approvals:someApprover');
    const text = request.status === 'approved'
      ? t('approvals:toldApproved', { organisation: org, by })
      : request.reason
        ? t('approvals:toldRejectedWithReason', { organisation: org, by, reason: request.reason })
        : t('approvals:toldRejected', { organisation: org, by });
    await this.outbox.enqueue({ key: `association-result:${request._id}`, target: { tenantId: request.tenantId, reference: requester }, activity: { type: 'message', text } });
  }

  /** The card as a given viewer should see it, in their language. */
  async cardFor(request: AssociationRequestDoc, view: { canDecide: boolean; refreshUserIds: string[] }, t: Translate) {
    return approvalCard({
      requestId: request._id,
      requester: request.requester.displayName,
      organisation: await this.organisationName(request, t),
      email: request.requester.email,
      domainPreApproved: request.domainPreApproved,
      createdAt: request.createdAt,
      status: request.status,
      decidedBy: request.decidedBy?.displayName,
      decidedAt: request.decidedAt,
      reason: request.reason,
      canDecide: view.canDecide,
      refreshUserIds: view.refreshUserIds,
    }, new Date(), t);
  }

  /** `approvals`: the pending list, first page. */
  async command(turn: TurnContext, who: Identity): Promise<void> {
    const result = await this.pendingCard(who, 0, tOf(turn));
    await turn.sendActivity('card' in result ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: result.card }] } : result.message);
  }

  async pendingCard(who: Identity, page: number, t: Translate, summary = ''): Promise<CardActionResult> {
    const pending = await pendingRequests(this.db, who, page, PAGE_SIZE);
    if ('refused' in pending) return { message: errorText(t, pending.refused) };
    return {
      card: pendingListCard({
        total: pending.total, page, pageSize: PAGE_SIZE, summary,
        requests: pending.requests.map((r) => ({ requestId: r._id, requester: r.requester.displayName, email: r.requester.email, createdAt: r.createdAt, domainPreApproved: r.domainPreApproved })),
      }, new Date(), t).content,
    };
  }

  routes(): CardActionRoute[] {
    const decideRoute = (decision: Decision) => cardAction({
      verb: `association.${decision}`,
      data: z.object({ requestId: requestIdField, reason: reasonField }),
      handle: (ctx: CardActionContext, data: { requestId: string; reason?: string }) => this.decideOne(ctx, data.requestId, decision, data.reason),
    });
    return [
      decideRoute('approve'),
      decideRoute('reject'),
      // Universal Actions refresh: each viewer gets the card as they may use it.
      cardAction({
        verb: 'association.view',
        data: z.object({ requestId: requestIdField }),
        handle: async (ctx, data) => {
          const request = await this.db.collection<AssociationRequestDoc>(collections.associationRequests).findOne({ _id: data.requestId, tenantId: ctx.who.tenantId });
          if (!request) return { message: tOf(ctx.turn)('approvals:notFoundShort') };
          const canDecide = request.status === 'pending' && await mayDecide(this.db, ctx.who, request.orgId);
          return { card: (await this.cardFor(request, { canDecide, refreshUserIds: [] }, tOf(ctx.turn))).content };
        },
      }),
      cardAction({
        verb: 'association.pendingPage',
        data: z.object({ page: pageField }),
        handle: (ctx, data) => this.pendingCard(ctx.who, data.page, tOf(ctx.turn)),
      }),
      cardAction({
        verb: 'association.bulk',
        // Ticked boxes arrive as req_<id>: "true"; anything else in the payload is ignored.
        data: z.object({ decision: z.enum(['approve', 'reject']), page: pageField.default(0) }).catchall(z.unknown()),
        handle: async (ctx, data) => {
          const t = tOf(ctx.turn);
          const ids = Object.entries(data).filter(([k, v]) => k.startsWith('req_') && v === 'true').map(([k]) => k.slice(4));
          const valid = ids.filter((id) => requestIdField.safeParse(id).success).slice(0, 500);
          if (valid.length === 0) return this.pendingCard(ctx.who, data.page, t, t('approvals:list.tickFirst'));
          const counts = { decided: 0, already: 0, refused: 0 };
          for (const id of valid) {
            const result = await decide(this.db, { ...ctx.who, displayName: ctx.who.name ?? '' }, id, data.decision);
            if (result.outcome === 'decided') { counts.decided++; await this.afterDecision(result.request); }
            else if (result.outcome === 'alreadyDecided') counts.already++;
            else counts.refused++;
          }
          const summary = data.decision === 'approve' ? t('approvals:list.approvedSummary', counts) : t('approvals:list.rejectedSummary', counts);
          return this.pendingCard(ctx.who, 0, t, summary);
        },
      }),
    ];
  }

  private async decideOne(ctx: CardActionContext, requestId: string, decision: Decision, reason?: string): Promise<CardActionResult> {
    const t = tOf(ctx.turn);
    // An approver without a Teams name is stored without one; cards then say "an approver".
    const result = await decide(this.db, { ...ctx.who, displayName: ctx.who.name ?? '' }, requestId, decision, reason);
    switch (result.outcome) {
      case 'notFound': return { message: t('approvals:notFound') };
      case 'refused': return { message: errorText(t, result.code) };
      case 'alreadyDecided': return { card: (await this.cardFor(result.request, { canDecide: false, refreshUserIds: [] }, t)).content };
      case 'decided':
        await this.afterDecision(result.request);
        return { card: (await this.cardFor(result.request, { canDecide: false, refreshUserIds: [] }, t)).content };
    }
  }

  private async organisationName(request: AssociationRequestDoc, t: Translate): Promise<string> {
    const org = await this.db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: request.orgId }, { projection: { legalName: 1 } });
    return org?.legalName ?? t('approvals:partnerId', { partnerId: request.orgId });
  }
}

export function approvalCardKey(requestId: string, approverAadObjectId: string): string {
  return `approval:${requestId}:${approverAadObjectId}`;
}
