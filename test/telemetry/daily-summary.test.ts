import assert from "node:assert/strict";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { nearestRank, summariseDay } from "../../src/telemetry/daily-summary";
import type { DailySummary } from "../../src/telemetry/daily-summary";
import { DailyTally } from "../../src/telemetry/daily-tally";
import { summaryCardData } from "../../src/telemetry/summary-card";
import { Telemetry } from "../../src/telemetry/telemetry";
import { TempDir } from "../support/temp-dir";

const HOUR = 3600_000;
/** The summary ends at 8am UK time on Wednesday 24 November 2027 (GMT, so 08:00 UTC). */
const END = new Date("2027-11-24T08:00:00Z");

/**
 * Counts at known times through Telemetry into a tally on SQLite: some in the 24 hours before {@link END}, some
 * just outside them (which the summary must leave out).
 */
async function seed(store: StateStore): Promise<void> {
  let now = Date.parse("2027-11-23T07:30:00Z");
  const tally = new DailyTally(store, { clock: () => new Date(now), flushEveryMs: 0 });
  const telemetry = new Telemetry();
  telemetry.addSink(tally);
  const at = (iso: string): void => void (now = Date.parse(iso));

  // 7:30am on the 23rd: before the 24 hours.
  telemetry.count("helpdesk_resets_completed", {}, 5);
  telemetry.count("helpdesk_resets_ended", { reason: "blocked", step: "address" }, 9);

  at("2027-11-23T09:15:00Z");
  telemetry.count("helpdesk_resets_completed", {}, 3);
  telemetry.count("helpdesk_handoffs_requested", { trigger: "asked" });
  telemetry.count("helpdesk_verifications", { method: "sms", outcome: "failed" }, 2);
  telemetry.count("helpdesk_verifications", { method: "sms", outcome: "passed" }, 4);
  telemetry.count("helpdesk_resets_ended", { reason: "cancelled", step: "code" });

  at("2027-11-23T14:40:00Z");
  telemetry.count("helpdesk_resets_completed", {}, 2);
  telemetry.count("helpdesk_resets_ended", { reason: "blocked", step: "code" }, 2);
  telemetry.count("helpdesk_resets_ended", { reason: "timed_out", step: "captcha" });
  telemetry.count("helpdesk_verifications", { method: "app", outcome: "failed" }, 3);
  telemetry.count("helpdesk_verifications", { method: "app", outcome: "blocked" });
  telemetry.count("helpdesk_handoffs_requested", { trigger: "locked-out" }, 2);
  telemetry.count("helpdesk_handoffs_taken", {}, 2);
  telemetry.observe("helpdesk_handoff_wait", 60);
  telemetry.observe("helpdesk_handoff_wait", 300);
  telemetry.count("helpdesk_first_logins_completed");
  await tally.flush();

  at("2027-11-24T07:59:59Z");
  telemetry.count("helpdesk_resets_completed");
  telemetry.count("helpdesk_resets_ended", { reason: "failed_verification", step: "number" });
  telemetry.count("helpdesk_handoffs_requested", { trigger: "asked" });
  telemetry.count("helpdesk_handoffs_timed_out");
  for (const seconds of [120, 900, 30, 600]) telemetry.observe("helpdesk_handoff_wait", seconds);

  // 8am on the 24th: the summary's end, so not in it.
  at("2027-11-24T08:00:00Z");
  telemetry.count("helpdesk_resets_completed", {}, 7);
  telemetry.observe("helpdesk_handoff_wait", 5000);
  await tally.close();
}

