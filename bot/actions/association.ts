// The requester's side of association in chat: `status` and the cancel button. Rules live in
// services/associations; this file only turns them into messages and cards, in the user's language.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { formatTime, formatTimeAndAge } from '../../cards/format';
import { requestStatusCard } from '../../cards/requestStatusCard';
import type { Translate } from '../../i18n';
import type { Identity } from '../../services/access/identity';
import { cancelRequest } from '../../services/associations/associate';
import type { RequestStatus } from '../../services/associations/request';
import { requestStatus, type RequestStatusView } from '../../services/associations/status';
import { cardAction, type CardActionRoute } from '../cardActions';
import { tOf } from '../turnLanguage';

const STATUS_TEXT: Record<RequestStatus, (t: Translate) => string> = {
  pending: (t) => t('association:status.pending'),
  accepted: (t) => t('association:status.accepted'),
  approved: (t) => t('association:status.approved'),
  rejected: (t) => t('association:status.rejected'),
  cancelled: (t) => t('association:status.cancelled'),
};

export function statusCardFor(view: RequestStatusView, t: Translate, now = new Date()) {
  const { request } = view;
  const decidedAt = request.decidedAt && request.status !== 'pending' ? formatTime(request.decidedAt, t) : '';
  return requestStatusCard({
    requestId: request._id,
    organisation: t('association:status.organisation', { name: view.organisation.legalName, partnerId: view.organisation.partnerId }),
    status: STATUS_TEXT[request.status](t),
    sent: formatTimeAndAge(request.createdAt, now, t),
    email: request.requester.email,
    approvers: view.approvers.map((a) => (!a.isPpc ? a.displayName
      : a.displayName ? t('association:status.ppc', { name: a.displayName }) : t('association:status.unnamedPpc'))).join(', '),
    decided: !decidedAt ? ''
      : request.decidedBy?.displayName ? t('association:status.decidedAtBy', { time: decidedAt, name: request.decidedBy.displayName })
        : t('association:status.decidedAt', { time: decidedAt }),
    reason: request.reason ?? '',
    canCancel: request.status === 'pending',
  }, t);
}

export async function showStatus(db: Db, turn: TurnContext, who: Identity): Promise<void> {
  const t = tOf(turn);
  const view = await requestStatus(db, who);
  if (!view) {
    await turn.sendActivity(t('association:status.none'));
    return;
  }
  await turn.sendActivity({ attachments: [statusCardFor(view, t)] });
}

export function associationRequesterRoutes(db: Db): CardActionRoute[] {
  return [
    cardAction({
      verb: 'association.cancel',
      data: z.object({ requestId: z.string('errors:card.requestId').uuid('errors:card.requestId') }),
      async handle(ctx, data) {
        const t = tOf(ctx.turn);
        const cancelled = await cancelRequest(db, ctx.who, data.requestId);
        const view = await requestStatus(db, ctx.who);
        if (!cancelled) {
          return view && view.request._id === data.requestId
            ? { card: statusCardFor(view, t).content }
            : { message: t('association:status.notWaiting') };
        }
        return view ? { card: statusCardFor(view, t).content } : { message: t('association:status.cancelDone') };
      },
    }),
  ];
}
