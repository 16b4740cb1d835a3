// What follows decisions on association requests, for one click or a bulk of hundreds alike:
// every posted copy of each approval card is replaced by the final state, and each requester is
// told, in each reader's stated language. Built as a batch so the store work does not grow with
// the number of decisions: one read of the posted copies, one of the readers' languages, one of
// the requesters' chats, and one insert of every notification. Single clicks of the same moment
// are gathered into one such batch (afterOne), whatever their tenants.
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { approvalCard, type ApprovalCardData } from '../../cards/approvalCard';
import type { CardAttachment } from '../../cards/render';
import { approversOf } from '../../services/associations/approvers';
import type { DecidingOrganisation } from '../../services/associations/decide';
import type { AssociationRequestDoc } from '../../services/associations/request';
import type { StoredReference } from '../../services/conversations/references';
import { collections } from '../../services/db/collections';
import type { EnqueueRequest } from '../../services/outbox/notification';
import type { Outbox } from '../../services/outbox/outbox';
import { translator, type Translate } from '../../i18n';
import type { PersonReach } from './reach';
import { RecentCache } from '../recentCache';
import { Batcher } from '../../services/db/batcher';

/** The approvals channel's copy of a card, keyed like an approver's. */
export const CHANNEL = 'channel';

export function approvalCardKey(requestId: string, approverAadObjectId: string): string {
  return `approval:${requestId}:${approverAadObjectId}`;
}

/** The card data of a request as a viewer sees it (the organisation's name already resolved). */
export function approvalCardData(request: AssociationRequestDoc, organisation: string, view: { canDecide: boolean; refreshUserIds: string[] }): ApprovalCardData {
  return {
    requestId: request._id,
    requester: request.requester.displayName,
    organisation,
    email: request.requester.email,
    domainPreApproved: request.domainPreApproved,
    createdAt: request.createdAt,
    status: request.status,
    decidedBy: request.decidedBy?.displayName,
    decidedAt: request.decidedAt,
    reason: request.reason,
    canDecide: view.canDecide,
    refreshUserIds: view.refreshUserIds,
  };
}

export function organisationNameOf(organisation: Pick<DecidingOrganisation, 'legalName'> | undefined, orgId: string, t: Translate): string {
  return organisation?.legalName ?? t('approvals:partnerId', { partnerId: orgId });
}

export interface ApproverIdsOptions {
  maxOrganisations?: number;
  ttlMs?: number;
  now?: () => number;
}

/**
 * Who may hold a posted copy of an organisation's approval cards, remembered briefly. Only used
 * to name the copies to look for after a decision (never to authorise: decide() reads the rights
 * each time), and always completed with the PPC as just read and the approver who decided. The
 * approvers query reads every associated member of the organisation (there is no index on roles),
 * so each click reading it again cost as much as the rest of the decision. Other instances' role
 * changes show after `ttlMs`; a copy posted to someone promoted within that window is the only
 * one that could be missed, and `forget` drops an organisation at once.
 */
export class ApproverIds {
  private readonly cache: RecentCache<string[]>;

  constructor(private readonly db: Db, options: ApproverIdsOptions = {}) {
    this.cache = new RecentCache({ maxEntries: options.maxOrganisations ?? 1_000, ttlMs: options.ttlMs ?? 30_000, now: options.now });
  }

  async of(orgId: string): Promise<string[]> {
    const known = this.cache.get(orgId);
    if (known) return known.value;
    const ids = (await approversOf(this.db, orgId)).map((a) => a.aadObjectId);
    this.cache.set(orgId, ids);
    return ids;
  }

  forget(orgId: string): void {
    this.cache.delete(orgId);
  }
}

interface Copy { key: string; reader: string | undefined; reference: StoredReference }

/** A person, qualified by tenant (as their profile is keyed): follow-ups of several tenants go in one batch. */
const personKey = (tenantId: string, aadObjectId: string) => `${tenantId}:${aadObjectId}`;

