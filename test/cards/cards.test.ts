// Every card the bot sends parses and validates with the Adaptive Cards library itself (its UMD
// bundle loads in Node), within Teams' size limit. Web Chat and Teams refuse to render a card
// that fails validation (e.g. a required input without an error message): they show nothing.
import assert from 'node:assert/strict';
import { approvalCard } from '../../cards/approvalCard';
import { associationFormCard } from '../../cards/associationForm';
import { domainsCard } from '../../cards/domainsCard';
import { helpCard } from '../../cards/helpCard';
import { inviteCard } from '../../cards/inviteCard';
import { pendingListCard } from '../../cards/pendingListCard';
import { registerCard } from '../../cards/registerCard';
import { requestStatusCard } from '../../cards/requestStatusCard';

const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

const now = new Date('2026-11-23T10:00:00Z');
const request = { requestId: '0b6f6c1e-8a59-4a8e-9d2a-1c2b3d4e5f60', requester: 'Bob', organisation: 'Contoso', email: 'bob@x.example', domainPreApproved: false, createdAt: now };

const CARDS: Record<string, Record<string, unknown>> = {
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
  invite: inviteCard({ organisation: 'O', message: 'x' }).content,
  register: registerCard({ partnerId: '', legalName: '', country: '', address: '', domains: '', error: 'e' }).content,
};

describe('every card', () => {
  for (const [name, content] of Object.entries(CARDS)) {
    it(`${name}: parses and validates with Adaptive Cards, under 28 KB`, () => {
      const card = new AC.AdaptiveCard();
      const context = new AC.SerializationContext();
      card.parse(content, context);
      const parseEvents = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
      assert.deepEqual(parseEvents, []);
      assert.deepEqual(card.validateProperties().validationEvents.map((e) => e.message), []);
      assert.ok(Buffer.byteLength(JSON.stringify(content)) < 28_000);
      assert.equal(JSON.stringify(content).includes('${'), false, 'no template expression left unexpanded');
    });
  }
});
