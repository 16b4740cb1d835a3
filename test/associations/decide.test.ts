// Decisions made at the same moment (many approvers clicking under load) have their memberships
// and audit entries written together: every decision is recorded exactly as alone, in fewer
// store commands, and a write refused for one decision fails only that one.
import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { decide } from '../../services/associations/decide';
import type { AssociationRequestDoc } from '../../services/associations/request';
import { collections } from '../../services/db/collections';
import { memberId } from '../../services/people/members';
import { useStoreSuite } from '../support/store';
import { addOrganisation, CONTOSO, freshIndexedDb } from '../competencies/fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const PPC = { tenantId: CONTOSO.tenantId, aadObjectId: 'ppc', displayName: 'Pat PPC' };

function pendingRequest(i: number): AssociationRequestDoc {
  return {
    _id: `req-${i}`, tenantId: CONTOSO.tenantId, orgId: CONTOSO.orgId,
    requester: { aadObjectId: `requester-${i}`, displayName: `Requester ${i}`, email: `r${i}@contoso.example`, language: 'en' },
    emailProven: true, domainPreApproved: true, invited: false, status: 'pending', createdAt: NOW,
  };
}

describe('associations: decisions at the same moment', () => {
  const suite = useStoreSuite();
  let db: Db;
  let client: MongoClient;
  const commands: string[] = [];
  const count = (command: string) => commands.filter((c) => c === command).length;
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    await addOrganisation(db, CONTOSO, PPC.aadObjectId);
    commands.length = 0;
    client = await MongoClient.connect(suite.store.uri, { monitorCommands: true });
    client.on('commandStarted', (e) => {
      if (['insert', 'update', 'find', 'findAndModify'].includes(e.commandName)) commands.push(`${e.commandName} ${e.command[e.commandName]}`);
    });
  });
  afterEach(async () => { await client.close(); });

  it('twenty clicks at once: each request decided once, each requester a member, each decision audited, in a few store commands', async () => {
    await db.collection<AssociationRequestDoc>(collections.associationRequests).insertMany(Array.from({ length: 20 }, (_, i) => pendingRequest(i)));
    const monitored = client.db(db.databaseName);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => decide(monitored, PPC, `req-${i}`, i % 4 === 3 ? 'reject' : 'approve', undefined, NOW)));
    assert.deepEqual(results.map((r) => r.outcome), Array(20).fill('decided'));

    const members = await db.collection(collections.members).find({ orgId: CONTOSO.orgId, status: 'associated' }).sort({ aadObjectId: 1 }).toArray();
    const approved = Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 4 !== 3);
    assert.deepEqual(members.map((m) => m._id).sort(), approved.map((i) => memberId(CONTOSO.tenantId, `requester-${i}`)).sort());
    const entries = await db.collection(collections.audit).find({ orgId: CONTOSO.orgId }).toArray();
    assert.equal(entries.length, 20);
    for (let i = 0; i < 20; i += 1) {
      const entry = entries.find((e) => e.subject === `req-${i}`);
      assert.equal(entry?.action, i % 4 === 3 ? 'association.rejected' : 'association.approved', `req-${i}`);
      assert.equal(entry?.actor, PPC.aadObjectId);
      assert.deepEqual(entry?.at, NOW);
    }
    // The guarded decision stays one command per click; the reads and writes around it go together.
    assert.equal(count(`findAndModify ${collections.associationRequests}`), 20);
    for (const command of [`find ${collections.associationRequests}`, `find ${collections.organisations}`, `find ${collections.members}`, `insert ${collections.audit}`, `update ${collections.members}`]) {
      assert.ok(count(command) >= 1 && count(command) <= 4, `${count(command)} × ${command} for 20 decisions`);
    }
  });

  it('a membership the store refuses fails that decision alone; the others of its batch are recorded', async () => {
    await db.collection<AssociationRequestDoc>(collections.associationRequests).insertMany(Array.from({ length: 6 }, (_, i) => pendingRequest(i)));
    // A stray member holding requester-2's identity under another key: its upsert breaks the unique index.
    await db.collection(collections.members).insertOne({ _id: 'stray' as never, tenantId: CONTOSO.tenantId, aadObjectId: 'requester-2', orgId: 'elsewhere', status: 'removed' });
    const monitored = client.db(db.databaseName);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => decide(monitored, PPC, `req-${i}`, 'approve', undefined, NOW).then(
      (r) => r.outcome, (err: { code?: number }) => `failed ${err.code}`,
    )));
    assert.deepEqual(results, ['decided', 'decided', 'failed 11000', 'decided', 'decided', 'decided']);
    const members = await db.collection(collections.members).find({ orgId: CONTOSO.orgId, status: 'associated' }).toArray();
    assert.deepEqual(members.map((m) => m.aadObjectId).sort(), ['requester-0', 'requester-1', 'requester-3', 'requester-4', 'requester-5']);
    assert.ok(count(`update ${collections.members}`) < 6, 'the six went in fewer writes');
  });
});
