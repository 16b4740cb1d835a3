// Every card template with realistic sample data (long names, a full page of 20 pending requests,
// many competencies), and what a user should see and what each click sends. Shared by the JSON
// checks (test/cards) and the renderer in headless Chromium (test/browser).
import { approvalCard } from '../../cards/approvalCard';
import { associationFormCard } from '../../cards/associationForm';
import { addUserCard } from '../../cards/addUserCard';
import { certificationsCard } from '../../cards/certificationsCard';
import { competencyAlertCard } from '../../cards/competencyAlertCard';
import { competencyDetailCard } from '../../cards/competencyDetailCard';
import { competencyStatusCard } from '../../cards/competencyStatusCard';
import { confirmCard } from '../../cards/confirmCard';
import { domainsCard } from '../../cards/domainsCard';
import { helpCard } from '../../cards/helpCard';
import { importSummaryCard } from '../../cards/importSummaryCard';
import { inviteCard } from '../../cards/inviteCard';
import { inviteMessageCard } from '../../cards/inviteMessageCard';
import { memberRolesCard } from '../../cards/memberRolesCard';
import { pendingListCard } from '../../cards/pendingListCard';
import { registerCard } from '../../cards/registerCard';
import { requestStatusCard } from '../../cards/requestStatusCard';
import { roleRequestCard } from '../../cards/roleRequestCard';
import { roleRequestFormCard } from '../../cards/roleRequestFormCard';
import { skillsReportCard } from '../../cards/skillsReportCard';
import { transferPpcCard } from '../../cards/transferPpcCard';
import { userCreatedCard } from '../../cards/userCreatedCard';
import { usersListCard } from '../../cards/usersListCard';
import { COMMANDS } from '../../bot/commands';
import { translator } from '../../i18n';

/** One click: the clickable's name, and what the bot receives (verb and data), or the URL opened, or nothing sent (a ShowCard opens). */
export type Click =
  | { name: string; verb: string; data: Record<string, unknown> }
  | { name: string; submit: Record<string, unknown> }
  | { name: string; url: string }
  | { name: string; opens: true };

export interface CardSample {
  name: string;
  /** The template in cards/ (without .json) this sample renders. */
  template: string;
  content: Record<string, unknown>;
  /** Text the user must see. */
  shows: string[];
  /** Inputs to fill (or choices to pick, by title) before clicking, by their label. */
  fill?: Record<string, string>;
  /** Toggles to tick before clicking, by their title. */
  tick?: string[];
  /** Every clickable, in the order shown (ShowCard contents after its button), and what it does. */
  clicks: Click[];
}

