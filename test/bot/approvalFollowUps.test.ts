// Decision follow-ups gathered from the clicks of the same moment, across tenants: each posted
// card copy is replaced and each requester told in their own tenant's chat and language, even
// when the same Entra object id exists in two tenants.
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import pino from 'pino';
import { ApprovalFollowUps, ApproverIds, approvalCardKey } from '../../bot/actions/approvalFollowUps';
import { PersonReach } from '../../bot/actions/reach';
import type { AssociationRequestDoc } from '../../services/associations/request';
import { collections } from '../../services/db/collections';
import { UnavailableDirectory } from '../../services/directory';
import { Outbox } from '../../services/outbox/outbox';
import { useStoreSuite } from '../support/store';
import { addOrganisation, CONTOSO, FABRIKAM, freshIndexedDb, type Org } from '../competencies/fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const SAME_PERSON = 'same-object-id'; // an Entra object id both tenants happen to hold

const reference = (tenantId: string, conversation: string) => ({
  serviceUrl: 'https://smba.example/', channelId: 'msteams', conversation: { id: conversation, tenantId },
});

function decided(org: Org, id: string): AssociationRequestDoc {
  return {
    _id: id, tenantId: org.tenantId, orgId: org.orgId,
    requester: { aadObjectId: SAME_PERSON, displayName: `Requester of ${org.legalName}`, email: `r@${org.orgId}.example`, language: 'en' },
    emailProven: true, domainPreApproved: true, invited: false, status: 'approved', createdAt: NOW,
    decidedAt: NOW, decidedBy: { aadObjectId: `ppc-${org.orgId}`, displayName: `PPC of ${org.legalName}` },
  };
}

describe('bot: approval follow-ups of clicks at the same moment', () => {
  const suite = useStoreSuite();
  let db: Db;
  let outbox: Outbox;
  let followUps: ApprovalFollowUps;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    outbox = new Outbox(db);
    const logger = pino({ level: 'silent' });
    followUps = new ApprovalFollowUps(db, outbox, new PersonReach(db, new UnavailableDirectory(), logger), new ApproverIds(db), logger);
    for (const org of [CONTOSO, FABRIKAM]) {
      await addOrganisation(db, org, `ppc-${org.orgId}`);
      // The requester's personal chat, and the PPC's posted copy of the request's card.
      await db.collection(collections.conversationRefs).insertOne({
        _id: `personal:${org.tenantId}:${SAME_PERSON}` as never, tenantId: org.tenantId, active: true, reference: reference(org.tenantId, `chat-of-requester-${org.orgId}`),
      });
      await outbox.enqueue({
        key: approvalCardKey(`req-${org.orgId}`, `ppc-${org.orgId}`), target: { tenantId: org.tenantId, reference: reference(org.tenantId, `chat-of-ppc-${org.orgId}`) },
        activity: { type: 'message', text: 'the pending card' },
      });
    }
    // Only Fabrikam's person reads French.
    await db.collection(collections.userProfiles).insertOne({ _id: `${FABRIKAM.tenantId}:${SAME_PERSON}` as never, language: 'fr' });
  });

  it('each requester is told in their own tenant\'s chat and language, and each copy is replaced where it was posted', async () => {
    await Promise.all([
      followUps.afterOne(decided(CONTOSO, `req-${CONTOSO.orgId}`)),
      followUps.afterOne(decided(FABRIKAM, `req-${FABRIKAM.orgId}`)),
    ]);
    const stored = await db.collection<{ _id: string; tenantId: string; reference: { conversation: { id: string } }; activity: string; updateOf?: string }>(collections.outbox)
      .find({ _id: { $regex: /^(association-result|approval:.*:final$)/ } }).sort({ _id: 1 }).toArray();
    const seen = stored.map((n) => ({ key: n._id, tenantId: n.tenantId, conversation: n.reference.conversation.id, text: (JSON.parse(n.activity) as { text?: string }).text }));
    assert.deepEqual(seen.map(({ text: _text, ...rest }) => rest), [
      { key: `approval:req-${CONTOSO.orgId}:ppc-${CONTOSO.orgId}:final`, tenantId: CONTOSO.tenantId, conversation: `chat-of-ppc-${CONTOSO.orgId}` },
      { key: `approval:req-${FABRIKAM.orgId}:ppc-${FABRIKAM.orgId}:final`, tenantId: FABRIKAM.tenantId, conversation: `chat-of-ppc-${FABRIKAM.orgId}` },
      { key: `association-result:req-${CONTOSO.orgId}`, tenantId: CONTOSO.tenantId, conversation: `chat-of-requester-${CONTOSO.orgId}` },
      { key: `association-result:req-${FABRIKAM.orgId}`, tenantId: FABRIKAM.tenantId, conversation: `chat-of-requester-${FABRIKAM.orgId}` },
    ]);
    const told = (org: Org) => seen.find((n) => n.key === `association-result:req-${org.orgId}`)!.text!;
    assert.match(told(CONTOSO), /Contoso Ltd/);
    assert.match(told(CONTOSO), /approved/i);
    assert.match(told(FABRIKAM), /Fabrikam Inc/);
    assert.doesNotMatch(told(FABRIKAM), /approved/i, `told in French: ${told(FABRIKAM)}`);
  });
});
