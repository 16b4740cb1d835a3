// Competencies in chat, end to end over HTTP (issue 5 §3, §4): the status card with progress
// and what is missing, the drill-down, refusals for a plain member and another tenant's admin
// (forged card data included), and at-risk alerts as cards, once per drop, in each admin's
// language, including a retired exam passing its date under a fake clock.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import sinon from 'sinon';
import type { Db } from 'mongodb';
import { collections } from '../../services/db/collections';
import { checkCompetenciesAtRisk } from '../../services/competencies/atRisk';
import { retirementJobKey, scheduleRetirementChecks } from '../../services/competencies/retirementChecks';
import type { Identity } from '../../services/access/identity';
import { adaptiveCards, type TeamsUser } from '../support/botHarness';
import { OTHER_TENANT, PARTNER_ID, startOrgFixture, TENANT, texts, type OrgFixture } from '../support/orgFixture';
import { pollUntil } from '../support/storeAssertions';
import { addMember, addOrganisation, certifiedMember, removeMember, type Org } from './fixtures';

const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

const ORG: Org = { orgId: PARTNER_ID, tenantId: TENANT, legalName: 'Fabrikam Partner Société' };
const OTHER: Org = { orgId: '8888888', tenantId: OTHER_TENANT, legalName: 'Other Tenant Ltd' };

/** Every text of a card (TextBlocks, facts, fallbacks), for matching what a reader sees. */
function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') out.push(o[key] as string);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The card validates with the Adaptive Cards library (unknown elements only with a fallback). */
function assertValidCard(card: Record<string, unknown>): void {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  assert.deepEqual(events.filter((e) => !/^Unknown element type "ProgressBar"/.test(e)), []);
  assert.deepEqual(parsed.validateProperties().validationEvents.map((e) => e.message), []);
  assert.ok(Buffer.byteLength(JSON.stringify(card)) < 28_000);
}

const elementsOfType = (card: unknown, type: string): Array<Record<string, unknown>> => {
  const found: Array<Record<string, unknown>> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ((v as { type?: unknown }).type === type) found.push(v as Record<string, unknown>);
      Object.values(v).forEach(walk);
    }
  };
  walk(card);
  return found;
};

const invokeCard = (body: unknown) => (body as { value: Record<string, unknown> }).value;
const invokeMessage = (body: unknown) => String((body as { value: unknown }).value);

/** Alert cards the bot posted into a user's chat. */
const alertCards = (user: TeamsUser, title: RegExp) =>
  adaptiveCards(user.conversation.activities.filter((a: Activity) => a.from?.id !== user.account.id)).filter((c) => title.test(cardText(c)));

