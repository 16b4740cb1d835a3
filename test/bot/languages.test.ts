// The bot's language end to end over HTTP (issue 4 §5): a stated preference (profile, or the
// invitation's language after `join`) when the bot speaks it, else the Teams locale, else
// English; proactive cards and messages in each recipient's own language.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { collections } from '../../services/db/collections';
import { invite } from '../../services/invitations/invitations';
import { adaptiveCards, type TeamsUser } from '../support/botHarness';
import { PARTNER_ID, startOrgFixture, TENANT, texts, type OrgFixture } from '../support/orgFixture';
import { pollUntil } from '../support/storeAssertions';

/** What a French Teams client sends: the same activity with the fr-FR locale. */
async function sayFr(user: TeamsUser, text: string): Promise<Activity[]> {
  const result = await user.send({ type: 'message', text, locale: 'fr-FR' });
  assert.equal(result.status, 200);
  return result.replies;
}
async function submitFr(user: TeamsUser, value: Record<string, unknown>): Promise<Activity[]> {
  return (await user.send({ type: 'message', value, locale: 'fr-FR' })).replies;
}

const form = (user: TeamsUser, extra: Record<string, unknown> = {}) => ({
  form: 'association.profile', displayName: user.account.name, email: user.account.email, phone: '', language: 'fr', mcid: '', ...extra,
});

