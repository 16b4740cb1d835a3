// TTL indexes: documents whose indexed date is older than expireAfterSeconds are deleted by a
// periodic sweep, as mongod's TTL monitor does (so expiry is "soon after", not to the second).
import { Engine } from './engine';

export function sweepExpired(engine: Engine, now = Date.now()): number {
  let removed = 0;
  for (const db of engine.databaseNames()) {
    for (const coll of engine.collections(db)) {
      for (const index of coll.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (seconds === undefined) continue;
        for (const doc of index.below(new Date(now - seconds * 1000))) {
          coll.remove(doc);
          removed += 1;
        }
      }
    }
  }
  return removed;
}
