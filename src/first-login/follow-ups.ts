import type { JobScheduler, ScheduledJob } from "../jobs";
import { JobKind } from "../jobs/job-kinds";
import { ReminderSweep } from "./reminder-sweep";
import type { ReminderSweepDependencies, SweepSummary } from "./reminder-sweep";

/** The message sent when account synchronisation should be over. */
export const SYNC_READY_TEXT =
  "Your NHSmail account should now have finished synchronising, so you can send email. " +
  "If you still can't send email, type **talk to a person** and we'll help.";

/** The id of the one recurring reminder sweep job. */
export const REMINDER_SWEEP_ID = "reminders|sweep";

/** The payload of a {@link JobKind.SyncFollowUp} job. */
export interface SyncFollowUpPayload {
  /** The lower-case address whose account is synchronising. */
  email: string;
}

/** What the first-login jobs need: the sweep's dependencies (links, messenger, store, clock, logger, settings) and its period. */
export interface FirstLoginJobDependencies extends ReminderSweepDependencies {
  /** How often the reminder sweep runs, in milliseconds (hourly is plenty: reminders are daily at most). */
  sweepEveryMs: number;
}

/** The first-login jobs, once registered. */
export interface FirstLoginJobs {
  /** Schedules the first reminder sweep, now, unless one is already pending. Call once at start. */
  ensureReminderSweep(): Promise<boolean>;
  /** Runs one reminder sweep at once, outside the schedule (administration and tests). */
  sweep(): Promise<SweepSummary>;
}

/**
 * Registers the first-login job handlers on the scheduler:
 * - {@link JobKind.SyncFollowUp}: tells the person linked to the address that email should now work. A person who
 *   cannot be reached (no link, no conversation, or the bot was removed) is logged and dropped; a delivery that
 *   failed otherwise throws, so the scheduler tries again later.
 * - {@link JobKind.ReminderSweep}: reschedules itself `sweepEveryMs` on, then sends the MFA and password-expiry
 *   reminders that are due (see {@link ReminderSweep}).
 */
export function registerFirstLoginJobs(jobs: Pick<JobScheduler, "handle" | "schedule" | "ensure">, deps: FirstLoginJobDependencies): FirstLoginJobs {
  const sweeper = new ReminderSweep(deps);
  const nextSweep = (): Date => new Date(deps.clock().getTime() + deps.sweepEveryMs);

  jobs.handle<SyncFollowUpPayload>(JobKind.SyncFollowUp, (payload, job) => sendSyncFollowUp(payload, job, deps));
  jobs.handle(JobKind.ReminderSweep, async () => {
    // Rescheduled first, so a sweep that fails or is cut short does not end the sweeps.
    await jobs.schedule(JobKind.ReminderSweep, REMINDER_SWEEP_ID, nextSweep(), {});
    await sweeper.run();
  });
  return {
    ensureReminderSweep: () => jobs.ensure(JobKind.ReminderSweep, REMINDER_SWEEP_ID, deps.clock(), {}),
    sweep: () => sweeper.run(),
  };
}

async function sendSyncFollowUp(payload: SyncFollowUpPayload, job: ScheduledJob, deps: FirstLoginJobDependencies): Promise<void> {
  const user = typeof payload?.email === "string" ? await deps.links.userOf(payload.email) : undefined;
  if (!user) {
    deps.logger.info("sync follow-up not sent: no Teams user is linked to the address");
    return;
  }
  const outcome = await deps.messenger.send(user, { type: "message", text: SYNC_READY_TEXT });
  if (outcome.status === "failed") throw new Error(`Teams did not take the sync follow-up (status ${outcome.httpStatus ?? "none"}).`);
  if (outcome.status === "sent") deps.logger.info({ attempts: job.attempts }, "sync follow-up sent");
  else deps.logger.info({ outcome: outcome.status }, "sync follow-up not sent: the person cannot be reached");
}
