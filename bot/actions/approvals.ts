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
import { decide, decideMany, mayDecide, pendingRequests, reasonField, type Decision, type DecidingOrganisation } from '../../services/associations/decide';
import type { AssociationRequestDoc } from '../../services/associations/request';
import { collections } from '../../services/db/collections';
import type { OrganisationDoc } from '../../services/organisations/organisation';
import type { ApprovalsChannel } from '../../services/organisations/approvalsChannel';
import type { Outbox } from '../../services/outbox/outbox';
import type { Translate } from '../../i18n';
import { cardAction, type CardActionContext, type CardActionResult, type CardActionRoute } from '../cardActions';
import { recipientTranslator, tOf } from '../turnLanguage';
import { errorText } from '../userText';
import { ApprovalFollowUps, approvalCardData, approvalCardKey, ApproverIds, CHANNEL, organisationNameOf } from './approvalFollowUps';
import type { PersonReach } from './reach';

export { approvalCardKey } from './approvalFollowUps';

const PAGE_SIZE = 20;
/** Most requests one bulk click decides (the pending card shows 20 a page; a forged payload may tick more). */
const BULK_MAX = 500;
const requestIdField = z.string('errors:card.requestId').uuid('errors:card.requestId');
const pageField = z.coerce.number('errors:card.page').int('errors:card.page').min(0, 'errors:card.page').max(10_000, 'errors:card.page');

export class Approvals {
  private readonly followUps: ApprovalFollowUps;

  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly reach: PersonReach,
    private readonly logger: Logger,
  ) {
    this.followUps = new ApprovalFollowUps(db, outbox, reach, new ApproverIds(db), logger);
  }

  /** Sends the approval card to every approver of the request's organisation (once per approver). */
  async notifyPending(request: AssociationRequestDoc): Promise<void> {
    const [approvers, org] = await Promise.all([approversOf(this.db, request.orgId), this.organisationOf(request.orgId)]);
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
      const card = await this.cardFor(request, { canDecide: true, refreshUserIds }, t, org);
      await this.outbox.enqueue({
        key: approvalCardKey(request._id, approver.aadObjectId),
        target: { tenantId: request.tenantId, reference },
        activity: { type: 'message', summary: t('approvals:summary', { name: request.requester.displayName }), attachments: [card] },
      });
    }
    // The approvals channel sees the status; its refresh gives approvers their buttons. It
    // speaks the language of whoever chose the channel.
    const channel = org?.approvalsChannel;
    if (channel) {
      const t = await recipientTranslator(this.db, request.tenantId, channel.setBy);
      const channelCard = await this.cardFor(request, { canDecide: false, refreshUserIds }, t, org);
      await this.outbox.enqueue({
        key: approvalCardKey(request._id, CHANNEL), target: { tenantId: request.tenantId, reference: channel.reference },
        activity: { type: 'message', summary: t('approvals:summary', { name: request.requester.displayName }), attachments: [channelCard] },
      });
    }
  }

  /**
   * After a decision: replace every posted copy with the final state, and tell the requester
   * (last: that notification existing means the copies' updates were recorded too).
   * `organisation` is what the decision read; without it, it is read here.
   */
  async afterDecision(request: AssociationRequestDoc, organisation?: DecidingOrganisation): Promise<void> {
    const org = organisation ?? await this.organisationOf(request.orgId);
    await this.followUps.afterOne(request, org);
  }

  /** The card as a given viewer should see it, in their language. */
  async cardFor(request: AssociationRequestDoc, view: { canDecide: boolean; refreshUserIds: string[] }, t: Translate, organisation?: Pick<DecidingOrganisation, 'legalName'>) {
    const org = organisation ?? await this.organisationOf(request.orgId);
    return approvalCard(approvalCardData(request, organisationNameOf(org, request.orgId, t), view), new Date(), t);
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
          const valid = ids.filter((id) => requestIdField.safeParse(id).success).slice(0, BULK_MAX);
          if (valid.length === 0) return this.pendingCard(ctx.who, data.page, t, t('approvals:list.tickFirst'));
          // One guarded update for the batch, then every follow-up as one batch too.
          const result = await decideMany(this.db, { ...ctx.who, displayName: ctx.who.name ?? '' }, valid, data.decision);
          await this.followUps.after(result.decided, result.organisations);
          const counts = { decided: result.decided.length, already: result.alreadyDecided, refused: result.refused };
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
      case 'alreadyDecided': return { card: (await this.cardFor(result.request, { canDecide: false, refreshUserIds: [] }, t, result.organisation)).content };
      case 'decided':
        await this.afterDecision(result.request, result.organisation);
        return { card: (await this.cardFor(result.request, { canDecide: false, refreshUserIds: [] }, t, result.organisation)).content };
    }
  }

  /** What the cards and follow-ups need of an organisation, when the decision did not read it. */
  private async organisationOf(orgId: string): Promise<DecidingOrganisation | undefined> {
    return await this.db.collection<OrganisationDoc & { approvalsChannel?: ApprovalsChannel }>(collections.organisations)
      .findOne({ _id: orgId }, { projection: { ppcAadObjectId: 1, legalName: 1, approvalsChannel: 1 } }) ?? undefined;
  }
}
