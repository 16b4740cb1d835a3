// The association dialog's branches, driven with botbuilder-testing's DialogTestClient (no
// server, no Teams member lookup: every address must be proven with a code here), over a real store.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { AssociateDialog } from '../../dialogs/associateDialog';
import { collections } from '../../services/db/collections';
import { ensureIndexes } from '../../services/db/indexes';
import type { AssociationRequestDoc } from '../../services/associations/request';
import { CodeDeliveryError } from '../../services/verification/codeDelivery';
import { useStoreSuite } from '../support/store';

const TENANT = 'aaaaaaaa-1111-4000-8000-00000000000a';
let users = 0;

describe('the associate dialog, step by step', () => {
  const suite = useStoreSuite();
  const sentCodes: { to: string; code: string }[] = [];
  const pending: AssociationRequestDoc[] = [];

  before(async () => {
    await ensureIndexes(suite.db);
    await suite.db.collection(collections.organisations).insertMany([
      { _id: '2020202' as never, partnerId: '2020202', legalName: 'Tailspin Toys', searchName: 'tailspin toys', country: 'US', address: 'x', tenantId: TENANT, preApprovedDomains: ['tailspin.example'], ppcAadObjectId: 'ppc' },
      { _id: '2020203' as never, partnerId: '2020203', legalName: 'Tailspin Toys Europe', searchName: 'tailspin toys europe', country: 'DE', address: 'y', tenantId: TENANT, preApprovedDomains: [], ppcAadObjectId: 'ppc' },
    ]);
  });

  function client(args?: string) {
    const who = { tenantId: TENANT, aadObjectId: `user-${++users}`, name: 'Test User' };
    const dialog = new AssociateDialog({
      db: suite.db,
      codes: { send: async (_t, to, code) => { sentCodes.push({ to, code }); } },
      onPending: async (request) => { pending.push(request); },
    });
    return { who, c: new DialogTestClient('msteams', dialog, { who, args }) };
  }

  /** Sends, then collects every reply of that turn as text (cards as JSON). */
  async function say(c: DialogTestClient, input: string | Partial<Activity>): Promise<string> {
    // sendActivity hands back the turn's first reply; the rest wait in the queue.
    const first = (await c.sendActivity(input)) as Partial<Activity> | undefined;
    const out: string[] = [];
    for (let reply = first; reply; reply = c.getNextReply()) out.push(`${reply.text ?? ''} ${JSON.stringify(reply.attachments ?? [])}`);
    return out.join('\n');
  }
  const form = (email: string, extra: Record<string, unknown> = {}) => ({ type: 'message', value: { form: 'association.profile', displayName: 'Test User', email, phone: '', language: 'en', mcid: '', ...extra } });

  it('an unknown Partner ID starts over with what to try', async () => {
    const { c } = client();
    assert.match(await say(c, 'hi'), /Partner ID/);
    assert.match(await say(c, '9999999'), /No organisation has Partner ID 9999999[\s\S]*Which organisation/);
  });

  it('a too-short number is explained', async () => {
    const { c } = client();
    await say(c, 'hi');
    assert.match(await say(c, '12'), /A Partner ID is 4 to 10 digits/);
  });

  it('several name matches offer a pick list; "None of these" starts over', async () => {
    const { c } = client();
    await say(c, 'hi');
    const list = await say(c, 'tailspin');
    assert.match(list, /Tailspin Toys \(US\), Partner ID 2020202[\s\S]*Tailspin Toys Europe \(DE\), Partner ID 2020203[\s\S]*None of these/);
    assert.match(await say(c, 'None of these'), /Try the Partner ID/);
  });

  it('a pick from the list leads to the profile form for that organisation', async () => {
    const { c } = client();
    await say(c, 'hi');
    await say(c, 'tailspin');
    assert.match(await say(c, 'Tailspin Toys Europe (DE), Partner ID 2020203'), /Your profile for Tailspin Toys Europe/);
  });

  it('text instead of the form re-sends the form with a hint', async () => {
    const { c } = client('2020202');
    await say(c, 'hi');
    assert.match(await say(c, 'what now?'), /Fill in the form and press Next, or type cancel/);
  });

  it('each bad field is named on the re-sent form, and values are kept', async () => {
    const { c } = client('2020202');
    await say(c, 'hi');
    assert.match(await say(c, form('no-at-sign')), /Work e-mail: \\"no-at-sign\\" is not an e-mail address/);
    assert.match(await say(c, form('a@tailspin.example', { displayName: '' })), /Name: Your name cannot be empty/);
    assert.match(await say(c, form('a@tailspin.example', { mcid: 'abc' })), /MCID: An MCID/);
    assert.match(await say(c, form('a@tailspin.example', { language: 'klingon' })), /Preferred language: Choose one of/);
    const kept = await say(c, form('a@tailspin.example', { displayName: { $gt: '' } }));
    assert.match(kept, /Name: /);
    assert.match(kept, /"id":"email"[^}]*"value":"a@tailspin\.example"/);
  });

  it('a code proves the address: wrong, resend, right; then accepted on a pre-approved domain', async () => {
    const { c, who } = client('2020202');
    await say(c, 'hi');
    assert.match(await say(c, form('kim@tailspin.example')), /I sent a 6-digit code/);
    const first = sentCodes.at(-1)!;
    assert.equal(first.to, 'kim@tailspin.example');
    assert.match(await say(c, '12'), /That code is not right \(it is 6 digits\)/);
    assert.match(await say(c, 'resend'), /I sent a new code/);
    const second = sentCodes.at(-1)!;
    assert.notEqual(second.code, undefined);
    assert.match(await say(c, second.code), /kim@tailspin\.example \(proven\)[\s\S]*Send the request\?/);
    assert.match(await say(c, 'Yes'), /has been accepted/);
    const member = await suite.db.collection(collections.members).findOne({ aadObjectId: who.aadObjectId });
    assert.equal(member?.orgId, '2020202');
  });

  it('No at the confirmation sends nothing', async () => {
    const { c, who } = client('2020203');
    await say(c, 'hi');
    await say(c, form('lee@elsewhere.example'));
    await say(c, sentCodes.at(-1)!.code);
    assert.match(await say(c, 'No'), /I did not send anything/);
    assert.equal(await suite.db.collection(collections.associationRequests).countDocuments({ 'requester.aadObjectId': who.aadObjectId }), 0);
  });

  it('a pending request tells the approvers once; a second one for the same organisation is refused', async () => {
    const { c, who } = client('2020203');
    await say(c, 'hi');
    await say(c, form('max@elsewhere.example'));
    await say(c, sentCodes.at(-1)!.code);
    assert.match(await say(c, 'Yes'), /sent to your organisation's program administrator/);
    assert.equal(pending.filter((p) => p.requester.aadObjectId === who.aadObjectId).length, 1);
    const again = new DialogTestClient('msteams', new AssociateDialog({ db: suite.db, codes: { send: async (_t, to, code) => { sentCodes.push({ to, code }); } }, onPending: async () => undefined }), { who, args: '2020203' });
    await say(again, 'hi');
    await say(again, form('max@elsewhere.example'));
    await say(again, sentCodes.at(-1)!.code);
    assert.match(await say(again, 'Yes'), /You already have a request waiting for Tailspin Toys Europe/);
  });

  it('in French (fr-FR locale): the main path, from the question to the acceptance, and the code e-mail', async () => {
    const who = { tenantId: TENANT, aadObjectId: `user-${++users}`, name: 'Test User' };
    const mails: { subject: string; body: string }[] = [];
    const dialog = new AssociateDialog({
      db: suite.db,
      codes: { send: async (_t, to, code, mail) => { sentCodes.push({ to, code }); if (mail) mails.push(mail); } },
      onPending: async () => undefined,
    });
    const c = new DialogTestClient('msteams', dialog, { who });
    const fr = (input: string | Record<string, unknown>) => say(c, typeof input === 'string' ? { type: 'message', text: input, locale: 'fr-FR' } : { ...input, locale: 'fr-FR' });
    assert.match(await fr('bonjour'), /À quelle organisation voulez-vous vous associer/);
    assert.match(await fr('9999999'), /Aucune organisation n'a le Partner ID 9999999/);
    assert.match(await fr('tailspin'), /Laquelle est votre organisation \?[\s\S]*Aucune de celles-ci/);
    assert.match(await fr('Tailspin Toys (US), Partner ID 2020202'), /Votre profil pour Tailspin Toys \(US\), Partner ID 2020202[\s\S]*"title":"Suivant"/);
    assert.match(await fr(form('no-at-sign', { language: 'fr' })), /E-mail professionnel : « no-at-sign » n'est pas une adresse e-mail/);
    assert.match(await fr(form('lou@tailspin.example', { language: 'fr' })), /n'est pas l'adresse que Teams connaît pour vous : je vous y ai donc envoyé un code à 6 chiffres/);
    assert.match(mails.at(-1)!.subject, /^Votre code MPN Association Bot : \d{6}$/);
    assert.match(await fr('000'), /Ce code n'est pas le bon \(il compte 6 chiffres\)\. Il vous reste 4 essais/);
    assert.match(await fr(sentCodes.at(-1)!.code), /- E-mail professionnel : lou@tailspin\.example \(vérifié\)[\s\S]*- Langue préférée : Français[\s\S]*Envoyer la demande \?/);
    assert.match(await fr('Oui'), /Votre demande d'association a été acceptée\. Votre compte est désormais associé à \*\*Tailspin Toys\*\*/);
    const profile = await suite.db.collection(collections.userProfiles).findOne({ _id: `${TENANT}:${who.aadObjectId}` as never });
    assert.equal(profile?.language, 'fr', "the form's language is the stated preference");
  });

  it('a code that cannot be sent ends the conversation with the reason', async () => {
    const who = { tenantId: TENANT, aadObjectId: `user-${++users}` };
    const failing = new AssociateDialog({ db: suite.db, codes: { send: async () => { throw new CodeDeliveryError('Graph is not set up.'); } }, onPending: async () => undefined });
    const c = new DialogTestClient('msteams', failing, { who, args: '2020202' });
    await say(c, 'hi');
    assert.match(await say(c, form('zed@tailspin.example')), /I could not e-mail a code: Graph is not set up\. Start again with \*\*associate\*\*/);
  });
});
