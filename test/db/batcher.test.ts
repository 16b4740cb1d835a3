// Group commit: concurrent calls go together, one batch at a time; each caller gets its own answer.
import assert from 'node:assert/strict';
import { Batcher } from '../../services/db/batcher';

/** A batch run that records its batches and holds each until released. */
function recording() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const batcher = new Batcher<number, string>(async (items) => {
    batches.push(items);
    await new Promise<void>((release) => releases.push(release));
    return items.map((n) => (n < 0 ? new Error(`refused ${n}`) : `done ${n}`));
  }, { maxBatch: 4 });
  return { batcher, batches, releases };
}

const settled = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: Error) => ({ error: error.message }));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('db: Batcher (group commit)', () => {
  it('calls of the same moment go in one batch; calls made while it runs go together in the next', async () => {
    const { batcher, batches, releases } = recording();
    const first = [1, 2, 3].map((n) => settled(batcher.add(n)));
    await nextTurn();
    assert.deepEqual(batches, [[1, 2, 3]]);
    const second = [4, 5].map((n) => settled(batcher.add(n)));
    await nextTurn();
    assert.deepEqual(batches, [[1, 2, 3]], 'the next batch waits for the one running');
    releases[0]();
    assert.deepEqual(await Promise.all(first), [{ value: 'done 1' }, { value: 'done 2' }, { value: 'done 3' }]);
    await nextTurn();
    assert.deepEqual(batches, [[1, 2, 3], [4, 5]]);
    releases[1]();
    assert.deepEqual(await Promise.all(second), [{ value: 'done 4' }, { value: 'done 5' }]);
  });

  it('a batch holds at most maxBatch items; the rest follow in order', async () => {
    const { batcher, batches, releases } = recording();
    const all = Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.add(n)));
    await nextTurn();
    releases[0]();
    await nextTurn();
    releases[1]();
    assert.deepEqual(await all, [1, 2, 3, 4, 5, 6].map((n) => `done ${n}`));
    assert.deepEqual(batches, [[1, 2, 3, 4], [5, 6]]);
  });

  it('an error for one item fails only that caller; a failed run fails its whole batch, and the next batch still runs', async () => {
    const { batcher, releases } = recording();
    const mixed = [7, -8, 9].map((n) => settled(batcher.add(n)));
    await nextTurn();
    releases[0]();
    assert.deepEqual(await Promise.all(mixed), [{ value: 'done 7' }, { error: 'refused -8' }, { value: 'done 9' }]);

    let calls = 0;
    const flaky = new Batcher<number, number>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('store unavailable');
      return items;
    });
    assert.deepEqual(await Promise.all([1, 2].map((n) => settled(flaky.add(n)))), [{ error: 'store unavailable' }, { error: 'store unavailable' }]);
    assert.deepEqual(await flaky.add(3), 3);
  });

  it('a run that answers for the wrong number of items fails its batch rather than mixing answers up', async () => {
    const short = new Batcher<number, number>(async (items) => items.slice(1));
    await assert.rejects(Promise.all([1, 2].map((n) => short.add(n))), /a batch of 2 got 1 results/);
  });
});
