// Every card the bot sends parses and validates with the Adaptive Cards library itself (its UMD
// bundle loads in Node), within Teams' size limit. Web Chat and Teams refuse to render a card
// that fails validation (e.g. a required input without an error message): they show nothing.
import assert from 'node:assert/strict';
import { approvalCard } from '../../cards/approvalCard';
import { competencyAlertCard } from '../../cards/competencyAlertCard';
import { competencyDetailCard } from '../../cards/competencyDetailCard';
import { competencyStatusCard } from '../../cards/competencyStatusCard';
import { skillsReportCard } from '../../cards/skillsReportCard';
import { certificationsCard } from '../../cards/certificationsCard';
import { importSummaryCard } from '../../cards/importSummaryCard';
import { associationFormCard } from '../../cards/associationForm';
import { domainsCard } from '../../cards/domainsCard';
import { helpCard } from '../../cards/helpCard';
import { inviteCard } from '../../cards/inviteCard';
import { inviteMessageCard } from '../../cards/inviteMessageCard';
import { pendingListCard } from '../../cards/pendingListCard';
import { registerCard } from '../../cards/registerCard';
import { requestStatusCard } from '../../cards/requestStatusCard';
import { addUserCard } from '../../cards/addUserCard';
import { confirmCard } from '../../cards/confirmCard';
import { memberRolesCard } from '../../cards/memberRolesCard';
import { roleRequestCard } from '../../cards/roleRequestCard';
import { roleRequestFormCard } from '../../cards/roleRequestFormCard';
import { transferPpcCard } from '../../cards/transferPpcCard';
import { userCreatedCard } from '../../cards/userCreatedCard';
import { usersListCard } from '../../cards/usersListCard';
import { translator } from '../../i18n';
import { CARD_SAMPLES } from '../support/sampleCards';

const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

const now = new Date('2026-11-23T10:00:00Z');
const request = { requestId: '0b6f6c1e-8a59-4a8e-9d2a-1c2b3d4e5f60', requester: 'Bob', organisation: 'Contoso', email: 'bob@x.example', domainPreApproved: false, createdAt: now };

