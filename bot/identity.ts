// Who sent an activity and where, as Teams describes it. Only Entra-signed-in Teams users (a
// tenant and an object id) reach services; everything else is answered without touching data.
import type { Activity } from 'botbuilder';
import type { Identity } from '../services/access/identity';
import type { CommandScope } from './commands';

export function identityOf(activity: Partial<Activity>): Identity | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenantId = textOrUndefined(channelData?.tenant?.id) ?? textOrUndefined(activity.conversation?.tenantId);
  const aadObjectId = textOrUndefined(activity.from?.aadObjectId);
  if (!tenantId || !aadObjectId) return undefined;
  return { tenantId, aadObjectId, name: textOrUndefined(activity.from?.name) };
}

export function scopeOf(activity: Partial<Activity>): CommandScope {
  switch (activity.conversation?.conversationType) {
    case 'channel': return 'team';
    case 'groupChat': return 'groupChat';
    default: return 'personal';
  }
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && value.length <= 200 ? value : undefined;
}
