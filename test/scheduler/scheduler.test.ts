// Delayed jobs on the shared lease queue: idempotent scheduling, one run across instances,
// retries with backoff, dead-lettering, and cancel (before and during a run).
import assert from 'node:assert/strict';
import type { Db, MongoClient } from 'mongodb';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { collections } from '../../services/db/collections';
import { ManualClock } from '../../services/queue/clock';
import { LeaseQueue } from '../../services/queue/leaseQueue';
import type { JobDoc, JobHandler, JobRun } from '../../services/scheduler/job';
import { Scheduler } from '../../services/scheduler/scheduler';
import { SchedulerWorker, type SchedulerWorkerOptions } from '../../services/scheduler/schedulerWorker';
import { useStoreSuite } from '../support/store';
import { closeAll, connectClients, pollUntil } from '../support/storeAssertions';
import { captureLogger, freshIndexedDb, type CapturedLogger } from '../outbox/fixtures';

describe('scheduler', () => {
  const suite = useStoreSuite();
  let db: Db;
  let clock: ManualClock;
  let scheduler: Scheduler;
  let log: CapturedLogger;
  let runs: JobRun[];
  beforeEach(async () => {
    db = await freshIndexedDb(suite.store);
    clock = new ManualClock();
    scheduler = new Scheduler(db, { clock });
    log = captureLogger();
    runs = [];
  });

  const record: JobHandler = async (job) => { runs.push(job); };
  const worker = (handlers: Record<string, JobHandler>, options: Partial<SchedulerWorkerOptions> = {}, on: Db = db) =>
    new SchedulerWorker({ db: on, handlers, logger: log.logger, clock, random: () => 0.5 }, { backoffBaseMs: 1000, backoffMaxMs: 60_000, ...options });
  const at = (ms: number) => new Date(clock.now() + ms);

  it('schedules a key once: a second schedule changes nothing', async () => {
    const first = await scheduler.schedule('remind:req-1', 'association.remind', at(1000), { requestId: 'req-1' });
    const second = await scheduler.schedule('remind:req-1', 'association.remind', at(9000), { requestId: 'other' });
    assert.deepEqual([first.created, second.created], [true, false]);
    const job = await scheduler.get('remind:req-1');
    assert.equal(job?.runAt.getTime(), clock.now() + 1000);
    assert.deepEqual(job?.data, { requestId: 'req-1' });
  });

  it('runs a job at its time, not before, with its data', async () => {
    await scheduler.schedule('j', 'remind', at(5000), { requestId: 'r' });
    const w = worker({ remind: record });
    assert.equal(await w.tick(), 0);
    clock.advance(5000);
    assert.equal(await w.tick(), 1);
    assert.deepEqual(runs.map((r) => [r.key, r.name, r.data, r.attempt]), [['j', 'remind', { requestId: 'r' }, 1]]);
    assert.equal((await scheduler.get('j'))?.status, 'done');
    assert.equal(await w.tick(), 0, 'never again');
  });

  it('runs each job once across two instances on two connections', async () => {
    for (let i = 0; i < 60; i += 1) await scheduler.schedule(`job-${i}`, 'remind', at(0));
    const slowRecord: JobHandler = async (job) => { await yieldToLoop(); runs.push(job); };
    const clients: MongoClient[] = await connectClients(suite.store.uri, 2);
    try {
      const [a, b] = clients.map((c) => worker({ remind: slowRecord }, { concurrency: 3 }, c.db(db.databaseName)));
      const counts = await Promise.all([a.tick(), b.tick()]);
      assert.equal(counts[0] + counts[1], 60);
      assert.equal(runs.length, 60);
      assert.equal(new Set(runs.map((r) => r.key)).size, 60);
    } finally {
      await closeAll(clients);
    }
  });

  it('retries a failing job with exponential backoff, then succeeds', async () => {
    await scheduler.schedule('flaky', 'remind', at(0));
    let calls = 0;
    const w = worker({ remind: async (job) => { calls += 1; if (calls < 3) throw new Error(`boom ${calls}`); runs.push(job); } });
    await w.tick();
    const stored = () => db.collection<JobDoc>(collections.scheduledJobs).findOne({ _id: 'flaky' });
    assert.equal((await stored())?.nextAt.getTime(), clock.now() + 750); // 0.75 · 1000
    assert.equal((await stored())?.lastError, 'Error: boom 1');
    clock.advance(750);
    await w.tick();
    assert.equal((await stored())?.nextAt.getTime(), clock.now() + 1500);
    clock.advance(1499);
    assert.equal(await w.tick(), 0);
    clock.advance(1);
    await w.tick();
    assert.deepEqual(runs.map((r) => r.attempt), [3]);
    assert.equal((await stored())?.status, 'done');
    assert.deepEqual(log.events('job.retry').map((l) => l.delayMs), [750, 1500]);
  });

  it('dead-letters a job that keeps failing, with one log line', async () => {
    await scheduler.schedule('broken', 'remind', at(0));
    const w = worker({ remind: async () => { throw new Error('always'); } }, { maxAttempts: 3, backoffMaxMs: 1000 });
    for (let i = 0; i < 5; i += 1) {
      await w.tick();
      clock.advance(1000);
    }
    const job = await scheduler.get('broken');
    assert.equal(job?.status, 'dead');
    assert.equal(job?.attempts, 3);
    const dead = log.events('job.dead');
    assert.equal(dead.length, 1);
    assert.equal(dead[0].reason, 'attempts exhausted');
  });

  it('dead-letters a job with no handler of its name', async () => {
    await scheduler.schedule('odd', 'no.such.handler', at(0));
    await worker({ remind: record }).tick();
    assert.equal((await scheduler.get('odd'))?.status, 'dead');
    assert.equal(log.events('job.dead')[0].reason, 'no handler');
  });

  it('cancel before the run: it never runs', async () => {
    await scheduler.schedule('c', 'remind', at(1000));
    assert.equal(await scheduler.cancel('c'), 'cancelled');
    clock.advance(1000);
    assert.equal(await worker({ remind: record }).tick(), 0);
    assert.equal(runs.length, 0);
    assert.equal((await scheduler.get('c'))?.status, 'cancelled');
    assert.equal(await scheduler.cancel('c'), 'absent');
    assert.equal(await scheduler.cancel('never-scheduled'), 'absent');
  });

  it('cancel during a run: the run ends, and a failure is not retried', async () => {
    await scheduler.schedule('running', 'remind', at(0));
    let started!: () => void;
    const inside = new Promise<void>((resolve) => { started = resolve; });
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => { finish = resolve; });
    const w = worker({ remind: async () => { started(); await gate; throw new Error('failed after cancel'); } });
    const pass = w.tick();
    await inside;
    assert.equal(await scheduler.cancel('running'), 'running');
    finish();
    await pass;
    assert.equal((await scheduler.get('running'))?.status, 'cancelled');
    clock.advance(3_600_000);
    assert.equal(await w.tick(), 0);
  });

  it('a crashed instance\'s job runs elsewhere once its lease expires', async () => {
    await scheduler.schedule('orphan', 'remind', at(0));
    const crashed = new LeaseQueue<JobDoc>(db, collections.scheduledJobs, { leaseMs: 60_000, owner: 'crashed', clock });
    assert.ok(await crashed.claim());
    const w = worker({ remind: record }, { leaseMs: 60_000 });
    assert.equal(await w.tick(), 0);
    clock.advance(60_000);
    assert.equal(await w.tick(), 1);
    assert.deepEqual(runs.map((r) => [r.key, r.attempt]), [['orphan', 2]]);
  });

  it('start() runs jobs scheduled in this process without waiting for the poll; stop() releases', async () => {
    const w = worker({ remind: record }, { pollMs: 600_000 });
    scheduler.onScheduled(() => w.kick());
    w.start();
    try {
      await scheduler.schedule('soon', 'remind', at(0));
      await pollUntil(async () => runs.length === 1, { timeoutMs: 2000, what: 'the kicked job' });
    } finally {
      await w.stop();
    }
    assert.equal(await db.collection(collections.scheduledJobs).countDocuments({ status: 'leased' }), 0);
  });
});