describe('competencies in chat', () => {
  let fixture: OrgFixture;
  let db: Db;
  let admin: TeamsUser;
  let marie: TeamsUser;
  let member: TeamsUser;
  let olga: TeamsUser;
  let ada: Identity;

  before(async () => {
    fixture = await startOrgFixture();
    ({ db, admin } = fixture);
    // An MPN partner admin who reads French.
    marie = fixture.person('Marie Partenaire', 'marie@fabrikam.example');
    await addMember(db, ORG, { aadObjectId: marie.account.aadObjectId, name: 'Marie Partenaire', roles: ['mpnPartnerAdmin'] });
    await db.collection(collections.userProfiles).insertOne({ _id: `${TENANT}:${marie.account.aadObjectId}` as never, tenantId: TENANT, aadObjectId: marie.account.aadObjectId, language: 'fr' });
    await marie.say('help');
    member = fixture.person('Mo Member', 'mo@fabrikam.example');
    await addMember(db, ORG, { aadObjectId: member.account.aadObjectId, name: 'Mo Member' });
    // A global admin of another tenant's organisation.
    await addOrganisation(db, OTHER);
    olga = fixture.person('Olga Other', 'olga@other.example', OTHER_TENANT);
    await addMember(db, OTHER, { aadObjectId: olga.account.aadObjectId, name: 'Olga Other', roles: ['globalAdmin'] });
    // Cloud Platform Silver (2 people) is met by Ada (AZ-104) and Bob (retired 70-533, counts until 31 January 2027).
    ada = await certifiedMember(db, ORG, { aadObjectId: 'ada', name: 'Ada Lovelace', mcid: '991000001', codes: ['AZ-104'] });
    await certifiedMember(db, ORG, { aadObjectId: 'bob', name: 'Bob Retired', mcid: '991000002', codes: ['70-533'] });
    const cat = await certifiedMember(db, ORG, { aadObjectId: 'cat', name: 'Cat Gone', mcid: '991000003', codes: ['AZ-305'] });
    await removeMember(db, cat); // left: her exams no longer count
  });
  after(async () => { await fixture?.close(); });

  it('an admin sees every competency with progress bars, met ✓, what is missing and buttons to drill down', async () => {
    const [card] = adaptiveCards(await admin.say('competencies'));
    assert.ok(card, 'a status card');
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Competency status: Fabrikam Partner Société/);
    assert.match(text, /2 active members with a linked MCID count/);
    assert.match(text, /Silver: met ✓/);
    assert.match(text, /Met until 31 January 2027, when retired exams stop counting/);
    assert.match(text, /Gold: 2 of 4 people/);
    assert.match(text, /2 more people with AZ-104, AZ-305 or 70-533 for Cloud Platform Gold/);
    assert.match(text, /Solutions Partner for Infrastructure \(Azure\)/);
    // Progress as Teams' ProgressBar, each with a text fallback for clients without it.
    const bars = elementsOfType(card, 'ProgressBar');
    assert.ok(bars.length >= 9);
    assert.ok(bars.every((b) => (b.fallback as { type?: string } | undefined)?.type === 'TextBlock'));
    assert.deepEqual({ value: bars[1].value, max: bars[1].max }, { value: 2, max: 4 }); // Cloud Platform Gold
    assert.match(String((bars[1].fallback as { text: string }).text), /^▰▰▰▰▰▱▱▱▱▱ 2 of 4 people$/);
    const details = elementsOfType(card, 'Action.Execute').filter((a) => a.verb === 'competency.detail');
    assert.deepEqual(details[0].data, { orgId: PARTNER_ID, competencyId: 'cloud-platform' });
    assert.equal((details[0].fallback as { type: string }).type, 'Action.Submit');
    assert.ok(elementsOfType(card, 'Action.Execute').some((a) => a.verb === 'competency.report'));
    // "competency status" is the same command.
    assert.match(cardText(adaptiveCards(await admin.say('competency status'))[0]), /Silver: met ✓/);
  });

  it('the drill-down shows the requirements, who counts with which exams and MCIDs, and until when a retired exam counts', async () => {
    const clicked = await admin.execute('competency.detail', { orgId: PARTNER_ID, competencyId: 'cloud-platform' });
    assert.equal(clicked.status, 200);
    const card = invokeCard(clicked.body);
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Cloud Platform: requirements/);
    assert.match(text, /Two people who passed an Azure infrastructure exam/);
    assert.match(text, /2 of 2 people/);
    assert.match(text, /Ada Lovelace\nAZ-104 \(MCID 991000001\)/);
    assert.match(text, /Bob Retired\n70-533 \(MCID 991000002\)/);
    assert.doesNotMatch(text, /Cat Gone/); // removed members don't count
    assert.match(text, /70-533 counts until 31 January 2027 \(1 holding it\)/);
    assert.ok(elementsOfType(card, 'Action.Execute').some((a) => a.verb === 'competency.status' && (a.data as { orgId: string }).orgId === PARTNER_ID), 'a Back button');
    // Back returns the status card; clients without Action.Execute submit the same verb.
    assert.match(cardText(invokeCard((await admin.execute('competency.status', { orgId: PARTNER_ID })).body)), /Silver: met ✓/);
    const submitted = await admin.submit({ verb: 'competency.detail', orgId: PARTNER_ID, competencyId: 'cloud-platform' });
    assert.match(cardText(adaptiveCards(submitted.replies)[0]), /Ada Lovelace/);
  });

  it('unknown or malformed drill-down data is answered with a clear message', async () => {
    assert.match(invokeMessage((await admin.execute('competency.detail', { orgId: PARTNER_ID, competencyId: 'no-such-thing' })).body), /There is no competency "no-such-thing" in the catalogue/);
    const operator = await admin.execute('competency.detail', { orgId: { $gt: '' }, competencyId: 'cloud-platform' });
    assert.equal(operator.status, 400);
    assert.match(JSON.stringify(operator.body), /orgId/);
  });

  it('a plain member is refused the status, the drill-down and the report, and sees no data', async () => {
    assert.match(texts(await member.say('competencies')), /Only a global admin or an MPN partner admin can use \*\*competencies\*\*/);
    assert.match(texts(await member.say('skills report')), /Only a global admin or an MPN partner admin/);
    for (const [verb, data] of [['competency.status', { orgId: PARTNER_ID }], ['competency.detail', { orgId: PARTNER_ID, competencyId: 'cloud-platform' }], ['competency.report', { orgId: PARTNER_ID }]] as const) {
      const result = await member.execute(verb, data);
      assert.match(invokeMessage(result.body), /Only global admins and MPN partner admins can see competency status/, verb);
      assert.doesNotMatch(JSON.stringify(result.body), /Ada|991000001/);
    }
  });

  it("another tenant's admin is refused with forged organisation and competency ids, and sees no data", async () => {
    for (const [verb, data] of [['competency.status', { orgId: PARTNER_ID }], ['competency.detail', { orgId: PARTNER_ID, competencyId: 'cloud-platform' }], ['competency.report', { orgId: PARTNER_ID }]] as const) {
      const result = await olga.execute(verb, data);
      assert.match(invokeMessage(result.body), /You can only see the competencies of the organisation you are associated with/, verb);
      assert.doesNotMatch(JSON.stringify(result.body), /Ada|Fabrikam|991000001/);
    }
    // Her own organisation's status is hers to see.
    assert.match(cardText(adaptiveCards(await olga.say('competencies'))[0]), /Competency status: Other Tenant Ltd/);
  });

  it('a member removal that drops a level sends each admin one alert card in their language, however many events report it', async () => {
    const outbox = fixture.bot.running.outbox;
    // The first check records what is met (the baseline).
    await checkCompetenciesAtRisk(db, PARTNER_ID, { kind: 'other', text: 'baseline' }, { outbox });
    await removeMember(db, ada);
    // Two events for the same drop (her removal, then her MCID unlinked in the same clean-up).
    await checkCompetenciesAtRisk(db, PARTNER_ID, { kind: 'memberRemoved', personName: 'Ada Lovelace' }, { outbox });
    await checkCompetenciesAtRisk(db, PARTNER_ID, { kind: 'mcidUnlinked', personName: 'Ada Lovelace' }, { outbox });
    await pollUntil(async () => alertCards(admin, /Competency at risk/).length > 0 && alertCards(marie, /Compétence menacée/).length > 0, { what: 'the alert cards' });
    await pollUntil(async () => (await db.collection(collections.outbox).countDocuments({ status: { $ne: 'done' } })) === 0, { what: 'the outbox to drain' });
    const [english] = alertCards(admin, /Competency at risk/);
    assertValidCard(english);
    const text = cardText(english);
    assert.match(text, /\*\*Cloud Platform Silver\*\* is no longer met for Fabrikam Partner Société \(Partner ID 7777777\)/);
    assert.match(text, /Ada Lovelace was removed from the organisation, so their exams no longer count\./);
    assert.match(text, /1 more person with AZ-104, AZ-305 or 70-533 for Cloud Platform Silver/);
    assert.ok(elementsOfType(english, 'Action.Execute').some((a) => a.verb === 'competency.status'));
    const [french] = alertCards(marie, /Compétence menacée/);
    assert.match(cardText(french), /\*\*Cloud Platform Silver\*\* n'est plus atteint pour Fabrikam Partner Société/);
    assert.match(cardText(french), /Ada Lovelace a été retiré de l'organisation/);
    assert.match(cardText(french), /encore 1 personne avec AZ-104, AZ-305 ou 70-533 pour Cloud Platform Silver/);
    assert.equal(alertCards(admin, /Competency at risk/).length, 1);
    assert.equal(alertCards(marie, /Compétence menacée/).length, 1);
    assert.equal(alertCards(member, /Competency at risk/).length, 0); // not an admin
  });

  it('a retired exam passing its date re-evaluates the organisation and alerts once (fake clock)', async () => {
    const { running } = fixture.bot;
    // Dan certifies: Silver is met again by Bob (70-533) and Dan, until 70-533 retires.
    await certifiedMember(db, ORG, { aadObjectId: 'dan', name: 'Dan New', mcid: '991000004', codes: ['AZ-305'] });
    const key = retirementJobKey('70-533', '2027-01-31');
    assert.equal((await running.scheduler.get(key))?.status, 'pending', 'scheduled at start-up');
    assert.equal(await scheduleRetirementChecks(running.scheduler, running.catalogue), 0, 'scheduling again (a restart, a second instance) adds nothing');
    const before = alertCards(admin, /Competency at risk/).length;
    const clock = sinon.useFakeTimers({ now: new Date('2027-02-01T00:00:05Z'), toFake: ['Date'], shouldAdvanceTime: true });
    try {
      await running.schedulerWorker.tick();
      await pollUntil(async () => (await running.scheduler.get(key))?.status === 'done', { what: 'the retirement check' });
      await pollUntil(async () => alertCards(admin, /Competency at risk/).length > before && alertCards(marie, /Compétence menacée/).length > 1, { what: 'the retirement alerts' });
      await pollUntil(async () => (await db.collection(collections.outbox).countDocuments({ status: { $ne: 'done' } })) === 0, { what: 'the outbox to drain' });
    } finally {
      clock.restore();
    }
    const alerts = alertCards(admin, /Competency at risk/);
    assert.equal(alerts.length, before + 1);
    const text = cardText(alerts[alerts.length - 1]);
    assert.match(text, /\*\*Cloud Platform Silver\*\* is no longer met/);
    assert.match(text, /Retired exam 70-533 no longer counts \(it counted until 31 January 2027\)\./);
    assert.match(cardText(alertCards(marie, /Compétence menacée/).at(-1)), /L'examen retiré 70-533 ne compte plus \(il comptait jusqu'au 31 janvier 2027\)\./);
  });
});
