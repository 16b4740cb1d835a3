// The approver's list of pending requests (seed 000 "Accept/Reject Pending People"): a checkbox
// each, approve or reject the ticked ones together, and a summary of what happened.
import template from './pendingList.json';
import { formatAge } from './format';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface PendingListData {
  total: number;
  page: number;
  pageSize: number;
  requests: { requestId: string; requester: string; email: string; createdAt: Date; domainPreApproved: boolean }[];
  summary: string;
}

export function pendingListCard(data: PendingListData, now = new Date()): CardAttachment {
  const shownUpTo = data.page * data.pageSize + data.requests.length;
  return cardAttachment(expandCard(template, {
    total: data.total,
    page: data.page,
    summary: data.summary,
    hasNext: shownUpTo < data.total,
    more: shownUpTo < data.total ? `Showing ${data.page * data.pageSize + 1}–${shownUpTo} of ${data.total}.` : '',
    requests: data.requests.map((r) => ({
      requestId: r.requestId, requester: r.requester, email: r.email, age: formatAge(r.createdAt, now),
      domainNote: r.domainPreApproved ? ', pre-approved domain' : '',
    })),
  }));
}