describe("the daily summary", () => {
  let dir: TempDir;
  let store: StateStore;
  let summary: DailySummary;

  beforeEach(async () => {
    dir = new TempDir();
    store = await openStateStore(`sqlite://${dir.file("state.sqlite")}`);
    await seed(store);
    const reader = new DailyTally(store, { clock: () => END, flushEveryMs: 0 });
    summary = summariseDay(await reader.read(new Date(END.getTime() - 24 * HOUR), END), END);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it("adds up the 24 hours before the run from the store, leaving out the hours either side", () => {
    assert.equal(summary.from, "2027-11-23T08:00:00.000Z");
    assert.equal(summary.to, "2027-11-24T08:00:00.000Z");
    assert.equal(summary.resetsCompleted, 6, "3 + 2 + 1");
    assert.equal(summary.resetsBlocked, 2);
    assert.equal(summary.resetsEndedEarly, 5, "1 cancelled, 2 blocked, 1 timed out, 1 failed check");
    assert.deepEqual(summary.mostStoppedAt, { step: "code", count: 3 }, "code 3 (any reason), captcha 1, number 1");
    assert.deepEqual(summary.failedVerifications, [
      { method: "app", count: 3 },
      { method: "sms", count: 2 },
    ]);
    assert.equal(summary.handoffsRequested, 4);
    assert.equal(summary.handoffsTaken, 2);
    assert.equal(summary.handoffsTimedOut, 1);
    assert.equal(summary.firstLoginsCompleted, 1);
  });

  it("the wait: nearest-rank median and 90th percentile of the six waits, in minutes", () => {
    // Sorted: 30, 60, 120, 300, 600, 900 seconds. Median: rank ceil(0.5 × 6) = 3 → 120 s; 90th: rank ceil(0.9 × 6) = 6 → 900 s.
    assert.deepEqual(summary.wait, { medianMinutes: 2, p90Minutes: 15, count: 6 });
  });

  it("each of the 24 hours, oldest first, with its resets completed and help requests", () => {
    assert.equal(summary.hourly.length, 24);
    assert.equal(summary.hourly[0].hour, "2027-11-23T08:00:00.000Z");
    assert.equal(summary.hourly[23].hour, "2027-11-24T07:00:00.000Z");
    const busy = summary.hourly.filter((h) => h.resetsCompleted > 0 || h.handoffsRequested > 0).map((h) => [h.hour.slice(11, 13), h.resetsCompleted, h.handoffsRequested]);
    assert.deepEqual(busy, [
      ["09", 3, 1],
      ["14", 2, 2],
      ["07", 1, 1],
    ]);
  });

  it("the card says it in words", () => {
    const data = summaryCardData(summary, "data:image/png;base64,AA==");
    assert.equal(data.period, "8:00am on Tuesday 23 November 2027 to 8:00am on Wednesday 24 November 2027");
    assert.equal(data.resetsCompleted, "6");
    assert.equal(data.resetsBlocked, "2");
    assert.equal(data.stoppedAt, "the verification code (3 of 5)");
    assert.deepEqual(data.failedChecks, [
      { method: "Authenticator app code", count: "3" },
      { method: "Code by text", count: "2" },
    ]);
    assert.deepEqual([data.handoffsRequested, data.handoffsTaken, data.handoffsTimedOut], ["4", "2", "1"]);
    assert.deepEqual([data.waitMedian, data.waitP90], ["2 minutes", "15 minutes"]);
    assert.equal(data.firstLoginsCompleted, "1");
    assert.equal(
      data.chartAlt,
      "Chart of each hour in the 24 hours to 8:00am on Wednesday, UK time. Bars: resets completed, 6 in all, most at 9am (3). Line: help requests, 4 in all, most at 2pm (2).",
    );
  });
});

describe("the daily summary of an empty day", () => {
  it("is all noughts, with no stopping step, no failed checks and no wait; the card says so", () => {
    const summary = summariseDay([], END);
    assert.equal(summary.resetsCompleted, 0);
    assert.equal(summary.mostStoppedAt, undefined);
    assert.deepEqual(summary.failedVerifications, []);
    assert.equal(summary.wait, undefined);
    assert.equal(summary.hourly.length, 24);
    assert.ok(summary.hourly.every((h) => h.resetsCompleted === 0 && h.handoffsRequested === 0));
    const data = summaryCardData(summary, "data:image/png;base64,AA==");
    assert.equal(data.stoppedAt, "None stopped early");
    assert.deepEqual(data.failedChecks, []);
    assert.deepEqual([data.waitMedian, data.waitP90], ["no requests", "no requests"]);
    assert.equal(data.chartAlt, "Chart of each hour in the 24 hours to 8:00am on Wednesday, UK time. Bars: no resets completed. Line: no help requests.");
  });

  it("with requests but none taken yet, the wait says so", () => {
    const bucket = { hour: "2027-11-24T07:00:00.000Z", counts: [{ metric: "helpdesk_handoffs_requested" as const, labels: { trigger: "asked" }, value: 2 }], samples: {} };
    const data = summaryCardData(summariseDay([bucket], END), "data:image/png;base64,AA==");
    assert.deepEqual([data.handoffsRequested, data.waitMedian], ["2", "none taken"]);
  });
});

describe("the stopping step and the percentiles", () => {
  it("a tie goes to the earlier step of a reset", () => {
    const counts = [
      { metric: "helpdesk_resets_ended" as const, labels: { reason: "cancelled", step: "new_password" }, value: 2 },
      { metric: "helpdesk_resets_ended" as const, labels: { reason: "timed_out", step: "method" }, value: 2 },
    ];
    assert.deepEqual(summariseDay([{ hour: "2027-11-24T07:00:00.000Z", counts, samples: {} }], END).mostStoppedAt, { step: "method", count: 2 });
  });

  it("nearest rank: always one of the values, exact for sizes where floating point would slip", () => {
    assert.equal(nearestRank([15, 20, 35, 40, 50], 50), 35);
    assert.equal(nearestRank([15, 20, 35, 40, 50], 90), 50);
    assert.equal(nearestRank([4, 1, 3, 2], 50), 2);
    // 0.9 × 70 is 63.00000000000001 in floating point: the rank must still be 63.
    assert.equal(nearestRank(Array.from({ length: 70 }, (_, i) => i + 1), 90), 63);
    assert.throws(() => nearestRank([], 50), RangeError);
  });
});
