// Association end to end over HTTP (seed 000): the guided dialog, proof of the work e-mail,
// accepted at once or pending, approval cards, one-click decisions and their refusals, bulk
// decisions, status and cancel, and the 24 h / 72 h reminders under a fake clock.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import type { Db } from 'mongodb';
import sinon from 'sinon';
import { collections } from '../../services/db/collections';
import { pollUntil } from '../support/storeAssertions';
import { adaptiveCards, TeamsUser, type TestBot } from '../support/botHarness';
import { OTHER_TENANT, PARTNER_ID, startOrgFixture, TENANT, texts, type OrgFixture } from '../support/orgFixture';

describe('association and approvals', () => {
  let fixture: OrgFixture;
  let bot: TestBot;
  let db: Db;
  let ppc: TeamsUser;
  let admin: TeamsUser;
  let person: OrgFixture['person'];

  before(async () => {
    fixture = await startOrgFixture();
    ({ bot, db, ppc, admin, person } = fixture);
  });
  after(async () => { await fixture?.close(); });

  /** Runs the dialog to the confirmation question; returns the replies to the form. */
  async function fillIn(user: TeamsUser, email: string, find = PARTNER_ID): Promise<Activity[]> {
    assert.match(texts(await user.say('associate')), /Partner ID/);
    const form = await user.say(find);
    if (!/association\.profile/.test(texts(form))) {
      // A name search offers a pick list first.
      assert.match(texts(form), /Fabrikam Partner Société/);
      assert.match(texts(await user.say('Fabrikam Partner Société (FR), Partner ID 7777777')), /association\.profile/);
    }
    return (await user.submit({ form: 'association.profile', displayName: user.account.name, email, phone: '', language: 'en', mcid: '' })).replies;
  }

  async function cardsIn(user: TeamsUser, count: number): Promise<Record<string, unknown>[]> {
    await pollUntil(async () => adaptiveCards(user.conversation.activities).filter((c) => JSON.stringify(c).includes('Association request')).length >= count, { what: 'an approval card' });
    return adaptiveCards(user.conversation.activities).filter((c) => JSON.stringify(c).includes('Association request'));
  }

  async function requestOf(user: TeamsUser) {
    return db.collection(collections.associationRequests).findOne({ 'requester.aadObjectId': user.account.aadObjectId }, { sort: { createdAt: -1 } });
  }

  it('a proven address on a pre-approved domain is accepted at once and becomes a membership', async () => {
    const anna = person('Anna Employee', 'anna@fabrikam.example');
    const confirm = await fillIn(anna, 'anna@fabrikam.example');
    assert.match(texts(confirm), /Work e-mail: anna@fabrikam\.example \(proven\)[\s\S]*Send the request\?/);
    assert.match(texts(await anna.say('Yes')), /Your request to associate with the company has been accepted/);
    const member = await db.collection(collections.members).findOne({ _id: `${TENANT}:${anna.account.aadObjectId}` as never });
    assert.equal(member?.status, 'associated');
    assert.equal(member?.orgId, PARTNER_ID);
    assert.equal((await requestOf(anna))?.status, 'accepted');
    // A second association with the same organisation is refused.
    await fillIn(anna, 'anna@fabrikam.example');
    assert.match(texts(await anna.say('Yes')), /You are already associated with Fabrikam Partner Société/);
  });

  it('finds the organisation by part of its name, accents and case ignored', async () => {
    const zoe = person('Zoe Employee', 'zoe@fabrikam.example');
    const confirm = await fillIn(zoe, 'zoe@fabrikam.example', 'partner SOCIETE');
    assert.match(texts(confirm), /Send the request\?/);
    await zoe.say('No');
  });

  it('a name search does not show organisations of another tenant', async () => {
    const outsider = person('Olga Outsider', 'olga@elsewhere.example', OTHER_TENANT);
    await outsider.say('associate');
    assert.match(texts(await outsider.say('Fabrikam')), /I found no organisation named like "Fabrikam"/);
    await outsider.say('cancel');
  });

  it('an address that is not the Teams identity must be proven with a code; a wrong code is explained', async () => {
    const carl = person('Carl Employee', 'carl@fabrikam.example');
    const asked = await fillIn(carl, 'carl.private@fabrikam.example');
    assert.match(texts(asked), /not the address Teams knows for you, so I sent a 6-digit code/);
    const printed = bot.printed.find((l) => l.includes('c***@fabrikam.example'));
    const code = /: (\d{6})$/.exec(printed ?? '')?.[1];
    assert.ok(code, `a code was printed: ${bot.printed.join(' | ')}`);
    const wrong = code === '000000' ? '111111' : '000000';
    assert.match(texts(await carl.say(wrong)), /That code is not right\. 4 tries left/);
    assert.match(texts(await carl.say(code)), /carl\.private@fabrikam\.example \(proven\)/);
    assert.match(texts(await carl.say('Yes')), /has been accepted/);
    assert.doesNotMatch(bot.logs.join(''), new RegExp(code), 'the code never reaches the logs');
  });

  it('bad form input is re-asked with the problem named and the values kept', async () => {
    const dina = person('Dina Employee', 'dina@fabrikam.example');
    await dina.say('associate');
    await dina.say(PARTNER_ID);
    const bad = await dina.submit({ form: 'association.profile', displayName: 'Dina', email: { $ne: null }, phone: '12', language: 'xx', mcid: '' });
    assert.match(texts(bad.replies), /Work e-mail: /);
    const phone = await dina.submit({ form: 'association.profile', displayName: 'Dina', email: 'dina@fabrikam.example', phone: 'call me', language: 'en', mcid: '' });
    assert.match(texts(phone.replies), /Phone: A phone number may contain digits/);
    assert.match(texts(phone.replies), /"value":"dina@fabrikam\.example"/);
    await dina.say('cancel');
    assert.equal(await requestOf(dina), null);
    // The old form's button, pressed after the conversation ended, is not taken as anything.
    const stale = await dina.submit({ form: 'association.profile', displayName: 'Dina', email: 'dina@fabrikam.example', phone: '', language: 'en', mcid: '' });
    assert.match(texts(stale.replies), /That form belongs to a conversation that has ended/);
  });

  it('another domain waits for approval; the approvers get a card; the PPC approves in one click', async () => {
    const bob = person('Bob Outsider', 'bob@other.example');
    await fillIn(bob, 'bob@other.example');
    assert.match(texts(await bob.say('Yes')), /sent to your organisation's program administrator/);
    const request = await requestOf(bob);
    assert.equal(request?.status, 'pending');

    const [ppcCard] = await cardsIn(ppc, 1);
    await cardsIn(admin, 1);
    assert.match(JSON.stringify(ppcCard), /Bob Outsider asks to be associated with Fabrikam Partner Société/);
    assert.match(JSON.stringify(ppcCard), /Not a pre-approved domain/);
    assert.match(JSON.stringify(ppcCard), /"verb":"association\.approve"/);

    // status shows who can approve.
    assert.match(texts(await bob.say('status')), /Waiting for approval[\s\S]*Priya PPC \(PPC\)/);

    const click = await ppc.execute('association.approve', { requestId: request!._id });
    assert.equal(click.status, 200);
    assert.match(JSON.stringify(click.body), /Approved by Priya PPC at/);
    assert.doesNotMatch(JSON.stringify(click.body), /"verb":"association\.approve"/);
    assert.equal((await requestOf(bob))?.status, 'approved');
    assert.equal((await db.collection(collections.members).findOne({ _id: `${TENANT}:${bob.account.aadObjectId}` as never }))?.status, 'associated');

    // The requester is told, and every posted copy now shows the decision.
    await pollUntil(async () => bob.conversation.activities.some((a) => /was approved by Priya PPC/.test(a.text ?? '')), { what: 'the requester told' });
    await pollUntil(async () => JSON.stringify(adaptiveCards(admin.conversation.activities)).includes('Approved by Priya PPC'), { what: "the admin's copy updated" });

    // A second click, by anyone, changes nothing and shows the final state.
    const again = await admin.execute('association.approve', { requestId: request!._id });
    assert.match(JSON.stringify(again.body), /Approved by Priya PPC/);
    const audit = await db.collection(collections.audit).countDocuments({ subject: request!._id, action: 'association.approved' });
    assert.equal(audit, 1);
  });

  it('a rejection carries its reason to the requester', async () => {
    const eve = person('Eve Outsider', 'eve@other.example');
    await fillIn(eve, 'eve@other.example');
    await eve.say('Yes');
    const request = await requestOf(eve);
    const click = await admin.execute('association.reject', { requestId: request!._id, reason: 'Not an employee' });
    assert.match(JSON.stringify(click.body), /Rejected by Gabe Admin/);
    await pollUntil(async () => eve.conversation.activities.some((a) => /was rejected by Gabe Admin\. Reason: Not an employee/.test(a.text ?? '')), { what: 'the requester told' });
    assert.equal(await db.collection(collections.members).countDocuments({ aadObjectId: eve.account.aadObjectId }), 0);
  });

  it('a non-approver and a user of another tenant are refused, and nothing changes', async () => {
    const fred = person('Fred Outsider', 'fred@other.example');
    await fillIn(fred, 'fred@other.example');
    await fred.say('Yes');
    const request = await requestOf(fred);
    const colleague = person('Nosy Colleague', 'nosy@fabrikam.example');
    const refused = await colleague.execute('association.approve', { requestId: request!._id });
    assert.match(JSON.stringify(refused.body), /Only the Primary Program Contact or a global admin/);
    const foreign = person('Foreign Admin', 'root@elsewhere.example', OTHER_TENANT);
    await db.collection(collections.members).insertOne({ tenantId: OTHER_TENANT, aadObjectId: foreign.account.aadObjectId, orgId: PARTNER_ID, roles: ['globalAdmin'], status: 'associated' });
    const crossTenant = await foreign.execute('association.approve', { requestId: request!._id });
    assert.match(JSON.stringify(crossTenant.body), /can't find that request/);
    const forged = await colleague.execute('association.approve', { requestId: { $gt: '' } });
    assert.equal((forged.body as { type: string }).type, 'application/vnd.microsoft.error');
    assert.equal((await requestOf(fred))?.status, 'pending');
  });

  it('the requester can cancel a pending request from the status card', async () => {
    const gil = person('Gil Outsider', 'gil@other.example');
    await fillIn(gil, 'gil@other.example');
    await gil.say('Yes');
    const request = await requestOf(gil);
    const other = person('Hal', 'hal@fabrikam.example');
    const notTheirs = await other.execute('association.cancel', { requestId: request!._id });
    assert.match(JSON.stringify(notTheirs.body), /no longer waiting/);
    const cancel = await gil.execute('association.cancel', { requestId: request!._id });
    assert.match(JSON.stringify(cancel.body), /Cancelled by you/);
    assert.equal((await requestOf(gil))?.status, 'cancelled');
  });

  it('approvals lists pending requests oldest first, and approves the ticked ones together', async () => {
    const waiting: TeamsUser[] = [];
    for (const name of ['Ivy', 'Jon', 'Kim']) {
      const u = person(`${name} Outsider`, `${name.toLowerCase()}@other.example`);
      await fillIn(u, u.account.email);
      await u.say('Yes');
      waiting.push(u);
    }
    const list = adaptiveCards(await ppc.say('approvals'))[0];
    const toggles = (list.body as { type: string; id?: string; title?: string }[]).filter((b) => b.type === 'Input.Toggle');
    const names = toggles.map((t) => t.title?.split(' <')[0]);
    assert.deepEqual(names.slice(-3), ['Ivy Outsider', 'Jon Outsider', 'Kim Outsider']);
    const ids = await Promise.all(waiting.map(async (u) => String((await requestOf(u))!._id)));
    // Kim's request is decided by someone else first.
    await admin.execute('association.reject', { requestId: ids[2] });
    const bulk = await ppc.execute('association.bulk', { decision: 'approve', page: 0, [`req_${ids[0]}`]: 'true', [`req_${ids[1]}`]: 'true', [`req_${ids[2]}`]: 'true' });
    assert.match(JSON.stringify(bulk.body), /Approved 2, already decided 1, refused 0\./);
    for (const [i, u] of waiting.entries()) assert.equal((await requestOf(u))?.status, i < 2 ? 'approved' : 'rejected');
    const employee = person('Lou', 'lou@fabrikam.example');
    assert.match(texts(await employee.say('approvals')), /Only the Primary Program Contact \(PPC\) or a global admin can use/);
  });

  it('an approvals channel gets each new card; its refresh shows buttons only to approvers', async () => {
    const connector = bot.running.connector!;
    const channel = connector.conversation('19:approvals@thread.tacv2', 'channel', TENANT, [ppc.account, admin.account]);
    const ppcInChannel = new TeamsUser(bot.url, connector, ppc.account, channel);
    assert.match(texts(await ppcInChannel.say('<at>MPN Association</at> set approvals channel')), /every new association request for Fabrikam Partner Société is also posted here/);
    const nosy = person('Nosy Teammate', 'nosy2@fabrikam.example');
    assert.match(texts(await new TeamsUser(bot.url, connector, nosy.account, channel).say('set approvals channel')), /Only the Primary Program Contact \(PPC\) or a global admin can use \*\*set\*\*/);

    const pat = person('Pat Outsider', 'pat@other.example');
    await fillIn(pat, 'pat@other.example');
    await pat.say('Yes');
    const request = await requestOf(pat);
    await pollUntil(async () => adaptiveCards(channel.activities).some((c) => JSON.stringify(c).includes('Pat Outsider')), { what: 'the channel card' });
    const channelCard = adaptiveCards(channel.activities).find((c) => JSON.stringify(c).includes('Pat Outsider'))!;
    assert.doesNotMatch(JSON.stringify(channelCard), /"verb":"association\.approve"/);
    const refresh = channelCard.refresh as { userIds: string[]; action: { verb: string } };
    assert.equal(refresh.action.verb, 'association.view');
    assert.deepEqual([...refresh.userIds].sort(), [ppc.account.id, admin.account.id].sort());

    const adminView = await new TeamsUser(bot.url, connector, admin.account, channel).execute('association.view', { requestId: request!._id });
    assert.match(JSON.stringify(adminView.body), /"verb":"association\.approve"/);
    const nosyView = await new TeamsUser(bot.url, connector, nosy.account, channel).execute('association.view', { requestId: request!._id });
    assert.doesNotMatch(JSON.stringify(nosyView.body), /"verb":"association\.approve"/);

    await admin.execute('association.approve', { requestId: request!._id });
    await pollUntil(async () => JSON.stringify(adaptiveCards(channel.activities)).includes('Approved by Gabe Admin'), { what: 'the channel copy updated' });
  });

  describe('reminders', () => {
    let clock: sinon.SinonFakeTimers;
    afterEach(() => clock?.restore());

    it('a request pending 24 h reminds the approvers; at 72 h every global admin is told; each once', async () => {
      const max = person('Max Outsider', 'max@other.example');
      await fillIn(max, 'max@other.example');
      await max.say('Yes');
      const request = await requestOf(max);
      const reminders = (u: TeamsUser) => u.conversation.activities.filter((a) => (a.text ?? '').includes('Max Outsider <max@other.example> has been waiting more than')).length;
      clock = sinon.useFakeTimers({ now: request!.createdAt.getTime() + 24 * 3600_000 + 60_000, toFake: ['Date'] });
      await bot.running.schedulerWorker.tick();
      await pollUntil(async () => reminders(ppc) === 1 && reminders(admin) === 1, { what: 'the 24 h reminder' });
      clock.setSystemTime(request!.createdAt.getTime() + 72 * 3600_000 + 60_000);
      await bot.running.schedulerWorker.tick();
      await pollUntil(async () => reminders(admin) === 2, { what: 'the 72 h escalation' });
      await bot.running.schedulerWorker.tick();
      assert.equal(reminders(ppc), 1, 'the PPC had the reminder, the escalation goes to global admins');
      assert.equal(reminders(admin), 2);
    });
  });
});
