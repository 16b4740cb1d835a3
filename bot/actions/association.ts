// The requester's side of association in chat: `status` and the cancel button. Rules live in
// services/associations; this file only turns them into messages and cards.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { formatTime, formatTimeAndAge } from '../../cards/format';
import { requestStatusCard } from '../../cards/requestStatusCard';
import type { Identity } from '../../services/access/identity';
import { cancelRequest } from '../../services/associations/associate';
import type { RequestStatus } from '../../services/associations/request';
import { requestStatus, type RequestStatusView } from '../../services/associations/status';
import { cardAction, type CardActionRoute } from '../cardActions';

const STATUS_TEXT: Record<RequestStatus, string> = {
  pending: 'Waiting for approval',
  accepted: 'Accepted (pre-approved)',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled by you',
};

export function statusCardFor(view: RequestStatusView, now = new Date()) {
  const { request } = view;
  return requestStatusCard({
    requestId: request._id,
    organisation: `${view.organisation.legalName} (Partner ID ${view.organisation.partnerId})`,
    status: STATUS_TEXT[request.status],
    sent: formatTimeAndAge(request.createdAt, now),
    email: request.requester.email,
    approvers: view.approvers.map((a) => (a.isPpc ? `${a.displayName} (PPC)` : a.displayName)).join(', '),
    decided: request.decidedAt && request.status !== 'pending'
      ? `${formatTime(request.decidedAt)}${request.decidedBy ? ` by ${request.decidedBy.displayName}` : ''}` : '',
    reason: request.reason ?? '',
    canCancel: request.status === 'pending',
  });
}

export async function showStatus(db: Db, turn: TurnContext, who: Identity): Promise<void> {
  const view = await requestStatus(db, who);
  if (!view) {
    await turn.sendActivity("You haven't asked to associate with an organisation yet. Type **associate** to start.");
    return;
  }
  await turn.sendActivity({ attachments: [statusCardFor(view)] });
}

export function associationRequesterRoutes(db: Db): CardActionRoute[] {
  return [
    cardAction({
      verb: 'association.cancel',
      data: z.object({ requestId: z.string().uuid('a request id') }),
      async handle(ctx, data) {
        const cancelled = await cancelRequest(db, ctx.who, data.requestId);
        const view = await requestStatus(db, ctx.who);
        if (!cancelled) {
          return view && view.request._id === data.requestId
            ? { card: statusCardFor(view).content }
            : { message: 'That request is no longer waiting, so there is nothing to cancel.' };
        }
        return view ? { card: statusCardFor(view).content } : { message: 'Your request is cancelled.' };
      },
    }),
  ];
}
