import { METRICS } from "./catalogue";
import type { TalliedCounter, TallyBucket } from "./daily-tally";
import { hourStart } from "./uk-clock";

const HOUR = 3600_000;
/** The hours a summary covers. */
export const SUMMARY_HOURS = 24;

/** The order of a reset's steps, for choosing between steps that tie. */
const STEP_ORDER: readonly string[] = METRICS.helpdesk_resets_ended.labels.step;

/** One hour of the summary's chart. */
export interface SummaryHour {
  /** The hour's start (UTC, ISO 8601). */
  hour: string;
  resetsCompleted: number;
  handoffsRequested: number;
}

/** The helpdesk bot's last 24 hours, in numbers. */
export interface DailySummary {
  /** The start of the first hour covered (ISO 8601). */
  from: string;
  /** Where the summary ends (ISO 8601): the run's time, not included. */
  to: string;
  resetsCompleted: number;
  /** Resets that ended because the account was blocked from resetting. */
  resetsBlocked: number;
  /** Resets that ended early for any reason. */
  resetsEndedEarly: number;
  /** The step where resets most often ended early (a catalogue step word), with how many; none without early ends. */
  mostStoppedAt?: { step: string; count: number };
  /** Failed identity checks by method (a catalogue method word), most first. */
  failedVerifications: Array<{ method: string; count: number }>;
  handoffsRequested: number;
  handoffsTaken: number;
  handoffsTimedOut: number;
  /** The wait from request to an agent taking it, in minutes (nearest-rank percentiles); none without waits. */
  wait?: { medianMinutes: number; p90Minutes: number; count: number };
  firstLoginsCompleted: number;
  /** The 24 hours, oldest first, each with its resets completed and requests for a person. */
  hourly: SummaryHour[];
}

/**
 * The summary of the 24 hours before `end`: the hour holding the instant just before `end` and the 23 before it.
 * Buckets outside those hours are left out. Pure: the same buckets and `end` always give the same summary.
 */
export function summariseDay(buckets: readonly TallyBucket[], end: Date): DailySummary {
  const lastHour = hourStart(end.getTime() - 1).getTime();
  const firstHour = lastHour - (SUMMARY_HOURS - 1) * HOUR;
  const inRange = buckets.filter((bucket) => {
    const at = Date.parse(bucket.hour);
    return at >= firstHour && at <= lastHour;
  });
  const total = (metric: TalliedCounter, where: Record<string, string> = {}, from = inRange): number =>
    from.reduce(
      (sum, bucket) =>
        sum + bucket.counts.filter((c) => c.metric === metric && Object.entries(where).every(([k, v]) => c.labels[k] === v)).reduce((s, c) => s + c.value, 0),
      0,
    );
  const byLabel = (metric: TalliedCounter, label: string, where: Record<string, string> = {}): Map<string, number> => {
    const found = new Map<string, number>();
    for (const bucket of inRange) {
      for (const count of bucket.counts) {
        if (count.metric !== metric || !Object.entries(where).every(([k, v]) => count.labels[k] === v)) continue;
        const word = count.labels[label] ?? "other";
        found.set(word, (found.get(word) ?? 0) + count.value);
      }
    }
    return found;
  };

  const steps = [...byLabel("helpdesk_resets_ended", "step")].filter(([, count]) => count > 0);
  steps.sort(([a, x], [b, y]) => y - x || stepRank(a) - stepRank(b));
  const failed = [...byLabel("helpdesk_verifications", "method", { outcome: "failed" })].filter(([, count]) => count > 0);
  failed.sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const waits = inRange.flatMap((bucket) => bucket.samples.helpdesk_handoff_wait ?? []);

  const hourly: SummaryHour[] = [];
  for (let at = firstHour; at <= lastHour; at += HOUR) {
    const hour = inRange.filter((bucket) => Date.parse(bucket.hour) === at);
    hourly.push({ hour: new Date(at).toISOString(), resetsCompleted: total("helpdesk_resets_completed", {}, hour), handoffsRequested: total("helpdesk_handoffs_requested", {}, hour) });
  }

  return {
    from: new Date(firstHour).toISOString(),
    to: end.toISOString(),
    resetsCompleted: total("helpdesk_resets_completed"),
    resetsBlocked: total("helpdesk_resets_ended", { reason: "blocked" }),
    resetsEndedEarly: total("helpdesk_resets_ended"),
    mostStoppedAt: steps.length > 0 ? { step: steps[0][0], count: steps[0][1] } : undefined,
    failedVerifications: failed.map(([method, count]) => ({ method, count })),
    handoffsRequested: total("helpdesk_handoffs_requested"),
    handoffsTaken: total("helpdesk_handoffs_taken"),
    handoffsTimedOut: total("helpdesk_handoffs_timed_out"),
    wait: waits.length > 0 ? { medianMinutes: toMinutes(nearestRank(waits, 50)), p90Minutes: toMinutes(nearestRank(waits, 90)), count: waits.length } : undefined,
    firstLoginsCompleted: total("helpdesk_first_logins_completed"),
    hourly,
  };
}

/**
 * The nearest-rank percentile: the smallest value with at least `percent`% of the values at or below it (for the
 * median of 4 values, the 2nd smallest). Always one of the values.
 *
 * @throws RangeError for no values or a percent outside 0–100
 */
export function nearestRank(values: readonly number[], percent: number): number {
  if (values.length === 0 || !(percent > 0 && percent <= 100)) throw new RangeError("A percentile needs values and a percent above 0, up to 100.");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((percent * sorted.length) / 100) - 1];
}

/** Seconds as minutes, to one decimal place. */
function toMinutes(seconds: number): number {
  return Math.round((seconds / 60) * 10) / 10;
}

/** A step's place in a reset ("other" after every named step). */
function stepRank(step: string): number {
  const at = STEP_ORDER.indexOf(step);
  return at === -1 ? STEP_ORDER.length : at;
}
