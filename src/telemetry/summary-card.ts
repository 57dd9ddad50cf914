import type { Attachment } from "botbuilder";
import { dailySummaryCard } from "../../cards/render";
import type { DailySummaryCardData } from "../../cards/render";
import { ukDate, ukTime } from "../uk-time";
import type { DailySummary, SummaryHour } from "./daily-summary";
import { renderSummaryChart } from "./summary-chart";
import { ukHourLabel } from "./uk-clock";

/** Where a reset stopped, in the words the agents read (the catalogue's step words). */
const STEP_WORDS: Readonly<Record<string, string>> = {
  address: "giving their email address",
  captcha: "the picture check",
  method: "choosing how to get a code",
  number: "confirming their mobile number",
  code: "the verification code",
  new_password: "choosing a new password",
};

/** Each way of checking who someone is, in words (the catalogue's method words). */
const METHOD_WORDS: Readonly<Record<string, string>> = {
  captcha: "Picture check",
  number: "Mobile number",
  sms: "Code by text",
  voice: "Code by phone call",
  app: "Authenticator app code",
  password: "Current password",
  secret: "Account secret",
};

/** The summary's card: its numbers in words, and the chart drawn. */
export async function summaryCard(summary: DailySummary): Promise<Attachment> {
  return dailySummaryCard(summaryCardData(summary, await renderSummaryChart(summary.hourly)));
}

/** The card's data for a summary and its chart (a PNG data URI). */
export function summaryCardData(summary: DailySummary, chart: string): DailySummaryCardData {
  const stopped = summary.mostStoppedAt;
  const wait = summary.wait;
  const noWait = summary.handoffsRequested === 0 ? "no requests" : "none taken";
  return {
    period: `${ukTime(summary.from)} on ${ukDate(summary.from)} to ${ukTime(summary.to)} on ${ukDate(summary.to)}`,
    resetsCompleted: count(summary.resetsCompleted),
    resetsBlocked: count(summary.resetsBlocked),
    stoppedAt: stopped ? `${STEP_WORDS[stopped.step] ?? "another step"} (${count(stopped.count)} of ${count(summary.resetsEndedEarly)})` : "None stopped early",
    failedChecks: summary.failedVerifications.map(({ method, count: failed }) => ({ method: METHOD_WORDS[method] ?? "Other checks", count: count(failed) })),
    handoffsRequested: count(summary.handoffsRequested),
    handoffsTaken: count(summary.handoffsTaken),
    handoffsTimedOut: count(summary.handoffsTimedOut),
    waitMedian: wait ? minutes(wait.medianMinutes) : noWait,
    waitP90: wait ? minutes(wait.p90Minutes) : noWait,
    firstLoginsCompleted: count(summary.firstLoginsCompleted),
    chart,
    chartAlt: chartAltText(summary),
  };
}

/**
 * What the chart shows, for someone who cannot see it: the hours, what each series is, its total and its busiest
 * hour. "Chart of each hour in the 24 hours to 8:00am on Wednesday, UK time. Bars: resets completed, 41 in all, most
 * at 11am (6). Line: help requests, 9 in all, most at 5pm (3)."
 */
export function chartAltText(summary: DailySummary): string {
  const hours = summary.hourly;
  const series = (what: string, value: (hour: SummaryHour) => number): string => {
    const total = hours.reduce((sum, hour) => sum + value(hour), 0);
    if (total === 0) return `no ${what}`;
    const busiest = hours.reduce((best, hour) => (value(hour) > value(best) ? hour : best));
    return `${what}, ${count(total)} in all, most at ${ukHourLabel(new Date(busiest.hour))} (${count(value(busiest))})`;
  };
  const weekday = ukDate(summary.to).split(" ")[0];
  return (
    `Chart of each hour in the 24 hours to ${ukTime(summary.to)} on ${weekday}, UK time. ` +
    `Bars: ${series("resets completed", (h) => h.resetsCompleted)}. Line: ${series("help requests", (h) => h.handoffsRequested)}.`
  );
}

function count(value: number): string {
  return value.toLocaleString("en-GB");
}

/** A wait in whole minutes, in words: "under a minute", "1 minute", "12 minutes". */
function minutes(value: number): string {
  const whole = Math.round(value);
  if (whole < 1) return "under a minute";
  return whole === 1 ? "1 minute" : `${count(whole)} minutes`;
}
