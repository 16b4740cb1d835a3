// The approver's side of association: approval cards sent to every approver, one-click decisions
// (Action.Execute association.approve / association.reject), every posted copy updated after a
// decision, the requester told, and the pending list with bulk decisions. Rules are in
// services/associations; this file turns them into cards and outbox notifications.
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
import { approvalsChannelOf } from '../../services/organisations/approvalsChannel';
import type { Outbox } from '../../services/outbox/outbox';
import { cardAction, type CardActionContext, type CardActionResult, type CardActionRoute } from '../cardActions';
import type { PersonReach } from './reach';

const PAGE_SIZE = 20;
/** The approvals channel's copy of a card, keyed like an approver's. */
const CHANNEL = 'channel';
const requestIdField = z.string().uuid('a request id');

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
    const card = await this.cardFor(request, { canDecide: true, refreshUserIds });
    for (const { approver, reference } of targets) {
      await this.outbox.enqueue({
        key: approvalCardKey(request._id, approver.aadObjectId),
        target: { tenantId: request.tenantId, reference },
        activity: { type: 'message', summary: `Association request from ${request.requester.displayName}`, attachments: [card] },
      });
    }
    // The approvals channel sees the status; its refresh gives approvers their buttons.
    const channel = await approvalsChannelOf(this.db, request.orgId);
    if (channel) {
      const channelCard = await this.cardFor(request, { canDecide: false, refreshUserIds });
      await this.outbox.enqueue({
        key: approvalCardKey(request._id, CHANNEL), target: { tenantId: request.tenantId, reference: channel },
        activity: { type: 'message', summary: `Association request from ${request.requester.displayName}`, attachments: [channelCard] },
      });
    }
  }

  /** After a decision: replace every posted copy with the final state, and tell the requester. */
  async afterDecision(request: AssociationRequestDoc): Promise<void> {
    const approvers = await approversOf(this.db, request.orgId);
    const card = await this.cardFor(request, { canDecide: false, refreshUserIds: [] });
    const copies: { key: string; reference: () => Promise<StoredReference | undefined> }[] = [
      ...approvers.map((a) => ({ key: approvalCardKey(request._id, a.aadObjectId), reference: () => this.reach.referenceFor(request.tenantId, a.aadObjectId) })),
      { key: approvalCardKey(request._id, CHANNEL), reference: () => approvalsChannelOf(this.db, request.orgId) },
    ];
    for (const copy of copies) {
      // Only copies that were posted are replaced.
      if (!(await this.outbox.get(copy.key))) continue;
      const reference = await copy.reference();
      if (!reference) continue;
      await this.outbox.enqueue({
        key: `${copy.key}:final`, kind: 'update', updateOf: copy.key,
        target: { tenantId: request.tenantId, reference },
        activity: { type: 'message', attachments: [card] },
      });
    }
    const requester = await this.reach.referenceFor(request.tenantId, request.requester.aadObjectId);
    if (!requester) return;
    const org = await this.organisationName(request);
    const by = request.decidedBy?.displayName ?? 'an approver';
    const text = request.status === 'approved'
      ? `Good news: your request to associate with **${org}** was approved by ${by}. You are now associated with your organisation's partner profile.`
      : `Your request to associate with **${org}** was rejected by ${by}.${request.reason ? ` Reason: ${request.reason}` : ''} Type **admins** to find who to ask.`;
    await this.outbox.enqueue({ key: `association-result:${request._id}`, target: { tenantId: request.tenantId, reference: requester }, activity: { type: 'message', text } });
  }

  /** The card as a given viewer should see it. */
  async cardFor(request: AssociationRequestDoc, view: { canDecide: boolean; refreshUserIds: string[] }) {
    return approvalCard({
      requestId: request._id,
      requester: request.requester.displayName,
      organisation: await this.organisationName(request),
      email: request.requester.email,
      domainPreApproved: request.domainPreApproved,
      createdAt: request.createdAt,
      status: request.status,
      decidedBy: request.decidedBy?.displayName,
      decidedAt: request.decidedAt,
      reason: request.reason,
      canDecide: view.canDecide,
      refreshUserIds: view.refreshUserIds,
    });
  }

  async pendingCard(who: Identity, page: number, summary = ''): Promise<CardActionResult> {
    const pending = await pendingRequests(this.db, who, page, PAGE_SIZE);
    if ('refused' in pending) return { message: pending.refused };
    return {
      card: pendingListCard({
        total: pending.total, page, pageSize: PAGE_SIZE, summary,
        requests: pending.requests.map((r) => ({ requestId: r._id, requester: r.requester.displayName, email: r.requester.email, createdAt: r.createdAt, domainPreApproved: r.domainPreApproved })),
      }).content,
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
          if (!request) return { message: "I can't find that request." };
          const canDecide = request.status === 'pending' && await mayDecide(this.db, ctx.who, request.orgId);
          return { card: (await this.cardFor(request, { canDecide, refreshUserIds: [] })).content };
        },
      }),
      cardAction({
        verb: 'association.pendingPage',
        data: z.object({ page: z.coerce.number().int().min(0).max(10_000) }),
        handle: (ctx, data) => this.pendingCard(ctx.who, data.page),
      }),
      cardAction({
        verb: 'association.bulk',
        // Ticked boxes arrive as req_<id>: "true"; anything else in the payload is ignored.
        data: z.object({ decision: z.enum(['approve', 'reject']), page: z.coerce.number().int().min(0).max(10_000).default(0) }).catchall(z.unknown()),
        handle: async (ctx, data) => {
          const ids = Object.entries(data).filter(([k, v]) => k.startsWith('req_') && v === 'true').map(([k]) => k.slice(4));
          const valid = ids.filter((id) => requestIdField.safeParse(id).success).slice(0, 500);
          if (valid.length === 0) return this.pendingCard(ctx.who, data.page, 'Tick at least one request first.');
          const counts = { decided: 0, already: 0, refused: 0 };
          for (const id of valid) {
            const result = await decide(this.db, { ...ctx.who, displayName: ctx.who.name ?? 'an approver' }, id, data.decision);
            if (result.outcome === 'decided') { counts.decided++; await this.afterDecision(result.request); }
            else if (result.outcome === 'alreadyDecided') counts.already++;
            else counts.refused++;
          }
          const verb = data.decision === 'approve' ? 'Approved' : 'Rejected';
          return this.pendingCard(ctx.who, 0, `${verb} ${counts.decided}, already decided ${counts.already}, refused ${counts.refused}.`);
        },
      }),
    ];
  }

  private async decideOne(ctx: CardActionContext, requestId: string, decision: Decision, reason?: string): Promise<CardActionResult> {
    const result = await decide(this.db, { ...ctx.who, displayName: ctx.who.name ?? 'an approver' }, requestId, decision, reason);
    switch (result.outcome) {
      case 'notFound': return { message: "I can't find that request. It may belong to another organisation." };
      case 'refused': return { message: result.message };
      case 'alreadyDecided': return { card: (await this.cardFor(result.request, { canDecide: false, refreshUserIds: [] })).content };
      case 'decided':
        await this.afterDecision(result.request);
        return { card: (await this.cardFor(result.request, { canDecide: false, refreshUserIds: [] })).content };
    }
  }

  private async organisationName(request: AssociationRequestDoc): Promise<string> {
    const org = await this.db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: request.orgId }, { projection: { legalName: 1 } });
    return org?.legalName ?? `Partner ID ${request.orgId}`;
  }
}

export function approvalCardKey(requestId: string, approverAadObjectId: string): string {
  return `approval:${requestId}:${approverAadObjectId}`;
}
