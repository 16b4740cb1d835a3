// The storage is a drop-in botbuilder Storage: it type-checks as one, and conversation state
// saved through botbuilder's own ConversationState survives a "restart" (fresh objects on the
// same database).
import assert from 'node:assert/strict';
import { ConversationState, TestAdapter, TurnContext, type Activity, type Storage } from 'botbuilder';
import { MongoStateStorage } from '../../services/db/stateStorage';
import { openTestStore, type TestStore } from '../support/store';

interface DialogData {
  step: number;
  answers: Record<string, unknown>;
}

describe('MongoStateStorage with botbuilder', () => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore();
  });
  after(async () => {
    await store?.close();
  });

  const activity: Partial<Activity> = {
    type: 'message',
    channelId: 'msteams',
    conversation: { id: 'a:1Xyz-conv.id;messageid=1700000000000', isGroup: false, name: '', conversationType: 'personal' },
    from: { id: '29:user-aad', name: 'User' },
    recipient: { id: '28:bot-app-id', name: 'Bot' },
    text: 'hi',
  };

  /** A bot process: its own storage, state and accessor objects on the shared database. */
  function botProcess(db: ReturnType<TestStore['freshDb']>) {
    const storage: Storage = new MongoStateStorage(db);
    const conversationState = new ConversationState(storage);
    const dialogData = conversationState.createProperty<DialogData>('dialogData');
    const turn = () => new TurnContext(new TestAdapter(), activity);
    return { storage, conversationState, dialogData, turn };
  }

  it('state saved by one ConversationState is read by a fresh one on the same storage', async () => {
    const db = store.freshDb();
    const first = botProcess(db);

    const ctx1 = first.turn();
    assert.equal(await first.dialogData.get(ctx1), undefined);
    const saved: DialogData = { step: 2, answers: { $type: 'profile', 'e.mail': 'a@contoso.com', name: 'Zoë' } };
    await first.dialogData.set(ctx1, saved);
    await first.conversationState.saveChanges(ctx1);

    // A restarted bot: nothing shared with the first but the database.
    const second = botProcess(db);
    const ctx2 = second.turn();
    assert.deepEqual(await second.dialogData.get(ctx2), saved);

    // It continues the conversation; the next "restart" sees that too.
    const data = (await second.dialogData.get(ctx2))!;
    data.step = 3;
    await second.conversationState.saveChanges(ctx2);
    const third = botProcess(db);
    assert.equal((await third.dialogData.get(third.turn()))?.step, 3);

    // The key is botbuilder's own, stored as-is.
    const key = `msteams/conversations/${activity.conversation!.id}/`;
    assert.deepEqual(Object.keys(await third.storage.read([key])), [key]);
  });

  it('delete through ConversationState removes the stored state', async () => {
    const db = store.freshDb();
    const bot = botProcess(db);
    const ctx = bot.turn();
    await bot.dialogData.set(ctx, { step: 1, answers: {} });
    await bot.conversationState.saveChanges(ctx);
    await bot.conversationState.delete(ctx);

    const later = botProcess(db);
    assert.equal(await later.dialogData.get(later.turn()), undefined);
  });
});
