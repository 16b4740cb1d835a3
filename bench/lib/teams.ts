// Teams-shaped traffic: users, their one-to-one conversations, and the activity bodies a Teams
// client would POST for them. Bodies are built by the product's own LocalConnector.userActivity
// (channelId msteams, from.aadObjectId, channelData.tenant.id, a personal conversation, the
// connector's serviceUrl), so the bench never drifts from what the tests and the chat page send.
import type { Activity } from 'botbuilder';
import { LocalConnector, type LocalAccount, type LocalConversation } from '../../bot/local/connector';

export const BENCH_TENANT = 'bbbbbbbb-0000-4000-8000-00000000be00';

/** Stands for a fresh activity id in every request (autocannon's idReplacement; the driver does the same). */
export const ID_PLACEHOLDER = '[<id>]';

export interface BenchUser {
  account: LocalAccount;
  conversation: LocalConversation;
}

export class TeamsTraffic {
  private readonly shaper = new LocalConnector();

  /** `serviceUrl`: the connector every reply goes to. */
  constructor(serviceUrl: string, readonly tenantId = BENCH_TENANT) {
    this.shaper.serviceUrl = serviceUrl;
  }

  /**
   * `count` distinct users, each with a personal conversation of their own. `group` (0-65535)
   * keeps different scenarios' users apart in one store.
   */
  users(count: number, group: number): BenchUser[] {
    const users: BenchUser[] = [];
    for (let i = 0; i < count; i++) {
      const n = `${group.toString(16).padStart(4, '0')}${i.toString(16).padStart(8, '0')}`;
      const account: LocalAccount = {
        id: `29:bench-${n}`,
        name: `Bench User ${group}-${i}`,
        aadObjectId: `be000000-0000-4000-8000-${n}`,
        email: `bench${group}.${i}@contoso.example`,
        userPrincipalName: `bench${group}.${i}@contoso.example`,
        tenantId: this.tenantId,
      };
      const conversation: LocalConversation = {
        id: `a:personal-${account.id}`, conversationType: 'personal', tenantId: this.tenantId, members: [account], activities: [], log: [],
      };
      users.push({ account, conversation });
    }
    return users;
  }

  /** The JSON a Teams client posts to /api/messages, with a placeholder for the activity id. */
  body(user: BenchUser, fields: Partial<Activity>): string {
    return JSON.stringify(this.shaper.userActivity(user.conversation, user.account, { id: ID_PLACEHOLDER, ...fields }));
  }

  /** A plain text message (a command). */
  message(user: BenchUser, text: string): string {
    return this.body(user, { type: 'message', text });
  }
}
