import type { AgentsChannel } from "../handoff/agents-channel";
import type { JobScheduler, ScheduledJob } from "../jobs";
import { JobKind } from "../jobs/job-kinds";
import type { Logger } from "../logger";
import type { StateStore } from "../state";
import { summariseDay } from "./daily-summary";
import type { DailySummary } from "./daily-summary";
import type { DailyTally } from "./daily-tally";
import { summaryCard } from "./summary-card";
import { nextUkTime, ukDay } from "./uk-clock";

const DAY = 24 * 3600_000;
/** The claim namespace that marks a day's summary as posted. */
const POSTED_CLAIMS = "daily_summary";
/** How long a day's "posted" mark is kept: past the next day's run, so a changed SUMMARY_TIME cannot post twice. */
const POSTED_MEMORY_MS = 2 * DAY;

/** The payload of a {@link JobKind.DailySummary} job: where its 24 hours end (ISO 8601), its scheduled time. */
export interface DailySummaryPayload {
  until: string;
}

/** What the daily summary needs. */
export interface DailySummaryDependencies {
  tally: Pick<DailyTally, "read">;
  /** The agents' channel: its configured id, and posting a new post there. */
  channel: Pick<AgentsChannel, "id" | "post">;
  /** For the mark that a day's summary was posted, shared by every instance. */
  store: Pick<StateStore, "claim" | "release">;
  clock: () => Date;
  logger: Logger;
  /** When to post, UK time: `HH:MM` on the 24-hour clock (SUMMARY_TIME). */
  time: string;
}

/** What a run did: posted the card, or skipped it (no agents' channel, the channel not seen yet, already posted today). */
export type SummaryOutcome = "posted" | "no-channel" | "channel-unknown" | "already-posted";

/** The daily summary, once registered. */
export interface DailySummaryJob {
  /**
   * Schedules the next run (the next SUMMARY_TIME in the UK) unless it is already pending. Call at start on every
   * instance: the job's id names its UK day (`summary|2026-12-02`), so each day has one job however many call it.
   *
   * @returns true when this call scheduled it
   */
  ensureScheduled(): Promise<boolean>;
  /** Posts the summary of the 24 hours to now, at once, outside the schedule (which it leaves as it is). */
  runNow(): Promise<SummaryOutcome>;
}

/** The id of the summary job that runs at `at`: `summary|` and its UK date. */
export function summaryJobId(at: Date): string {
  return `summary|${ukDay(at)}`;
}

/**
 * Registers the {@link JobKind.DailySummary} handler: it schedules the next day's run first (so a failed run does
 * not end the summaries), then reads the tally, builds the summary and its card, and posts it as a new post in the
 * agents' channel. With no agents' channel, or one the bot has not seen yet, it logs one line and posts nothing.
 * A post Teams refused throws, so the scheduler tries again later.
 */
export function registerDailySummary(jobs: Pick<JobScheduler, "handle" | "ensure">, deps: DailySummaryDependencies): DailySummaryJob {
  nextUkTime(deps.clock(), deps.time); // a bad time fails at start, not at the first run

  const ensureAfter = (after: Date): Promise<boolean> => {
    const next = nextUkTime(after, deps.time);
    return jobs.ensure<DailySummaryPayload>(JobKind.DailySummary, summaryJobId(next), next, { until: next.toISOString() });
  };

  jobs.handle<DailySummaryPayload>(JobKind.DailySummary, async (payload, job) => {
    const until = untilOf(payload, job);
    const now = deps.clock();
    await ensureAfter(until.getTime() > now.getTime() ? until : now);
    await post(until, ukDay(until), deps);
  });

  return {
    ensureScheduled: () => ensureAfter(deps.clock()),
    runNow: () => post(deps.clock(), undefined, deps),
  };
}

/**
 * Posts the summary of the 24 hours to `until`. With `day`, at most once for that day across instances: the day is
 * marked before posting, and the mark is lifted again when the post fails (so a retry can post).
 */
async function post(until: Date, day: string | undefined, deps: DailySummaryDependencies): Promise<SummaryOutcome> {
  if (deps.channel.id === undefined) {
    deps.logger.info("daily summary not posted: there is no agents' channel (AGENTS_CHANNEL_ID is not set)");
    return "no-channel";
  }
  if (day !== undefined && !(await deps.store.claim(POSTED_CLAIMS, day, POSTED_MEMORY_MS))) {
    deps.logger.info({ day }, "daily summary not posted: the day's summary was already posted");
    return "already-posted";
  }
  let posted: unknown;
  let summary: DailySummary;
  try {
    summary = summariseDay(await deps.tally.read(new Date(until.getTime() - DAY), until), until);
    posted = await deps.channel.post({ type: "message", attachments: [await summaryCard(summary)] });
  } catch (err) {
    if (day !== undefined) await deps.store.release(POSTED_CLAIMS, day);
    throw err;
  }
  if (posted === undefined) {
    if (day !== undefined) await deps.store.release(POSTED_CLAIMS, day);
    deps.logger.info("daily summary not posted: the bot has not seen the agents' channel yet (add it to the team, or post there)");
    return "channel-unknown";
  }
  deps.logger.info({ day, resetsCompleted: summary.resetsCompleted, handoffsRequested: summary.handoffsRequested }, "daily summary posted in the agents' channel");
  return "posted";
}

/** The end of the job's 24 hours: its payload's, else (a job from an older payload) its due time. */
function untilOf(payload: DailySummaryPayload | undefined, job: ScheduledJob): Date {
  const until = typeof payload?.until === "string" ? new Date(payload.until) : new Date(job.dueAt);
  return Number.isNaN(until.getTime()) ? new Date(job.dueAt) : until;
}