describe('languages: English and French', () => {
  let fixture: OrgFixture;
  before(async () => { fixture = await startOrgFixture(); });
  after(async () => { await fixture?.close(); });

  it('a user whose Teams locale is fr-FR gets French from help, the association dialog and its bad-input messages, and status', async () => {
    const lea = fixture.person('Léa Dupont', 'lea@other.example');
    const help = JSON.stringify(adaptiveCards(await sayFr(lea, 'help')));
    assert.match(help, /Voici ce que vous pouvez me demander/);
    assert.match(help, /Voir ou annuler votre demande d'association/);
    assert.match(help, /"command":"associate"/, 'commands stay English words');

    assert.match(texts(await sayFr(lea, 'associate')), /À quelle organisation voulez-vous vous associer \? Tapez son \*\*Partner ID\*\*/);
    assert.match(texts(await sayFr(lea, '12')), /Un Partner ID compte de 4 à 10 chiffres[\s\S]*À quelle organisation/);
    assert.match(texts(await sayFr(lea, 'Nulle Part')), /Je n'ai trouvé aucune organisation dont le nom ressemble à « Nulle Part »/);
    const formCard = texts(await sayFr(lea, PARTNER_ID));
    assert.match(formCard, /Votre profil pour Fabrikam Partner Société \(FR\), Partner ID 7777777/);
    assert.match(formCard, /"id":"language"[^}]*"value":"fr"/, 'the form proposes the language we speak');

    assert.match(texts(await sayFr(lea, 'bonjour')), /Remplissez le formulaire et appuyez sur Suivant, ou tapez cancel/);
    const badPhone = texts(await submitFr(lea, form(lea, { phone: 'appelez-moi' })));
    assert.match(badPhone, /Téléphone : Un numéro de téléphone peut contenir des chiffres/);
    const forged = texts(await submitFr(lea, form(lea, { email: { $ne: null } })));
    assert.match(forged, /E-mail professionnel : Tapez votre adresse e-mail professionnelle/);
    const badEmail = texts(await submitFr(lea, form(lea, { email: 'pas-une-adresse' })));
    assert.match(badEmail, /« pas-une-adresse » n'est pas une adresse e-mail/);

    const confirm = texts(await submitFr(lea, form(lea)));
    assert.match(confirm, /- E-mail professionnel : lea@other\.example \(vérifié\)[\s\S]*Envoyer la demande \?[\s\S]*\[Oui\][\s\S]*\[Non\]/);
    assert.match(texts(await sayFr(lea, 'Oui')), /Votre demande a été envoyée à l'administrateur du programme de votre organisation/);

    const status = texts(await sayFr(lea, 'status'));
    assert.match(status, /Votre demande d'association/);
    assert.match(status, /En attente d'approbation/);
    assert.match(status, /Priya PPC \(PPC\)/);
    assert.match(status, /Annuler ma demande/);
    assert.match(status, /il y a|à l'instant/, 'the age is in French');
    assert.match(texts(await sayFr(lea, 'approvals')), /Seul le contact principal du programme \(PPC\) ou un administrateur général peut utiliser \*\*approvals\*\*/);
  });

  it('a profile language of French beats an English Teams locale', async () => {
    const max = fixture.person('Max Mustermann', 'max@fabrikam.example');
    assert.match(texts(await max.say('help')), /Here is what you can ask me/);
    await max.say('profile');
    await max.say('Preferred language');
    assert.match(texts(await max.say('Français')), /C'est enregistré\. Langue de vos messages et invitations : Français\./);
    const stored = await fixture.db.collection(collections.userProfiles).findOne({ _id: `${TENANT}:${max.account.aadObjectId}` as never });
    assert.equal(stored?.language, 'fr');
    // Every later turn arrives with the en-GB locale, and is answered in French.
    assert.match(texts(await max.say('help')), /Voici ce que vous pouvez me demander/);
    assert.match(texts(await max.say('status')), /Vous n'avez pas encore demandé à vous associer/);
    assert.match(texts(await max.say('what is this')), /Je ne connais pas « what is this »/);
    // A language the bot does not speak leaves the Teams locale in charge.
    await max.say('profile');
    await max.say('Langue préférée');
    assert.match(texts(await max.say('Deutsch')), /Saved\. I'll use Deutsch for your messages and invitations\./);
    assert.match(texts(await max.say('help')), /Here is what you can ask me/);
  });

  it("an invitation in French makes the invitee's conversation French after join", async () => {
    // The PPC's invitation, in French, through the invitation rules themselves.
    const result = await invite(fixture.db, { tenantId: TENANT, aadObjectId: fixture.ppc.account.aadObjectId }, { addresses: 'zoe@other.example', language: 'fr' });
    assert.ok(result.code);
    const zoe = fixture.person('Zoé Martin', 'zoe@other.example');
    assert.match(texts(await zoe.say('help')), /Here is what you can ask me/, 'English before the invitation');
    const joined = texts(await zoe.say(`join ${result.code}`));
    assert.match(joined, /Votre profil pour Fabrikam Partner Société/);
    assert.match(joined, /"id":"language"[^}]*"value":"fr"/);
    assert.match(texts((await zoe.submit(form(zoe))).replies), /Envoyer la demande \?/);
    assert.match(texts(await zoe.say('Oui')), /Votre demande d'association a été acceptée/);
    assert.match(texts(await zoe.say('status')), /Acceptée \(domaine pré-approuvé\)/);
  });

  it('an approver whose profile is French gets a French approval card; the English requester stays English', async () => {
    const { ppc, admin } = fixture;
    await admin.say('profile');
    await admin.say('Preferred language');
    await admin.say('Français');

    const sam = fixture.person('Sam Smith', 'sam@other.example');
    await sam.say('associate');
    await sam.say(PARTNER_ID);
    await sam.submit(form(sam, { language: 'en' }));
    assert.match(texts(await sam.say('Yes')), /Your request has been sent to your organisation's program administrator/);
    const request = await fixture.db.collection(collections.associationRequests).findOne({ 'requester.aadObjectId': sam.account.aadObjectId });

    const cardFor = async (user: TeamsUser) => {
      await pollUntil(async () => adaptiveCards(user.conversation.activities).some((c) => JSON.stringify(c).includes('Sam Smith')), { what: 'an approval card' });
      return JSON.stringify(adaptiveCards(user.conversation.activities).find((c) => JSON.stringify(c).includes('Sam Smith')));
    };
    const french = await cardFor(admin);
    assert.match(french, /Demande d'association/);
    assert.match(french, /Sam Smith demande à être associé\(e\) à Fabrikam Partner Société\./);
    assert.match(french, /Domaine non pré-approuvé/);
    assert.match(french, /"title":"Approuver"/);
    const english = await cardFor(ppc);
    assert.match(english, /Sam Smith asks to be associated with Fabrikam Partner Société/);
    assert.match(english, /"title":"Approve"/);

    const click = await admin.execute('association.approve', { requestId: request!._id });
    assert.match(JSON.stringify(click.body), /Approuvée par Gabe Admin, /);
    await pollUntil(async () => sam.conversation.activities.some((a) => /Good news: your request to associate with \*\*Fabrikam Partner Société\*\* was approved by Gabe Admin/.test(a.text ?? '')), { what: 'the requester told in English' });
    await pollUntil(async () => JSON.stringify(adaptiveCards(ppc.conversation.activities)).includes('Approved by Gabe Admin'), { what: "the PPC's copy updated in English" });
  });
});
