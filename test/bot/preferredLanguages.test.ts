// The in-process cache of stated language preferences: a turn's language costs no store read
// while an entry is fresh; another instance's change shows after the TTL; this process's own
// change at once; bounded, least recently used first out. "Never chose" is not "chose English".
import assert from 'node:assert/strict';
import { PreferredLanguages } from '../../bot/preferredLanguages';
import { collections } from '../../services/db/collections';
import { getProfile, updateProfile } from '../../services/people/profiles';
import { useStoreSuite } from '../support/store';

const TENANT = 'cccccccc-3333-4000-8000-00000000000c';
let people = 0;
const person = () => ({ tenantId: TENANT, aadObjectId: `lang-${++people}` });

describe('preferred languages', () => {
  const suite = useStoreSuite();
  let clock = 0;
  const now = () => clock;
  /** What another instance does: it writes the store, this process is not told. */
  const elsewhere = (who: { tenantId: string; aadObjectId: string }, language: string) =>
    suite.db.collection(collections.userProfiles).updateOne({ _id: `${who.tenantId}:${who.aadObjectId}` as never }, { $set: { language } }, { upsert: true });

  it('a profile without a chosen language is "never chose", not English', async () => {
    const who = person();
    await updateProfile(suite.db, who, { phone: '+44 20 7946 0000' });
    const profile = await getProfile(suite.db, who);
    assert.equal(profile.statedLanguage, undefined);
    assert.equal(profile.language, 'en', 'English is still what is used');
    assert.equal(await new PreferredLanguages(suite.db).of(who), undefined);
    await updateProfile(suite.db, who, { language: 'en' });
    assert.equal((await getProfile(suite.db, who)).statedLanguage, 'en');
    assert.equal(await new PreferredLanguages(suite.db).of(who), 'en');
  });

  it("a fresh entry is answered from memory; another instance's change shows after the TTL", async () => {
    const cache = new PreferredLanguages(suite.db, { ttlMs: 60_000, now });
    const who = person();
    await elsewhere(who, 'fr');
    assert.equal(await cache.of(who), 'fr');
    await elsewhere(who, 'de');
    clock += 59_000;
    assert.equal(await cache.of(who), 'fr', 'not read again within the TTL');
    clock += 2_000;
    assert.equal(await cache.of(who), 'de');
  });

  it("this process's own change is seen at once", async () => {
    const cache = new PreferredLanguages(suite.db, { now });
    const who = person();
    assert.equal(await cache.of(who), undefined);
    cache.remember(who, 'fr');
    assert.equal(await cache.of(who), 'fr');
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = new PreferredLanguages(suite.db, { maxEntries: 2, now });
    const [a, b, c] = [person(), person(), person()];
    for (const who of [a, b, c]) await elsewhere(who, 'fr');
    await cache.of(a);
    await cache.of(b);
    await cache.of(a); // a is now the most recently used
    await cache.of(c); // b goes
    assert.equal(cache.size, 2);
    await elsewhere(a, 'de');
    await elsewhere(b, 'de');
    assert.equal(await cache.of(a), 'fr', 'a stayed in memory');
    assert.equal(await cache.of(b), 'de', 'b was read again');
  });
});
