// Linking an MCID and Partner University access in chat (seed 004), end to end over HTTP: the
// code goes to the address on the certification profile (masked in what the user sees), only
// the owner can link, a membership is needed, the yearly limit names its date (also on the
// profile), moving from organisation A tells A's admins once and re-checks A's competencies, an
// unlink asks first, and nothing of it happens outside the personal chat.
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { linkVerified } from '../../services/certifications/links';
import type { McidDoc } from '../../services/certifications/records';
import { checkCompetenciesAtRisk } from '../../services/competencies/atRisk';
import { memberId } from '../../services/people/members';
import { updateProfile } from '../../services/people/profiles';
import { pollUntil } from '../support/storeAssertions';
import { adaptiveCards, TeamsUser, type TestBot } from '../support/botHarness';
import { OTHER_TENANT, PARTNER_ID, startOrgFixture, TENANT, texts, type OrgFixture } from '../support/orgFixture';
import { importRecords } from '../competencies/fixtures';

const OTHER_PARTNER_ID = '8888888';
const DAY = 86_400_000;

describe('certifications in chat: link and unlink', () => {
  let fixture: OrgFixture;
  let bot: TestBot;
  let db: Db;

  before(async () => {
    fixture = await startOrgFixture();
    ({ bot, db } = fixture);
    await db.collection(collections.organisations).insertOne({
      _id: OTHER_PARTNER_ID as never, partnerId: OTHER_PARTNER_ID, legalName: 'Northwind Traders', searchName: 'northwind traders', country: 'GB',
      address: '2 High Street', tenantId: OTHER_TENANT, preApprovedDomains: [], ppcAadObjectId: 'nobody', createdAt: new Date(),
    });
    await importRecords(db, [
      { mcid: '991000101', code: 'AZ-104', email: 'alice.cert@learn.example', name: 'Alice Cert' },
      { mcid: '991000102', code: 'AZ-104', email: 'bruno.cert@learn.example', name: 'Bruno Cert' },
      { mcid: '991000103', code: 'AZ-305', email: 'lena.cert@learn.example', name: 'Lena Cert' },
      { mcid: '991000104', code: 'DP-203', email: 'mo.cert@learn.example', name: 'Mo Cert' },
      { mcid: '991000105', code: 'DP-203', email: 'carl.cert@learn.example', name: 'Carl Cert' },
    ]);
  });
  after(async () => { await fixture?.close(); });

  /** A person associated with an organisation (as approval would leave them). */
  async function member(name: string, email: string, tenant = TENANT, orgId = PARTNER_ID, roles: string[] = []): Promise<TeamsUser> {
    const user = fixture.person(name, email, tenant);
    await db.collection(collections.members).insertOne({
      _id: memberId(tenant, user.account.aadObjectId) as never, tenantId: tenant, orgId, aadObjectId: user.account.aadObjectId,
      email, displayName: name, roles, contactTypes: [], status: 'associated', associatedAt: new Date(),
    });
    return user;
  }

  /** The last code local mode printed for a (masked) address. */
  function codeSentTo(masked: string): string {
    const line = [...bot.printed].reverse().find((l) => l.includes(`for ${masked}:`));
    const code = /: (\d{6})$/.exec(line ?? '')?.[1];
    assert.ok(code, `a code was sent to ${masked}: ${bot.printed.join(' | ')}`);
    return code;
  }

  const mcidDoc = (mcid: string) => db.collection<McidDoc>(collections.mcids).findOne({ _id: mcid });

  /** Links through the whole conversation; returns what the bot said after the code. */
  async function linkMcid(user: TeamsUser, mcid: string, masked: string): Promise<string> {
    const asked = texts(await user.say(`link certification ${mcid}`));
    assert.match(asked, new RegExp(`6-digit code to the e-mail address on its certification profile, ${masked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    return texts(await user.say(codeSentTo(masked)));
  }

  async function unlinkMcid(user: TeamsUser): Promise<string> {
    assert.match(texts(await user.say('unlink certification')), /Unlink MCID \d+ from/);
    return texts(await user.say('Yes'));
  }

  it('a member links their own MCID with the code sent to its profile address, which is shown masked', async () => {
    const alice = await member('Alice Member', 'alice@fabrikam.example');
    const asked = texts(await alice.say('link certification 991000101'));
    assert.match(asked, /a\*\*\*@learn\.example/);
    assert.doesNotMatch(asked, /alice\.cert@learn\.example/, 'the full address is never shown');
    const done = texts(await alice.say(codeSentTo('a***@learn.example')));
    assert.match(done, /Your MCID 991000101 is now linked to \*\*Fabrikam Partner Société\*\*/);
    assert.match(done, /You may start another new MCID association at any time/);
    const doc = await mcidDoc('991000101');
    assert.equal(doc?.linked?.member, memberId(TENANT, alice.account.aadObjectId));
    assert.equal(doc?.linked?.orgId, PARTNER_ID);
    assert.equal(await db.collection(collections.audit).countDocuments({ subject: '991000101', action: 'mcid.linked' }), 1);

    // The mcid card shows it, with the button to unlink it.
    const card = JSON.stringify(adaptiveCards(await alice.say('mcid')));
    assert.match(card, /\*\*991000101\*\*, linked to Fabrikam Partner Société since/);
    assert.match(card, /Unlink MCID 991000101/);
    assert.match(card, /Link Partner University/);
    assert.doesNotMatch(bot.logs.join(''), new RegExp(codeSentTo('a***@learn.example')), 'codes never reach the logs');
  });

  it("another person's MCID: the code goes to its owner, so a guess fails; once linked, a colleague is refused", async () => {
    const mallory = await member('Mallory Member', 'mallory@fabrikam.example');
    const asked = texts(await mallory.say('link certification 991000102'));
    assert.match(asked, /b\*\*\*@learn\.example/, "the code went to the MCID owner's address");
    const code = codeSentTo('b***@learn.example');
    const guess = code === '123456' ? '654321' : '123456';
    assert.match(texts(await mallory.say(guess)), /That code is not right\. 4 tries left/);
    for (let i = 0; i < 4; i += 1) await mallory.say(guess);
    assert.match(texts(await mallory.say(code)), /Too many wrong codes/, 'after 5 wrong codes even the right one is refused');
    await mallory.say('cancel');
    assert.equal((await mcidDoc('991000102'))?.linked, undefined);

    // Alice's MCID, already linked by her, is refused at once (no code is sent).
    const sentBefore = bot.printed.length;
    assert.match(texts(await mallory.say('link certification 991000101')), /This MCID is linked to another person in your organisation\. Only its owner can link it\./);
    assert.equal(bot.printed.length, sentBefore);
  });

  it('an MCID not in the certification directory is refused with what to check', async () => {
    const nina = await member('Nina Member', 'nina@fabrikam.example');
    assert.match(texts(await nina.say('link certification 123456789')), /I can't find MCID 123456789 in the certification directory/);
  });

  it('linking without a membership is refused and points to associate', async () => {
    const outsider = fixture.person('Oscar Outsider', 'oscar@fabrikam.example');
    assert.match(texts(await outsider.say('link certification 991000103')), /You need to be associated with your organisation before you can link your MCID\. Type \*\*associate\*\*/);
    assert.equal((await mcidDoc('991000103'))?.linked, undefined);
  });

  it('a bad MCID is asked again; a kind is asked for when none is given', async () => {
    const pia = await member('Pia Member', 'pia@fabrikam.example');
    assert.match(texts(await pia.say('link')), /What do you want to link to your organisation\?[\s\S]*Microsoft Certification ID \(MCID\)[\s\S]*Partner University access/);
    assert.match(texts(await pia.say('Microsoft Certification ID (MCID)')), /What is your MCID\?/);
    assert.match(texts(await pia.say('{"$gt":""}')), /An MCID is 4 to 12 digits/);
    await pia.say('cancel');
  });

  it('at most 3 new associations a year: the fourth is refused with the date, which the profile shows too', async () => {
    const lena = await member('Lena Member', 'lena@fabrikam.example');
    for (let i = 0; i < 3; i += 1) {
      const done = await linkMcid(lena, '991000103', 'l***@learn.example');
      assert.match(done, /is now linked to/);
      if (i === 2) assert.match(done, /Your next new MCID association is allowed from \d{1,2} \w+ \d{4}/);
      if (i < 2) assert.match(await unlinkMcid(lena), /MCID 991000103 is unlinked from \*\*Fabrikam Partner Société\*\*/);
    }
    const first = (await mcidDoc('991000103'))!.associations![0];
    const date = new Date(first.getTime() + 365 * DAY).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
    const profile = texts(await lena.say('profile'));
    assert.match(profile, new RegExp(`MCID 991000103: your next new MCID association is allowed from ${date}`));
    await lena.say('cancel');
    assert.match(await unlinkMcid(lena), /is unlinked/);
    const refused = texts(await lena.say('link certification 991000103'));
    assert.match(refused, new RegExp(`the most new associations allowed in the last 12 months\\. A new one can start from ${date}\\.`));
    assert.equal((await mcidDoc('991000103'))?.linked, undefined);
  });

  it("moving an MCID from organisation A to B tells A's competency admins once and re-checks A's competencies", async () => {
    // At A: Mo and Carl hold DP-203, so A meets Data & Analytics Silver (two people); A's state is the baseline.
    const moAtA = await member('Mo Member', 'mo@fabrikam.example');
    const carl = await member('Carl Member', 'carl@fabrikam.example');
    await linkVerified(db, { tenantId: TENANT, aadObjectId: moAtA.account.aadObjectId }, '991000104');
    await linkVerified(db, { tenantId: TENANT, aadObjectId: carl.account.aadObjectId }, '991000105');
    await checkCompetenciesAtRisk(db, PARTNER_ID, { kind: 'other', text: 'baseline' });

    // Mo changed jobs: a new identity at Northwind (another tenant) links the same MCID.
    const moAtB = await member('Mo Member', 'mo@northwind.example', OTHER_TENANT, OTHER_PARTNER_ID);
    const done = await linkMcid(moAtB, '991000104', 'm***@learn.example');
    assert.match(done, /now linked to \*\*Northwind Traders\*\*[\s\S]*It was linked to another organisation until now/);
    assert.equal((await mcidDoc('991000104'))?.linked?.orgId, OTHER_PARTNER_ID);

    const toldAdmin = () => fixture.admin.conversation.activities.filter((a) => /Mo Member linked their MCID 991000104 to another organisation/.test(a.text ?? ''));
    await pollUntil(async () => toldAdmin().length === 1, { what: "A's global admin told" });
    assert.match(toldAdmin()[0].text ?? '', /no longer count toward the competencies of \*\*Fabrikam Partner Société\*\*/);
    // Re-checked: Silver is no longer met, and the at-risk alert for it is queued for the admin.
    const alerts = await db.collection(collections.outbox).find({ _id: { $regex: `^competencyAtRisk:${PARTNER_ID}:data-analytics:silver:` } as never }).toArray();
    assert.equal(alerts.length, 1);
    // Only competency admins: the PPC is not told.
    assert.equal(fixture.ppc.conversation.activities.filter((a) => /linked their MCID/.test(a.text ?? '')).length, 0);
    // Once: the same move cannot be announced twice (one outbox entry per admin).
    assert.equal(await db.collection(collections.outbox).countDocuments({ _id: { $regex: '^linkMoved:mcid:991000104:' } as never }), 1);
    assert.equal(toldAdmin().length, 1);
  });

  it('the first unlink in an organisation never checked before still alerts: linking recorded what it met', async () => {
    const THIRD_TENANT = '88888888-cccc-4000-8000-000000000008';
    const THIRD_ID = '9999999';
    await db.collection(collections.organisations).insertOne({
      _id: THIRD_ID as never, partnerId: THIRD_ID, legalName: 'Tailspin Toys', searchName: 'tailspin toys', country: 'GB',
      address: '3 Low Street', tenantId: THIRD_TENANT, preApprovedDomains: [], ppcAadObjectId: 'nobody', createdAt: new Date(),
    });
    await importRecords(db, [
      { mcid: '991000106', code: 'DP-203', email: 'pia.cert@learn.example', name: 'Pia Cert' },
      { mcid: '991000107', code: 'DP-203', email: 'quinn.cert@learn.example', name: 'Quinn Cert' },
    ]);
    const admin = await member('Tess Admin', 'tess@tailspin.example', THIRD_TENANT, THIRD_ID, ['globalAdmin']);
    await admin.say('help'); // the admin has a chat with the bot, so an alert can reach them
    const pia = await member('Pia Member', 'pia@tailspin.example', THIRD_TENANT, THIRD_ID);
    const quinn = await member('Quinn Member', 'quinn@tailspin.example', THIRD_TENANT, THIRD_ID);
    await linkMcid(pia, '991000106', 'p***@learn.example');
    await linkMcid(quinn, '991000107', 'q***@learn.example');
    assert.match(await unlinkMcid(quinn), /unlinked/i);
    const alerts = () => db.collection(collections.outbox).countDocuments({ _id: { $regex: `^competencyAtRisk:${THIRD_ID}:data-analytics:silver:` } as never });
    await pollUntil(async () => (await alerts()) === 1, { what: 'the Silver drop alerted to the admin' });
  });

  it('unlink asks first: No changes nothing, Yes unlinks and re-checks the organisation', async () => {
    const rita = await member('Rita Member', 'rita@fabrikam.example');
    await importRecords(db, [{ mcid: '991000106', code: 'AZ-305', email: 'rita.cert@learn.example' }]);
    await linkMcid(rita, '991000106', 'r***@learn.example');
    assert.match(texts(await rita.say('unlink certification')), /Unlink MCID 991000106 from \*\*Fabrikam Partner Société\*\*\?/);
    assert.match(texts(await rita.say('No')), /nothing changed/);
    assert.equal((await mcidDoc('991000106'))?.linked?.orgId, PARTNER_ID);
    await db.collection(collections.competencySnapshots).deleteOne({ _id: PARTNER_ID as never });
    assert.match(await unlinkMcid(rita), /MCID 991000106 is unlinked from \*\*Fabrikam Partner Société\*\*/);
    assert.equal((await mcidDoc('991000106'))?.linked, undefined);
    assert.ok(await db.collection(collections.competencySnapshots).findOne({ _id: PARTNER_ID as never }), 'the organisation was evaluated again');
    assert.match(texts(await rita.say('unlink certification')), /You have no MCID linked/);
  });

  it("the unlink confirmation speaks the person's stated language, whatever the Teams locale", async () => {
    const ugo = await member('Ugo Membre', 'ugo@fabrikam.example');
    await importRecords(db, [{ mcid: '991000108', code: 'AZ-305', email: 'ugo.cert@learn.example' }]);
    await linkVerified(db, { tenantId: TENANT, aadObjectId: ugo.account.aadObjectId }, '991000108');
    await updateProfile(db, { tenantId: TENANT, aadObjectId: ugo.account.aadObjectId }, { language: 'fr' });
    const asked = texts(await ugo.say('unlink certification'));
    assert.match(asked, /"Oui"[\s\S]*"Non"|"title":"Oui"/, asked.slice(0, 600));
    assert.match(texts(await ugo.say('Oui')), /991000108/);
    assert.equal((await mcidDoc('991000108'))?.linked, undefined);
  });

  it('in a team channel or group chat it says to message the bot directly, never echoes the MCID, and changes nothing', async () => {
    const tom = await member('Tom Member', 'tom@fabrikam.example');
    const connector = bot.running.connector!;
    for (const [id, type] of [['19:team-channel', 'channel'], ['19:group-chat', 'groupChat']] as const) {
      const conversation = connector.conversation(id, type, TENANT, [tom.account]);
      const inChannel = new TeamsUser(bot.url, connector, tom.account, conversation);
      const sent = bot.printed.length;
      for (const text of ['link certification 991000101', 'unlink certification 991000101']) {
        const reply = texts(await inChannel.say(text));
        assert.match(reply, /only in your personal chat with me\. Message me directly/);
        assert.doesNotMatch(reply, /991000101/);
      }
      assert.equal(bot.printed.length, sent, 'no code was sent');
    }
    assert.equal((await mcidDoc('991000101'))?.linked?.member, memberId(TENANT, (await db.collection(collections.members).findOne({ displayName: 'Alice Member' }))!.aadObjectId as string));
  });

  it('Partner University access is linked with a code to its sign-in address and removed, apart from the MCID', async () => {
    const uma = await member('Uma Member', 'uma@fabrikam.example');
    const asked = texts(await uma.say('link partner university Uma.PU@partneru.example'));
    assert.match(asked, /I sent a 6-digit code to u\*\*\*@partneru\.example/);
    const done = texts(await uma.say(codeSentTo('u***@partneru.example')));
    assert.match(done, /Your Partner University access \(uma\.pu@partneru\.example\) is now linked to \*\*Fabrikam Partner Société\*\*/);
    const stored = await db.collection(collections.partnerUniversityLinks).findOne({ _id: 'uma.pu@partneru.example' as never });
    assert.equal(stored?.linked?.orgId, PARTNER_ID);
    assert.match(JSON.stringify(adaptiveCards(await uma.say('mcid'))), /Remove Partner University access/);
    assert.match(texts(await uma.say('unlink partner university')), /Remove the Partner University access of uma\.pu@partneru\.example from \*\*Fabrikam Partner Société\*\*\?/);
    assert.match(texts(await uma.say('Yes')), /is removed from \*\*Fabrikam Partner Société\*\*/);
    assert.equal((await db.collection(collections.partnerUniversityLinks).findOne({ _id: 'uma.pu@partneru.example' as never }))?.linked, undefined);
  });

  it("the mcid card's buttons start the conversation; a bad payload is refused by name", async () => {
    const vic = await member('Vic Member', 'vic@fabrikam.example');
    const click = await vic.execute('certifications.start', { action: 'link', kind: 'mcid' });
    assert.equal(click.status, 200);
    assert.match(texts(click.replies), /What is your MCID\?/);
    await vic.say('cancel');
    const bad = await vic.execute('certifications.start', { action: { $gt: '' }, kind: 'mcid' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /\(action\): link or unlink/);
    const submitted = await vic.submit({ verb: 'certifications.start', action: 'unlink', kind: 'partnerUniversity' });
    assert.match(texts(submitted.replies), /You have no Partner University access linked/);
  });
});
