// Seeds the demo organisation on first start in local mode. Idempotent ($setOnInsert only), so
// a restart never overwrites what a newcomer changed while trying the bot.
import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { DEMO_MEMBERS, DEMO_ORGANISATION, DEMO_TENANT_ID } from './personas';

export async function seedDemo(db: Db, now = new Date()): Promise<{ created: boolean }> {
  const { _id, ...org } = DEMO_ORGANISATION;
  const result = await db.collection<{ _id: string }>(collections.organisations).updateOne(
    { _id },
    { $setOnInsert: { ...org, createdAt: now } },
    { upsert: true },
  );
  for (const { persona, roles } of DEMO_MEMBERS) {
    await db.collection<{ _id: string }>(collections.members).updateOne(
      { _id: `${DEMO_TENANT_ID}:${persona.aadObjectId}` },
      { $setOnInsert: {
        tenantId: DEMO_TENANT_ID, orgId: _id, aadObjectId: persona.aadObjectId, email: persona.email,
        displayName: persona.name, roles, contactTypes: [], status: 'associated', associatedAt: now,
      } },
      { upsert: true },
    );
  }
  return { created: result.upsertedCount === 1 };
}
