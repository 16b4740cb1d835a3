// The link and unlink dialogs' branches, driven with botbuilder-testing's DialogTestClient over a
// real store: the code (wrong, resend, expired, locked, a send that fails, the send limit), the
// configured yearly limit and its date, invalid ids, choices, the confirmation, and French.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Db } from 'mongodb';
import sinon from 'sinon';
import { LinkAccountDialog, type LinkEvent, type LinkFollowUps } from '../../dialogs/linkAccountDialog';
import { UnlinkAccountDialog } from '../../dialogs/unlinkAccountDialog';
import { parseLinkArgs } from '../../dialogs/linkKinds';
import type { LinkOutcome, UnlinkOutcome } from '../../services/certifications/accountLinks';
import { collections } from '../../services/db/collections';
import { CodeDeliveryError } from '../../services/verification/codeDelivery';
import { useStoreSuite } from '../support/store';
import { addMember, addOrganisation, CONTOSO, freshIndexedDb, importRecords } from '../competencies/fixtures';

const YEAR = 365 * 86_400_000;

describe('the link and unlink dialogs, step by step', () => {
  const suite = useStoreSuite();
  let db: Db;
  const sent: { to: string; code: string; mail?: { subject: string; body: string } }[] = [];
  const events: string[] = [];
  let failSends = false;
  let people = 0;

  const followUps: LinkFollowUps = {
    async afterLink(e: LinkEvent<LinkOutcome>) { events.push(`link ${e.kind} ${e.outcome.accountId}`); },
    async afterUnlink(e: LinkEvent<UnlinkOutcome>) { events.push(`unlink ${e.kind} ${e.outcome.accountId}`); },
  };
  const codes = {
    send: async (_tenant: string, to: string, code: string, mail?: { subject: string; body: string }) => {
      if (failSends) throw new CodeDeliveryError('no mailbox');
      sent.push({ to, code, mail });
    },
  };

  before(async () => {
    db = await freshIndexedDb(suite.store);
    await addOrganisation(db, CONTOSO);
    await importRecords(db, [
      { mcid: '880000001', code: 'AZ-104', email: 'zoe.learn@outlook.example' },
      { mcid: '880000002', code: 'AZ-104', email: 'yan.learn@outlook.example' },
      { mcid: '880000003', code: 'AZ-104', email: 'xia.learn@outlook.example' },
      { mcid: '880000004', code: 'AZ-104', email: 'wes.learn@outlook.example' },
    ]);
  });
  afterEach(() => { sinon.restore(); failSends = false; });

  async function person() {
    return addMember(db, CONTOSO, { aadObjectId: `dlg-${++people}`, name: `Dialog Person ${people}` });
  }
  function linkClient(who: { tenantId: string; aadObjectId: string }, args?: string, maxNewLinks = 3) {
    return new DialogTestClient('msteams', new LinkAccountDialog({ db, codes, policy: { maxNewLinks, windowMs: YEAR }, followUps }), { who, args });
  }
  function unlinkClient(who: { tenantId: string; aadObjectId: string }, args?: string) {
    return new DialogTestClient('msteams', new UnlinkAccountDialog({ db, followUps }), { who, args });
  }
  /** Sends, then collects every reply of that turn as text (cards and buttons as JSON). */
  async function say(c: DialogTestClient, input: string | Partial<Activity>): Promise<string> {
    const first = (await c.sendActivity(input)) as Partial<Activity> | undefined;
    const out: string[] = [];
    for (let reply = first; reply; reply = c.getNextReply()) out.push(`${reply.text ?? ''} ${JSON.stringify(reply.attachments ?? [])}`);
    return out.join('\n');
  }

  it('reads what follows link / unlink', () => {
    assert.deepEqual(parseLinkArgs('certification 12345'), { kind: 'mcid', id: '12345' });
    assert.deepEqual(parseLinkArgs('MCID'), { kind: 'mcid', id: undefined });
    assert.deepEqual(parseLinkArgs('Partner University a@b.example'), { kind: 'partnerUniversity', id: 'a@b.example' });
    assert.deepEqual(parseLinkArgs('123456'), { kind: 'mcid', id: '123456' });
    assert.deepEqual(parseLinkArgs('my badge please'), { unknownWords: true });
    assert.deepEqual(parseLinkArgs(''), {});
  });

  it('a wrong code counts down, resend sends a new one, and the right one links', async () => {
    const who = await person();
    const c = linkClient(who, 'certification 880000001');
    assert.match(await say(c, 'go'), /sent a 6-digit code to the e-mail address on its certification profile, z\*\*\*@outlook\.example/);
    assert.equal(sent.at(-1)!.to, 'zoe.learn@outlook.example');
    // The owner's e-mail says what the code is for.
    assert.match(sent.at(-1)!.mail?.body ?? '', /link the Microsoft Certification ID 880000001 to their organisation[\s\S]*If it was not you, ignore this e-mail/);
    assert.match(await say(c, 'abc'), /That is not a code: the code is 6 digits\. 4 tries left/);
    assert.match(await say(c, 'resend'), /I sent a new code to z\*\*\*@outlook\.example/);
    const code = sent.at(-1)!.code;
    const done = await say(c, code);
    assert.match(done, /Your MCID 880000001 is now linked to \*\*Contoso Ltd\*\*/);
    assert.match(done, /You may start another new MCID association at any time/);
    assert.equal(events.at(-1), 'link mcid 880000001');
  });

  it('an expired code asks for a new one; five wrong codes lock it until a resend', async () => {
    const who = await person();
    const c = linkClient(who, 'certification 880000002');
    await say(c, 'go');
    const first = sent.at(-1)!.code;
    const clock = sinon.useFakeTimers({ now: Date.now() + 11 * 60_000, toFake: ['Date'] });
    assert.match(await say(c, first), /That code has expired\. Type \*\*resend\*\*/);
    clock.restore();
    await say(c, 'resend');
    const fresh = sent.at(-1)!.code;
    const wrong = fresh === '111111' ? '222222' : '111111';
    for (const left of [4, 3, 2]) assert.match(await say(c, wrong), new RegExp(`That code is not right\\. ${left} tries left`));
    assert.match(await say(c, wrong), /1 try left/);
    await say(c, wrong);
    assert.match(await say(c, fresh), /Too many wrong codes/);
    assert.match(await say(c, 'resend'), /I sent a new code/);
    assert.match(await say(c, sent.at(-1)!.code), /is now linked/);
  });

  it('a code that cannot be sent, or a fourth send in an hour, ends with a clear message', async () => {
    const who = await person();
    failSends = true;
    assert.match(await say(linkClient(who, 'certification 880000003'), 'go'), /I could not e-mail a code just now/);
    failSends = false;
    const c = linkClient(who, 'certification 880000003');
    await say(c, 'go');
    await say(c, 'resend');
    assert.match(await say(c, 'resend'), /already sent 3 codes in the last hour/);
  });

  it('the configured limit: with 1 a year, the second association is refused with its date', async () => {
    const who = await person();
    const c = linkClient(who, 'certification 880000004', 1);
    await say(c, 'go');
    const linkedAt = Date.now();
    assert.match(await say(c, sent.at(-1)!.code), /Your next new MCID association is allowed from/);
    const u = unlinkClient(who, 'certification 880000004');
    assert.match(await say(u, 'go'), /Unlink MCID 880000004 from \*\*Contoso Ltd\*\*\?/);
    assert.match(await say(u, 'Yes'), /MCID 880000004 is unlinked/);
    assert.equal(events.at(-1), 'unlink mcid 880000004');
    const day = new Date(linkedAt + YEAR).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
    assert.match(await say(linkClient(who, 'certification 880000004', 1), 'go'), new RegExp(`A new one can start from ${day}\\.`));
    // In French, with the date in French.
    const frDay = new Date(linkedAt + YEAR).toLocaleDateString('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
    const fr = await say(linkClient(who, 'certification 880000004', 1), { type: 'message', text: 'go', locale: 'fr-FR' });
    assert.match(fr, new RegExp(`Une nouvelle association sera possible à partir du ${frDay}\\.`));
  });

  it('without a kind it asks which; a bad id is asked again; Partner University needs an address', async () => {
    const who = await person();
    const c = linkClient(who);
    assert.match(await say(c, 'go'), /What do you want to link to your organisation\?/);
    assert.match(await say(c, 'Partner University access'), /Which e-mail address do you sign in to Partner University with\?/);
    assert.match(await say(c, 'not-an-address'), /Give the e-mail address you sign in to Partner University with/);
    assert.match(await say(c, 'wes.pu@partneru.example'), /I sent a 6-digit code to w\*\*\*@partneru\.example/);
    assert.match(await say(c, sent.at(-1)!.code), /Your Partner University access \(wes\.pu@partneru\.example\) is now linked/);
    const bad = linkClient(who, 'certification 12ab');
    assert.match(await say(bad, 'go'), /An MCID is 4 to 12 digits[\s\S]*What is your MCID\?/);
  });

  it('unlink: nothing linked says so; No changes nothing; an id that is not theirs is refused', async () => {
    const who = await person();
    assert.match(await say(unlinkClient(who, 'certification'), 'go'), /You have no MCID linked/);
    const other = await person();
    assert.match(await say(unlinkClient(other, 'partner university wes.pu@partneru.example'), 'go'), /Remove the Partner University access of wes\.pu@partneru\.example\?/);
    const refused = unlinkClient(other, 'partner university wes.pu@partneru.example');
    await say(refused, 'go');
    assert.match(await say(refused, 'Yes'), /Only the person who linked a Partner University account can remove it/);
    const no = unlinkClient(other, 'certification 880000001');
    await say(no, 'go');
    assert.match(await say(no, 'No'), /nothing changed/);
    assert.ok((await db.collection(collections.partnerUniversityLinks).findOne({ _id: 'wes.pu@partneru.example' as never }))?.linked);
  });
});
