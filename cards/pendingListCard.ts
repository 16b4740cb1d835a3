// The approver's list of pending requests (seed 000 "Accept/Reject Pending People"): a checkbox
// each, approve or reject the ticked ones together, and a summary of what happened. Its words
// are in the approver's language (`t`).
import template from './pendingList.json';
import { translator, type Translate } from '../i18n';
import { formatAge } from './format';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface PendingListData {
  total: number;
  page: number;
  pageSize: number;
  requests: { requestId: string; requester: string; email: string; createdAt: Date; domainPreApproved: boolean }[];
  summary: string;
}

export function pendingListCard(data: PendingListData, now = new Date(), t: Translate = translator('en')): CardAttachment {
  const shownUpTo = data.page * data.pageSize + data.requests.length;
  return cardAttachment(expandCard(template, {
    total: data.total,
    page: data.page,
    summary: data.summary,
    hasNext: shownUpTo < data.total,
    more: shownUpTo < data.total ? t('approvals:list.more', { from: data.page * data.pageSize + 1, to: shownUpTo, total: data.total }) : '',
    requests: data.requests.map((r) => {
      const item = { requester: r.requester, email: r.email, age: formatAge(r.createdAt, now, t) };
      return { requestId: r.requestId, title: r.domainPreApproved ? t('approvals:list.itemPreApproved', item) : t('approvals:list.item', item) };
    }),
    text: {
      title: t('approvals:list.title', { total: data.total }),
      empty: t('approvals:list.empty'),
      intro: t('approvals:list.intro'),
      approveSelected: t('approvals:list.approveSelected'),
      rejectSelected: t('approvals:list.rejectSelected'),
      nextPage: t('approvals:list.nextPage'),
    },
  }));
}
