// Where to send a proactive message to a person: their personal chat with the bot if they ever
// opened it; otherwise the bot is installed for them through Graph and that chat is used (the
// service URL is the one Teams uses for their tenant, taken from any stored conversation).
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { collections } from '../../services/db/collections';
import { personalConversationOf, type StoredReference } from '../../services/conversations/references';
import type { Directory } from '../../services/directory';

export class PersonReach {
  constructor(private readonly db: Db, private readonly directory: Directory, private readonly logger: Logger) {}

  async referenceFor(tenantId: string, aadObjectId: string): Promise<StoredReference | undefined> {
    const known = await personalConversationOf(this.db, tenantId, aadObjectId);
    if (known || !this.directory.available) return known;
    try {
      await this.directory.installAppForUser(tenantId, aadObjectId);
      const chat = await this.directory.findBotChat(tenantId, aadObjectId);
      const any = await this.db.collection<{ reference: StoredReference }>(collections.conversationRefs).findOne({ tenantId });
      if (!chat || !any) return undefined;
      return {
        serviceUrl: any.reference.serviceUrl,
        channelId: 'msteams',
        conversation: { id: chat.chatId, tenantId, conversationType: 'personal' },
        bot: any.reference.bot,
      };
    } catch (err) {
      this.logger.warn({ err, tenantId }, 'could not install the app to reach a person');
      return undefined;
    }
  }
}