const CARDS: Record<string, Record<string, unknown>> = {
  // Realistic data (long names, 20 pending requests, many competencies), also rendered in Chromium (test/browser).
  ...Object.fromEntries(CARD_SAMPLES.map((sample) => [`realistic: ${sample.name}`, sample.content])),
  help: helpCard({ title: 'T', intro: 'I', commands: [{ name: 'help', description: 'd' }], footer: 'f' }).content,
  'association form': associationFormCard({ organisation: 'O', displayName: 'A', email: 'a@b.example', phone: '', language: 'en', mcid: '', error: '' }).content,
  'association form with an error': associationFormCard({ organisation: 'O', displayName: '', email: '', phone: 'x', language: 'fr', mcid: '', error: 'Phone: wrong' }).content,
  'approval, pending, with refresh': approvalCard({ ...request, status: 'pending', canDecide: true, refreshUserIds: ['29:a'] }, now).content,
  'approval, decided': approvalCard({ ...request, status: 'rejected', decidedBy: 'Priya', decidedAt: now, reason: 'No', canDecide: false, refreshUserIds: [] }, now).content,
  'pending list': pendingListCard({ total: 25, page: 0, pageSize: 20, summary: 'Approved 1', requests: [{ requestId: request.requestId, requester: 'Bob', email: 'b@x.example', createdAt: now, domainPreApproved: true }] }, now).content,
  'pending list, empty': pendingListCard({ total: 0, page: 0, pageSize: 20, summary: '', requests: [] }, now).content,
  'request status': requestStatusCard({ requestId: request.requestId, organisation: 'O', status: 'Waiting', sent: 's', email: 'e', approvers: 'P', decided: '', reason: '', canCancel: true }).content,
  domains: domainsCard({ organisation: 'O', domains: ['a.example', 'b.example'], message: 'added' }).content,
  'domains, none': domainsCard({ organisation: 'O', domains: [] }).content,
  invite: inviteCard({ organisation: 'O', message: 'x', delivery: { teamsLabel: 'T', emailLabel: 'E', email: false } }).content,
  'invitation message': inviteMessageCard({ title: 'T', intro: 'I', instructions: 'type join ABCDEFGH23', note: 'N', button: 'Join', code: 'ABCDEFGH23' }).content,
  register: registerCard({ partnerId: '', legalName: '', country: '', address: '', domains: '', error: 'e' }).content,
  // The association workflow's cards in French (their words come from the catalogues).
  'approval, pending, French': approvalCard({ ...request, status: 'pending', canDecide: true, refreshUserIds: ['29:a'] }, now, translator('fr')).content,
  'association form, French': associationFormCard({ organisation: 'O', displayName: '', email: '', phone: '', language: 'fr', mcid: '', error: 'x' }, translator('fr')).content,
  'pending list, French': pendingListCard({ total: 25, page: 0, pageSize: 20, summary: '', requests: [{ requestId: request.requestId, requester: 'Bob', email: 'b@x.example', createdAt: now, domainPreApproved: false }] }, now, translator('fr')).content,
  'request status, French': requestStatusCard({ requestId: request.requestId, organisation: 'O', status: 'En attente', sent: 's', email: 'e', approvers: 'P', decided: 'd', reason: 'r', canCancel: true }, translator('fr')).content,
  'register, French': registerCard({ partnerId: '', legalName: '', country: '', address: '', domains: '', error: '' }, translator('fr')).content,
  'certifications, nothing linked': certificationsCard({ title: 'T', intro: 'I', mcidHeading: 'M', mcidText: 'none', nextText: 'n', puHeading: 'P', puText: 'none', buttons: [{ title: 'Link my MCID', action: 'link', kind: 'mcid', accountId: '' }, { title: 'Link PU', action: 'link', kind: 'partnerUniversity', accountId: '' }] }).content,
  'certifications, both linked': certificationsCard({ title: 'T', intro: 'I', mcidHeading: 'M', mcidText: '**123456**', nextText: 'from 1 March 2027', puHeading: 'P', puText: 'a@b.example', buttons: [{ title: 'Unlink MCID 123456', action: 'unlink', kind: 'mcid', accountId: '123456' }, { title: 'Remove', action: 'unlink', kind: 'partnerUniversity', accountId: 'a@b.example' }] }).content,
  'import summary, rejections and more': importSummaryCard({ title: 'T', intro: 'I', facts: [{ title: 'Rows read', value: '30' }], rejectedHeading: 'R', rejections: [{ text: 'Line 3: bad' }, { text: 'Line 9: worse' }], more: '… and 8 more', footer: 'f' }).content,
  'import summary, all good': importSummaryCard({ title: 'T', intro: 'I', facts: [{ title: 'Rows read', value: '3' }], rejectedHeading: 'R', rejections: [], more: '', footer: 'f' }).content,
  'competency status': competencyStatusCard({
    orgId: '1234567', title: 'T', summary: 'S', detailsTitle: 'Details', reportTitle: 'Skills report', refreshTitle: 'Refresh',
    competencies: [{ id: 'cloud-platform', name: 'Cloud Platform', levels: [
      { heading: 'Silver: met ✓', met: true, have: 2, need: 2, progress: '2 of 2 people', missing: [], note: 'Met until 31 January 2027' },
      { heading: 'Gold: 2 of 5 people', met: false, have: 2, need: 5, progress: '2 of 5 people', missing: ['2 more people with AZ-104', '1 more person with AZ-305'], note: '' },
    ] }],
  }).content,
  'competency detail': competencyDetailCard({
    orgId: '1234567', title: 'T', subtitle: 'S', retiredTitle: 'Retired exams', backTitle: 'Back', reportTitle: 'Skills report',
    levels: [
      { heading: 'Silver: met ✓', met: true, missing: [], note: '', retired: ['70-533 counts until 31 January 2027 (1 holding it)'], options: [{ title: '', total: '', parts: [
        { title: 'Two certified people', status: '2 of 2 people', met: true, counting: 'Counting: AZ-104 or AZ-305', people: [{ name: 'Ada', detail: 'AZ-104 (MCID 1)' }, { name: 'Bob', detail: 'AZ-305 (MCID 2)' }], more: '' },
      ] }] },
      { heading: 'Gold: 0 of 70 points', met: false, missing: ['70 more points'], note: '', retired: [], options: [
        { title: 'Option: A', total: '0 of 70 points in all', parts: [{ title: 'Advanced', status: '0 people', met: false, counting: 'Counting: X', people: [], more: 'Nobody counts here yet.' }] },
        { title: 'Option: B (met ✓)', total: '', parts: [{ title: 'R', status: 's', met: true, counting: 'c', people: [{ name: 'Cy', detail: 'd' }], more: '… and 3 more' }] },
      ] },
    ],
  }).content,
  'skills report': skillsReportCard({
    orgId: '1234567', title: 'T', intro: 'I', rowsTitle: 'Rows', rows: '12', peopleTitle: 'People', people: '4', competenciesTitle: 'C', competencies: '2',
    expiresTitle: 'Expires', expires: '23 Nov 2026, 10:57 UTC', warning: 'W', downloadTitle: 'Download CSV', url: 'https://bot.example/api/reports/skills?org=1234567&token=v1.a.b', backTitle: 'Back',
  }).content,
  'competency alert': competencyAlertCard({ orgId: '1234567', title: 'T', text: '**Cloud Platform Silver** is no longer met', causeTitle: 'Cause', cause: 'Bob left', missingTitle: 'Now missing', missing: ['1 more person with AZ-104'], statusTitle: 'Status' }).content,
  // People and roles (seed 003), in English and French.
  ...(() => {
    const cards: Record<string, Record<string, unknown>> = {};
    const member = { aadObjectId: 'a1', displayName: 'Ann', email: 'ann@x.example', roles: ['ppc', 'globalAdmin'] as const, contactTypes: ['technical'] as const };
    const roleRequest = { _id: request.requestId, tenantId: 't', orgId: '1', requester: { aadObjectId: 'a1', displayName: 'Ann', email: 'ann@x.example' }, roles: ['accountAdmin' as const], contactTypes: ['executive' as const], note: 'N', status: 'pending' as const, createdAt: now };
    for (const lang of ['en', 'fr']) {
      const t = translator(lang);
      cards[`users list (${lang})`] = usersListCard(t, { organisation: 'O', total: 45, page: 1, pageSize: 20, role: 'globalAdmin', members: [{ ...member, roles: [...member.roles], contactTypes: [...member.contactTypes] }] }).content;
      cards[`users list, empty (${lang})`] = usersListCard(t, { organisation: 'O', total: 0, page: 0, pageSize: 20, members: [] }).content;
      cards[`add user (${lang})`] = addUserCard(t, { organisation: 'O', canAssignGlobalAdmin: false, displayName: 'Ann', email: 'x', roles: 'accountAdmin', contactTypes: 'technical,executive', message: 'bad' }).content;
      cards[`user created (${lang})`] = userCreatedCard(t, { displayName: 'Ann', organisation: 'O', userPrincipalName: 'ann@x.example', temporaryPassword: 'Ab3$*x_y*zK9!pQ2', roles: 'Global admin' }).content;
      cards[`member roles (${lang})`] = memberRolesCard(t, { organisation: 'O', canAssignGlobalAdmin: false, member: { ...member, roles: [...member.roles], contactTypes: [...member.contactTypes] } }, 'Saved.').content;
      cards[`confirm (${lang})`] = confirmCard({ title: 'T', text: 'X', confirmButton: 'Remove', cancelButton: 'Keep', verb: 'people.remove', data: { email: 'ann@x.example' } }).content;
      cards[`transfer ppc (${lang})`] = transferPpcCard(t, { organisation: 'O', currentPpc: { aadObjectId: 'p', displayName: 'Priya' }, candidates: [{ aadObjectId: 'a1', displayName: 'Ann', email: 'ann@x.example' }], total: 150 }).content;
      cards[`role request form (${lang})`] = roleRequestFormCard(t, 'O').content;
      cards[`role request, pending (${lang})`] = roleRequestCard(t, roleRequest, 'O').content;
      cards[`role request, granted (${lang})`] = roleRequestCard(t, { ...roleRequest, status: 'granted', decidedAt: now, decidedBy: { aadObjectId: 'g', displayName: 'Gabe' } }, 'O').content;
    }
    return cards;
  })(),
};

