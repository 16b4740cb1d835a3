// Finishes association follow-ups a crash interrupted (services/associations/followUps.ts
// explains the gap): at start-up and then every minute, for requests older than a grace period
// (so a live instance's own follow-ups are not raced), a pending request without its reminders
// gets its audit entry, approval cards and reminders; a decision without its requester
// notification gets its membership and audit entry if missing, every posted card copy updated
// and the requester told; an acceptance gets its membership and audit entry if missing.
// Keys make each step idempotent, so a repeated step never posts twice.
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { claim, completeDecision, completeRequest, markChecked, unchecked, type FollowUpPhase, type FollowedRequest } from '../../services/associations/followUps';
import { collections } from '../../services/db/collections';
import type { Scheduler } from '../../services/scheduler/scheduler';
import type { Approvals } from './approvals';
import { scheduleReminders } from './reminders';

export interface FollowUpOptions {
  /** Requests younger than this are left to the instance handling them (default 30 s). */
  graceMs?: number;
  /** Between sweeps (default 60 s). */
  intervalMs?: number;
  /** Older requests are not looked at (default 7 days). */
  windowMs?: number;
}

export interface SweepReport { checked: number; repaired: number }

const BATCH = 200;
const LEASE_MS = 60_000;

export class AssociationFollowUps {
  private readonly graceMs: number;
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly deps: { db: Db; approvals: Approvals; scheduler: Scheduler; logger: Logger },
    options: FollowUpOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 30_000;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.windowMs = options.windowMs ?? 7 * 24 * 3600_000;
  }

  start(): void {
    const pass = () => {
      if (this.running) return;
      this.running = this.sweep()
        .then((report) => { if (report.repaired) this.deps.logger.warn({ event: 'association.follow_ups_repaired', ...report }, 'finished association follow-ups an earlier process left undone'); })
        .catch((err: unknown) => this.deps.logger.warn({ event: 'association.follow_ups_failed', err }, 'could not check association follow-ups; trying again later'))
        .finally(() => { this.running = undefined; });
    };
    pass();
    this.timer = setInterval(pass, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(now = new Date()): Promise<SweepReport> {
    const report: SweepReport = { checked: 0, repaired: 0 };
    for (const phase of ['pending', 'decision'] as const) {
      const since = new Date(now.getTime() - this.windowMs);
      const until = new Date(now.getTime() - this.graceMs);
      for (;;) {
        const batch = await unchecked(this.deps.db, phase, since, until, BATCH);
        for (const found of batch) {
          const request = await claim(this.deps.db, found._id, phase, now, LEASE_MS);
          if (!request) continue;
          report.checked++;
          if (await this.finish(phase, request)) report.repaired++;
          await markChecked(this.deps.db, request._id, phase, now);
        }
        if (batch.length < BATCH) break;
      }
    }
    return report;
  }

  /** Finishes one request's follow-ups; true when something was missing. */
  private async finish(phase: FollowUpPhase, request: FollowedRequest): Promise<boolean> {
    const { db, approvals, scheduler } = this.deps;
    if (phase === 'pending') {
      // The dialog's onPending schedules the reminders last: if they exist, the cards went out.
      if (await db.collection(collections.scheduledJobs).findOne({ _id: `association-escalate:${request._id}` as never }, { projection: { _id: 1 } })) return false;
      await completeRequest(db, request);
      await approvals.notifyPending(request);
      await scheduleReminders(scheduler, request);
      return true;
    }
    if (request.status === 'accepted') {
      const repaired = await completeDecision(db, request);
      return repaired.membership || repaired.audit;
    }
    // afterDecision tells the requester last: that entry means every copy was updated too.
    if (await db.collection(collections.outbox).findOne({ _id: `association-result:${request._id}` as never }, { projection: { _id: 1 } })) return false;
    await completeDecision(db, request);
    await approvals.afterDecision(request);
    return true;
  }
}