export class ApprovalFollowUps {
  /** Single decisions' follow-ups, gathered with those of the clicks of the same moment. */
  private readonly batcher = new Batcher<{ request: AssociationRequestDoc; organisation?: DecidingOrganisation }, undefined>(async (items) => {
    await this.after(items.map((i) => i.request), new Map(items.flatMap((i) => (i.organisation ? [[i.organisation._id, i.organisation]] : []))));
    return items.map(() => undefined);
  });

  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly reach: PersonReach,
    private readonly approverIds: ApproverIds,
    private readonly logger: Logger,
  ) {}

  /** after() for one decision; resolves once its notifications are stored. */
  async afterOne(request: AssociationRequestDoc, organisation?: DecidingOrganisation): Promise<void> {
    await this.batcher.add({ request, organisation });
  }

  /**
   * Replaces every posted copy of each decided request's card and tells each requester. The
   * approver who decided a request (its decidedBy) is always among those whose copy is looked for.
   */
  async after(decided: AssociationRequestDoc[], organisations: Map<string, DecidingOrganisation>, now = new Date()): Promise<void> {
    if (!decided.length) return;

    // The copies that were posted (an approver's, the channel's), with where each went.
    const copyOf = new Map<string, { requestId: string; tenantId: string; reader: string | undefined }>();
    for (const orgId of new Set(decided.map((r) => r.orgId))) {
      const org = organisations.get(orgId);
      const approverIds = await this.approverIds.of(orgId);
      for (const request of decided.filter((r) => r.orgId === orgId)) {
        const approvers = new Set([...approverIds, ...(request.decidedBy ? [request.decidedBy.aadObjectId] : []), ...(org ? [org.ppcAadObjectId] : [])]);
        for (const a of approvers) copyOf.set(approvalCardKey(request._id, a), { requestId: request._id, tenantId: request.tenantId, reader: a });
        // The channel's copy speaks the language of whoever chose the channel.
        copyOf.set(approvalCardKey(request._id, CHANNEL), { requestId: request._id, tenantId: request.tenantId, reader: org?.approvalsChannel?.setBy });
      }
    }
    const [posted, requesterChats] = await Promise.all([
      this.outbox.getMany([...copyOf.keys()]),
      this.personalChats([...new Set(decided.map((r) => personKey(r.tenantId, r.requester.aadObjectId)))]),
    ]);
    const copies = new Map<string, Copy[]>();
    const readers = new Set<string>(decided.map((r) => personKey(r.tenantId, r.requester.aadObjectId)));
    for (const [key, view] of posted) {
      const copy = copyOf.get(key);
      if (!copy || view.kind !== 'send') continue;
      const list = copies.get(copy.requestId) ?? [];
      list.push({ key, reader: copy.reader, reference: view.reference as StoredReference });
      copies.set(copy.requestId, list);
      if (copy.reader) readers.add(personKey(copy.tenantId, copy.reader));
    }
    const languages = await this.languagesOf([...readers]);
    const translate = (tenantId: string, aadObjectId: string | undefined) => translator(aadObjectId ? languages.get(personKey(tenantId, aadObjectId)) : undefined);

    const notifications: EnqueueRequest[] = [];
    for (const request of decided) {
      const { tenantId } = request;
      const org = organisations.get(request.orgId);
      // One card per language: every copy shows the same final state.
      const cards = new Map<Translate, CardAttachment>();
      const cardIn = (t: Translate) => {
        let card = cards.get(t);
        if (!card) {
          card = approvalCard(approvalCardData(request, organisationNameOf(org, request.orgId, t), { canDecide: false, refreshUserIds: [] }), now, t);
          cards.set(t, card);
        }
        return card;
      };
      for (const copy of copies.get(request._id) ?? []) {
        notifications.push({
          key: `${copy.key}:final`, kind: 'update', updateOf: copy.key,
          target: { tenantId, reference: copy.reference },
          activity: { type: 'message', attachments: [cardIn(translate(tenantId, copy.reader))] },
        });
      }
      const requester = requesterChats.get(personKey(tenantId, request.requester.aadObjectId)) ?? await this.reach.referenceFor(tenantId, request.requester.aadObjectId);
      if (!requester) continue;
      const t = translate(tenantId, request.requester.aadObjectId);
      const organisation = organisationNameOf(org, request.orgId, t);
      const by = request.decidedBy?.displayName || t('approvals:someApprover');
      const text = request.status === 'approved'
        ? t('approvals:toldApproved', { organisation, by })
        : request.reason
          ? t('approvals:toldRejectedWithReason', { organisation, by, reason: request.reason })
          : t('approvals:toldRejected', { organisation, by });
      notifications.push({ key: `association-result:${request._id}`, target: { tenantId, reference: requester }, activity: { type: 'message', text } });
    }
    await this.outbox.enqueueMany(notifications);
    this.logger.debug({ decided: decided.length, notifications: notifications.length }, 'decision follow-ups enqueued');
  }

  /**
   * Stated language preferences of several people at once, by personKey (what recipientTranslator
   * reads for one: the profile `${tenantId}:${aadObjectId}`); absent means English.
   */
  private async languagesOf(people: string[]): Promise<Map<string, string | undefined>> {
    if (!people.length) return new Map();
    const docs = await this.db.collection<{ _id: string; language?: string }>(collections.userProfiles)
      .find({ _id: { $in: people } }, { projection: { language: 1 } }).toArray();
    return new Map(docs.map((d) => [d._id, d.language]));
  }

  /**
   * The personal chats the bot already has with these people, by personKey (as
   * personalConversationOf reads one: `personal:${tenantId}:${aadObjectId}`, active); the others
   * go through PersonReach, which may install the app for them.
   */
  private async personalChats(people: string[]): Promise<Map<string, StoredReference>> {
    const docs = await this.db.collection<{ _id: string; reference: StoredReference }>(collections.conversationRefs)
      .find({ _id: { $in: people.map((p) => `personal:${p}`) }, active: true }, { projection: { reference: 1 } }).toArray();
    return new Map(docs.map((d) => [d._id.slice('personal:'.length), d.reference]));
  }
}