/**
 * Elements newer than this library (Teams' ProgressBar) parse as "unknown, fallback used": fine
 * only when every such element carries a fallback, which is what older clients then show.
 */
function unknownWithoutFallback(events: string[], content: unknown): string[] {
  const elements: Array<Record<string, unknown>> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') { elements.push(v as Record<string, unknown>); Object.values(v).forEach(walk); }
  };
  walk(content);
  return events.filter((e) => {
    const type = /^Unknown element type "([^"]+)"\. Fallback will be used if present\.$/.exec(e)?.[1];
    return !type || elements.some((el) => el.type === type && !el.fallback);
  });
}

describe('every card', () => {
  for (const [name, content] of Object.entries(CARDS)) {
    it(`${name}: parses and validates with Adaptive Cards, under 28 KB`, () => {
      const card = new AC.AdaptiveCard();
      const context = new AC.SerializationContext();
      card.parse(content, context);
      const parseEvents = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
      assert.deepEqual(unknownWithoutFallback(parseEvents, content), []);
      assert.deepEqual(card.validateProperties().validationEvents.map((e) => e.message), []);
      assert.ok(Buffer.byteLength(JSON.stringify(content)) < 28_000);
      assert.equal(JSON.stringify(content).includes('${'), false, 'no template expression left unexpanded');
    });
  }
});