export const NOW = new Date('2026-11-23T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

export const LONG_NAME = 'Maximiliana Alexandrina Featherstonehaugh-Wolfeschlegelsteinhausen';
export const LONG_ORG = 'Contoso Worldwide Professional Services and Cloud Solutions Holdings Ltd';
const ORG_ID = '4455667';
const REQUEST_ID = '0b6f6c1e-8a59-4a8e-9d2a-1c2b3d4e5f60';
const uuid = (n: number) => `0b6f6c1e-8a59-4a8e-9d2a-${String(n).padStart(12, '0')}`;

const FIRST = ['Aarav', 'Beatriz', 'Chen', 'Dmitri', 'Efua', 'François', 'Gunnhild', 'Hiroshi', 'Ingrid', 'José', 'Kwame', 'Leilani', 'Mateus', 'Nadia', 'Oluwaseun', 'Priyanka', 'Quentin', 'Rosalind', 'Søren', 'Thandiwe'];
/** A full page of pending requests: 20 of 47, the first with a very long name. */
const PENDING = FIRST.map((first, i) => ({
  requestId: uuid(i + 1),
  requester: i === 0 ? LONG_NAME : `${first} ${['Okafor', 'Lindqvist', 'Nakamura', 'Papadopoulos'][i % 4]}`,
  email: i === 0 ? 'maximiliana.featherstonehaugh-wolfeschlegelsteinhausen@fabrikam-consulting.example' : `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@fabrikam.example`,
  createdAt: minutesAgo(30 + i * 97),
  domainPreApproved: i % 5 === 0,
}));

/** A catalogue's worth of competencies, each with Silver and Gold. */
const COMPETENCIES = [
  ['cloud-platform', 'Cloud Platform'], ['data-analytics', 'Data Analytics'], ['security', 'Security'],
  ['application-development', 'Application Development'], ['collaboration-content', 'Collaboration and Content'],
  ['messaging', 'Messaging'], ['windows-devices', 'Windows and Devices'], ['datacenter', 'Datacenter'],
] as const;

function commandClick(name: string): Click {
  return { name, verb: 'command.run', data: { command: name } };
}

function samples(): CardSample[] {
  const list: CardSample[] = [];
  const add = (s: CardSample) => list.push(s);

  for (const lang of ['en', 'fr'] as const) {
    const t = translator(lang);
    const sfx = lang === 'en' ? '' : ' (fr)';
    const approvalText = (key: string) => t(`approvals:card.${key}`);

    // Help: every command, each a tappable container named by its text.
    add({
      name: `help${sfx}`, template: 'help',
      content: helpCard({ title: t('help:title'), intro: t('help:intro'), commands: COMMANDS.map((c) => ({ name: c.name, description: c.description })), footer: t('help:footer') }).content,
      shows: [t('help:title'), ...COMMANDS.map((c) => c.description)],
      clicks: COMMANDS.map((c) => commandClick(c.name)),
    });

    // The approval card an approver decides on; Reject… opens a reason box.
    const request = { requestId: REQUEST_ID, requester: LONG_NAME, organisation: LONG_ORG, email: PENDING[0].email, domainPreApproved: false, createdAt: minutesAgo(135) };
    add({
      name: `approval, pending${sfx}`, template: 'approval',
      content: approvalCard({ ...request, status: 'pending', canDecide: true, refreshUserIds: ['29:priya', '29:gabriel'] }, NOW, t).content,
      shows: [approvalText('title'), LONG_NAME, LONG_ORG, PENDING[0].email, approvalText('notPreApproved'), approvalText('pending')],
      fill: { [approvalText('reasonInput')]: 'We do not work with this partner any more.' },
      clicks: [
        { name: approvalText('approve'), verb: 'association.approve', data: { requestId: REQUEST_ID } },
        { name: approvalText('rejectMenu'), opens: true },
        { name: approvalText('reject'), verb: 'association.reject', data: { requestId: REQUEST_ID, reason: 'We do not work with this partner any more.' } },
      ],
    });
    add({
      name: `approval, rejected${sfx}`, template: 'approval',
      content: approvalCard({ ...request, status: 'rejected', decidedBy: 'Priya PPC', decidedAt: minutesAgo(5), reason: 'Not an employee of a partner we work with.', canDecide: false, refreshUserIds: [] }, NOW, t).content,
      shows: [approvalText('title'), LONG_NAME, 'Priya PPC', 'Not an employee of a partner we work with.'],
      clicks: [],
    });

    // A full page of the approver's pending list: 20 of 47, two ticked.
    const ticked = [PENDING[0], PENDING[7]];
    const pageData = { total: 47, page: 0, pageSize: 20, summary: t('approvals:list.approvedSummary', { decided: 2, already: 1, refused: 0 }), requests: PENDING };
    const boxes = Object.fromEntries(PENDING.map((r) => [`req_${r.requestId}`, ticked.includes(r) ? 'true' : 'false']));
    const bulkData = (decision: string) => ({ decision, page: 0, ...boxes });
    add({
      name: `pending list, 20 of 47${sfx}`, template: 'pendingList',
      content: pendingListCard(pageData, NOW, t).content,
      shows: [t('approvals:list.title', { total: 47 }), ...PENDING.map((r) => r.requester), ...PENDING.map((r) => r.email), t('approvals:list.more', { from: 1, to: 20, total: 47 })],
      tick: ticked.map((r) => r.requester),
      clicks: [
        { name: t('approvals:list.approveSelected'), verb: 'association.bulk', data: bulkData('approve') },
        { name: t('approvals:list.rejectSelected'), verb: 'association.bulk', data: bulkData('reject') },
        // Every button sends the boxes' state; paging ignores it.
        { name: t('approvals:list.nextPage'), verb: 'association.pendingPage', data: { page: 1, ...boxes } },
      ],
    });
    add({
      name: `pending list, empty${sfx}`, template: 'pendingList',
      content: pendingListCard({ total: 0, page: 0, pageSize: 20, summary: '', requests: [] }, NOW, t).content,
      shows: [t('approvals:list.empty')],
      clicks: [],
    });

    // The requester's status, with Cancel.
    add({
      name: `request status${sfx}`, template: 'requestStatus',
      content: requestStatusCard({ requestId: REQUEST_ID, organisation: LONG_ORG, status: t('association:status.pending'), sent: '23 November 2026, 07:45 (2 hours ago)', email: PENDING[0].email, approvers: 'Priya PPC, Gabriel Global-Admin', decided: '', reason: '', canCancel: true }, t).content,
      shows: [LONG_ORG, PENDING[0].email, 'Priya PPC, Gabriel Global-Admin'],
      clicks: [{ name: t('association:status.cancelButton'), verb: 'association.cancel', data: { requestId: REQUEST_ID } }],
    });

    // The profile form of the associate dialog (an Action.Submit the dialog reads).
    add({
      name: `association form${sfx}`, template: 'associationForm',
      content: associationFormCard({ organisation: LONG_ORG, displayName: LONG_NAME, email: PENDING[0].email, phone: '', language: lang, mcid: '', error: '' }, t).content,
      shows: [LONG_ORG],
      fill: { [t('association:form.phone')]: '+44 20 7946 0018' },
      clicks: [{ name: t('association:form.next'), submit: { form: 'association.profile', displayName: LONG_NAME, email: PENDING[0].email, phone: '+44 20 7946 0018', language: lang } }],
    });

    add({
      name: `register${sfx}`, template: 'register',
      content: registerCard({ partnerId: '4455667', legalName: LONG_ORG, country: 'GB', address: '1 Long Acre, London WC2E 9LH', domains: 'contoso.example, contoso-services.example', error: '' }, t).content,
      shows: [],
      clicks: [{ name: t('organisations:form.register'), submit: { form: 'organisation.register', partnerId: '4455667', legalName: LONG_ORG, country: 'GB', address: '1 Long Acre, London WC2E 9LH', domains: 'contoso.example, contoso-services.example' } }],
    });

    // Pre-approved domains, with Remove per domain and an Add box.
    const domains = ['contoso.example', 'contoso-services.example', 'eu.contoso-worldwide-professional-services.example'];
    add({
      name: `domains${sfx}`, template: 'domains',
      content: domainsCard({ organisation: LONG_ORG, domains, message: '' }, t).content,
      shows: [LONG_ORG, ...domains],
      fill: { [t('invitationAdmin:domains.addLabel')]: 'fabrikam.example' },
      clicks: [
        ...domains.map((domain) => ({ name: t('invitationAdmin:domains.remove'), verb: 'domains.remove', data: { domain } })),
        { name: t('invitationAdmin:domains.add'), verb: 'domains.add', data: { domain: 'fabrikam.example' } },
      ],
    });
    // Invitations: the form, and the card an invitee gets.
    add({
      name: `invite${sfx}`, template: 'invite',
      content: inviteCard({ organisation: LONG_ORG, language: lang, delivery: { teamsLabel: t('invitations:form.teams'), emailLabel: t('invitations:form.email') } }, t).content,
      shows: [LONG_ORG, t('invitations:form.teams'), t('invitations:form.email')],
      fill: { [t('invitationAdmin:form.addresses')]: 'ann@fabrikam.example; bo@fabrikam.example' },
      clicks: [{ name: t('invitationAdmin:form.invite'), verb: 'invite.send', data: { addresses: 'ann@fabrikam.example; bo@fabrikam.example', language: lang, teams: 'true', email: 'true' } }],
    });
    add({
      name: `invitation message${sfx}`, template: 'inviteMessage',
      content: inviteMessageCard({
        title: t('invitations:message.title', { organisation: LONG_ORG }), intro: t('invitations:message.intro', { inviter: 'Priya PPC', organisation: LONG_ORG }),
        instructions: t('invitations:message.instructions', { code: 'K7PM2QX9RT' }), note: t('invitations:message.note', { email: 'ann@fabrikam.example', expires: '7 December 2026' }),
        button: t('invitations:message.button'), code: 'K7PM2QX9RT',
      }).content,
      shows: [LONG_ORG, 'K7PM2QX9RT', 'ann@fabrikam.example'],
      clicks: [{ name: t('invitations:message.button'), verb: 'invitation.join', data: { code: 'K7PM2QX9RT' } }],
    });

    // Certifications: nothing linked, then both linked.
    add({
      name: `certifications, nothing linked${sfx}`, template: 'certifications',
      content: certificationsCard({
        title: t('certifications:card.title'), intro: t('certifications:card.intro'), mcidHeading: t('certifications:kind.mcid'), mcidText: t('certifications:card.mcidNone'),
        nextText: t('certifications:mcid.nextAllowedNow'), puHeading: t('certifications:kind.partnerUniversity'), puText: t('certifications:card.partnerUniversityNone'),
        buttons: [{ title: t('certifications:card.linkMcid'), action: 'link', kind: 'mcid', accountId: '' }, { title: t('certifications:card.linkPartnerUniversity'), action: 'link', kind: 'partnerUniversity', accountId: '' }],
      }).content,
      shows: [t('certifications:card.title'), t('certifications:card.mcidNone'), t('certifications:card.partnerUniversityNone')],
      clicks: [
        { name: t('certifications:card.linkMcid'), verb: 'certifications.start', data: { action: 'link', kind: 'mcid', accountId: '' } },
        { name: t('certifications:card.linkPartnerUniversity'), verb: 'certifications.start', data: { action: 'link', kind: 'partnerUniversity', accountId: '' } },
      ],
    });
    const puAddress = 'maximiliana.featherstonehaugh@contoso-worldwide.example';
    add({
      name: `certifications, both linked${sfx}`, template: 'certifications',
      content: certificationsCard({
        title: t('certifications:card.title'), intro: t('certifications:card.intro'), mcidHeading: t('certifications:kind.mcid'),
        mcidText: t('certifications:card.mcidLinked', { id: '987654321', organisation: LONG_ORG, date: '3 March 2026' }),
        nextText: t('certifications:mcid.nextAllowedFrom', { date: '3 March 2027' }), puHeading: t('certifications:kind.partnerUniversity'),
        puText: t('certifications:card.partnerUniversityLinked', { id: puAddress, organisation: LONG_ORG, date: '4 March 2026' }),
        buttons: [{ title: t('certifications:card.unlinkMcid', { id: '987654321' }), action: 'unlink', kind: 'mcid', accountId: '987654321' }, { title: t('certifications:card.unlinkPartnerUniversity'), action: 'unlink', kind: 'partnerUniversity', accountId: puAddress }],
      }).content,
      shows: ['987654321', puAddress, '3 March 2027'],
      clicks: [
        { name: t('certifications:card.unlinkMcid', { id: '987654321' }), verb: 'certifications.start', data: { action: 'unlink', kind: 'mcid', accountId: '987654321' } },
        { name: t('certifications:card.unlinkPartnerUniversity'), verb: 'certifications.start', data: { action: 'unlink', kind: 'partnerUniversity', accountId: puAddress } },
      ],
    });

    // A transcript import with rejected rows.
    const rejections = Array.from({ length: 10 }, (_, i) => ({ text: t('certifications:import.summary.rejection', { line: 3 + i * 7, reason: 'the MCID must be 4 to 12 digits' }) }));
    add({
      name: `import summary${sfx}`, template: 'importSummary',
      content: importSummaryCard({
        title: t('certifications:import.summary.title', { name: 'transcripts-november-2026-contoso-worldwide.csv' }), intro: t('certifications:import.summary.someRejected', { count: 12 }),
        facts: [{ title: t('certifications:import.summary.read'), value: '1,204' }, { title: t('certifications:import.summary.inserted'), value: '1,150' }, { title: t('certifications:import.summary.rejected'), value: '12' }],
        rejectedHeading: t('certifications:import.summary.rejectedHeading'), rejections, more: t('certifications:import.summary.more', { count: 2 }), footer: t('certifications:import.summary.footer'),
      }).content,
      shows: ['transcripts-november-2026-contoso-worldwide.csv', '1,204', rejections[9].text],
      clicks: [],
    });

    // Competencies: status of a whole catalogue, one drill-down, the report link, an alert.
    const statusTitle = t('competencies:status.title', { organisation: LONG_ORG });
    add({
      name: `competency status, 8 competencies${sfx}`, template: 'competencyStatus',
      content: competencyStatusCard({
        orgId: ORG_ID, title: statusTitle, summary: t('competencies:status.summary', { count: 37, time: '23 November 2026, 10:00' }),
        detailsTitle: t('competencies:status.details'), reportTitle: t('competencies:status.report'), refreshTitle: t('competencies:status.refresh'),
        competencies: COMPETENCIES.map(([id, name], i) => ({ id, name, levels: [
          { heading: t('competencies:status.met', { level: 'Silver' }), met: true, have: 2, need: 2, progress: t('competencies:status.peopleProgress', { have: 2, need: 2 }), missing: [], note: i === 0 ? t('competencies:status.metUntil', { day: '31 January 2027' }) : '' },
          { heading: t('competencies:status.notMet', { level: 'Gold', progress: t('competencies:status.peopleProgress', { have: i % 5, need: 5 }) }), met: false, have: i % 5, need: 5, progress: t('competencies:status.peopleProgress', { have: i % 5, need: 5 }),
            missing: [t('competencies:missing.people', { count: 5 - (i % 5), codes: 'AZ-104 or AZ-305', label: `${name} Gold` })], note: '' },
        ] })),
      }).content,
      shows: [statusTitle, ...COMPETENCIES.map(([, name]) => name), t('competencies:missing.people', { count: 5, codes: 'AZ-104 or AZ-305', label: 'Cloud Platform Gold' })],
      clicks: [
        ...COMPETENCIES.map(([id]) => ({ name: t('competencies:status.details'), verb: 'competency.detail', data: { orgId: ORG_ID, competencyId: id } })),
        { name: t('competencies:status.report'), verb: 'competency.report', data: { orgId: ORG_ID } },
        { name: t('competencies:status.refresh'), verb: 'competency.status', data: { orgId: ORG_ID } },
      ],
    });
    const people = ['Ada Lovelace', LONG_NAME, 'Bartholomew Okonkwo-Richardson', 'Chen Wei', 'Dagny Haugen'].map((name, i) => ({ name, detail: t('competencies:detail.personDetail', { codes: i % 2 ? 'AZ-305' : 'AZ-104, AZ-305', mcids: String(1000 + i) }) }));
    add({
      name: `competency detail${sfx}`, template: 'competencyDetail',
      content: competencyDetailCard({
        orgId: ORG_ID, title: t('competencies:detail.title', { competency: 'Cloud Platform' }), subtitle: t('competencies:detail.subtitle', { organisation: LONG_ORG, time: '23 November 2026, 10:00' }),
        retiredTitle: t('competencies:detail.retired'), backTitle: t('competencies:detail.back'), reportTitle: t('competencies:detail.report'),
        levels: [
          { heading: t('competencies:status.met', { level: 'Silver' }), met: true, missing: [], note: '', retired: [t('competencies:detail.retiredCounting', { code: '70-533', day: '31 January 2027', holders: 1 })],
            options: [{ title: '', total: '', parts: [{ title: 'Two certified people', status: t('competencies:detail.peopleRequirement', { have: 5, required: 2 }), met: true, counting: t('competencies:detail.counting', { codes: 'AZ-104 or AZ-305' }), people, more: t('competencies:detail.more', { n: 3 }) }] }] },
          { heading: t('competencies:status.notMet', { level: 'Gold', progress: t('competencies:status.pointsProgress', { have: 20, need: 70 }) }), met: false, missing: [t('competencies:missing.points', { count: 50, label: 'Cloud Platform Gold' })], note: '', retired: [],
            options: [
              { title: t('competencies:detail.option', { option: 'Advanced' }), total: t('competencies:detail.optionPoints', { have: 20, need: 70 }), parts: [{ title: 'Advanced specialists', status: '2 people', met: false, counting: t('competencies:detail.counting', { codes: 'AZ-305' }), people: people.slice(0, 2), more: '' }] },
              { title: t('competencies:detail.option', { option: 'Associate' }), total: '', parts: [{ title: 'Associates', status: '0 people', met: false, counting: t('competencies:detail.counting', { codes: 'AZ-104' }), people: [], more: t('competencies:detail.nobody') }] },
            ] },
        ],
      }).content,
      shows: [t('competencies:detail.title', { competency: 'Cloud Platform' }), LONG_NAME, 'Dagny Haugen', t('competencies:detail.retired'), t('competencies:detail.nobody')],
      clicks: [
        { name: t('competencies:detail.back'), verb: 'competency.status', data: { orgId: ORG_ID } },
        { name: t('competencies:detail.report'), verb: 'competency.report', data: { orgId: ORG_ID } },
      ],
    });
    const reportUrl = `https://mpn-bot.contoso.example/api/reports/skills?org=${ORG_ID}&token=v1.eyJvcmciOiI0NDU1NjY3In0.c2lnbmF0dXJl`;
    add({
      name: `skills report${sfx}`, template: 'skillsReport',
      content: skillsReportCard({
        orgId: ORG_ID, title: t('competencies:report.title', { organisation: LONG_ORG }), intro: t('competencies:report.intro'),
        rowsTitle: t('competencies:report.rows'), rows: '1,204', peopleTitle: t('competencies:report.people'), people: '37', competenciesTitle: t('competencies:report.competencies'), competencies: '8',
        expiresTitle: t('competencies:report.expires'), expires: '23 November 2026, 10:15 UTC', warning: t('competencies:report.warning'),
        downloadTitle: t('competencies:report.download'), url: reportUrl, backTitle: t('competencies:report.back'),
      }).content,
      shows: [LONG_ORG, '1,204', '23 November 2026, 10:15 UTC'],
      clicks: [
        { name: t('competencies:report.download'), url: reportUrl },
        { name: t('competencies:report.back'), verb: 'competency.status', data: { orgId: ORG_ID } },
      ],
    });
    add({
      name: `competency alert${sfx}`, template: 'competencyAlert',
      content: competencyAlertCard({
        orgId: ORG_ID, title: t('competencies:alert.title'), text: t('competencies:alert.text', { label: 'Cloud Platform Silver', organisation: LONG_ORG, orgId: ORG_ID }),
        causeTitle: t('competencies:alert.cause'), cause: t('competencies:alert.causes.memberRemoved', { name: LONG_NAME }), missingTitle: t('competencies:alert.missing'),
        missing: [t('competencies:missing.people', { count: 1, codes: 'AZ-104 or AZ-305', label: 'Cloud Platform Silver' })], statusTitle: t('competencies:alert.status'),
      }).content,
      shows: [t('competencies:alert.title'), LONG_NAME, 'Cloud Platform Silver'],
      clicks: [{ name: t('competencies:alert.status'), verb: 'competency.status', data: { orgId: ORG_ID } }],
    });

    // People and roles.
    const members = FIRST.map((first, i) => ({
      aadObjectId: `a0000000-0000-4000-8000-${String(100 + i).padStart(12, '0')}`, displayName: i === 3 ? LONG_NAME : `${first} Okafor`, email: `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@contoso.example`,
      roles: (i === 0 ? ['ppc', 'globalAdmin'] : i % 4 === 1 ? ['accountAdmin'] : []) as never[], contactTypes: (i % 3 === 0 ? ['technical'] : []) as never[],
    }));
    add({
      name: `users list, page 2 of 3${sfx}`, template: 'usersList',
      content: usersListCard(t, { organisation: LONG_ORG, total: 45, page: 1, pageSize: 20, members }).content,
      shows: [LONG_NAME, ...members.map((m) => m.email)],
      clicks: [
        ...members.map((m) => ({ name: t('people:list.rolesButton'), verb: 'people.roles', data: { aadObjectId: m.aadObjectId } })),
        { name: t('people:list.previous'), verb: 'people.page', data: { page: 0, role: '' } },
        { name: t('people:list.next'), verb: 'people.page', data: { page: 2, role: '' } },
        { name: t('people:list.addButton'), verb: 'people.addForm', data: {} },
      ],
    });
    add({
      name: `add user${sfx}`, template: 'addUser',
      content: addUserCard(t, { organisation: LONG_ORG, canAssignGlobalAdmin: false }).content,
      shows: [t('people:add.title', { organisation: LONG_ORG })],
      fill: { [t('people:add.nameLabel')]: LONG_NAME, [t('people:add.emailLabel')]: 'maximiliana@contoso.example' },
      clicks: [{ name: t('people:add.button'), verb: 'people.add', data: { displayName: LONG_NAME, email: 'maximiliana@contoso.example' } }],
    });
    add({
      name: `user created${sfx}`, template: 'userCreated',
      content: userCreatedCard(t, { displayName: LONG_NAME, organisation: LONG_ORG, userPrincipalName: 'maximiliana@contoso.example', temporaryPassword: 'Ab3$*x_y*zK9!pQ2', roles: t('people:role.accountAdmin') }).content,
      shows: [t('people:created.title'), 'maximiliana@contoso.example'],
      clicks: [],
    });
    const member = members[3];
    add({
      name: `member roles${sfx}`, template: 'memberRoles',
      content: memberRolesCard(t, { organisation: LONG_ORG, canAssignGlobalAdmin: true, member: { ...member, roles: ['accountAdmin'], contactTypes: ['technical', 'executive'] } }, t('people:roles.saved')).content,
      shows: [t('people:roles.title', { name: LONG_NAME }), t('people:roles.saved')],
      clicks: [
        { name: t('people:roles.save'), verb: 'people.setRoles', data: { aadObjectId: member.aadObjectId, roles: 'accountAdmin', contactTypes: 'technical,executive' } },
        { name: t('people:roles.remove'), verb: 'people.confirmRemove', data: { email: member.email, roles: 'accountAdmin', contactTypes: 'technical,executive' } },
      ],
    });
    add({
      name: `confirm remove${sfx}`, template: 'confirm',
      content: confirmCard({ title: t('people:remove.confirmTitle', { name: LONG_NAME }), text: t('people:remove.confirmText', { name: LONG_NAME, email: member.email }), confirmButton: t('people:remove.confirm'), cancelButton: t('people:remove.keep'), verb: 'people.remove', data: { email: member.email } }).content,
      shows: [t('people:remove.confirmTitle', { name: LONG_NAME })],
      clicks: [
        { name: t('people:remove.confirm'), verb: 'people.remove', data: { email: member.email } },
        { name: t('people:remove.keep'), verb: 'people.cancel', data: {} },
      ],
    });
    add({
      name: `transfer ppc${sfx}`, template: 'transferPpc',
      content: transferPpcCard(t, { organisation: LONG_ORG, currentPpc: { aadObjectId: members[0].aadObjectId, displayName: members[0].displayName }, candidates: members.slice(1), total: 150 }).content,
      shows: [t('people:transfer.title'), members[0].displayName],
      fill: { [t('people:transfer.pickLabel')]: `${members[5].displayName} <${members[5].email}>` },
      clicks: [{ name: t('people:transfer.next'), verb: 'ppc.pick', data: { aadObjectId: members[5].aadObjectId } }],
    });
    add({
      name: `role request form${sfx}`, template: 'roleRequestForm',
      content: roleRequestFormCard(t, LONG_ORG).content,
      shows: [t('people:request.title'), LONG_ORG],
      fill: { [t('people:request.noteLabel')]: 'I run the partner programme for our EMEA practice.' },
      clicks: [{ name: t('people:request.send'), verb: 'roles.request', data: { note: 'I run the partner programme for our EMEA practice.' } }],
    });
    const roleRequest = { _id: REQUEST_ID, tenantId: 't', orgId: ORG_ID, requester: { aadObjectId: member.aadObjectId, displayName: LONG_NAME, email: member.email }, roles: ['accountAdmin' as const, 'mpnPartnerAdmin' as const], contactTypes: ['executive' as const], note: 'I run the partner programme for our EMEA practice.', status: 'pending' as const, createdAt: minutesAgo(60) };
    add({
      name: `role request, pending${sfx}`, template: 'roleRequest',
      content: roleRequestCard(t, roleRequest, LONG_ORG).content,
      shows: [LONG_NAME, 'I run the partner programme for our EMEA practice.', t('people:decision.pending')],
      clicks: [
        { name: t('people:decision.grant'), verb: 'roles.grant', data: { requestId: REQUEST_ID } },
        { name: t('people:decision.deny'), verb: 'roles.deny', data: { requestId: REQUEST_ID } },
      ],
    });
    add({
      name: `role request, granted${sfx}`, template: 'roleRequest',
      content: roleRequestCard(t, { ...roleRequest, status: 'granted', decidedAt: minutesAgo(2), decidedBy: { aadObjectId: 'g', displayName: 'Gabriel Global-Admin' } }, LONG_ORG).content,
      shows: [LONG_NAME, 'Gabriel Global-Admin'],
      clicks: [],
    });
  }
  return list;
}

export const CARD_SAMPLES: readonly CardSample[] = samples();
