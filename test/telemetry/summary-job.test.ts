import assert from "node:assert/strict";
import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Activity } from "botbuilder";
import { parseConfig } from "../../src/config";
import { AgentsChannel } from "../../src/handoff/agents-channel";
import { JobScheduler } from "../../src/jobs";
import { JobKind } from "../../src/jobs/job-kinds";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { DailyTally } from "../../src/telemetry/daily-tally";
import { registerDailySummary } from "../../src/telemetry/summary-job";
import type { DailySummaryJob } from "../../src/telemetry/summary-job";
import { AgentsTeam, CardView } from "../handoff/support";
import { CapturedLog, TestClock } from "../jobs/support";
import { FakeConnector } from "../proactive/fake-connector";
import { TempDir } from "../support/temp-dir";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TITLE = "Helpdesk bot: the last 24 hours";

/** One bot instance: its own connection to the shared SQLite file, scheduler, channel, tally and summary job. */
interface Instance {
  store: StateStore;
  jobs: JobScheduler;
  tally: DailyTally;
  summary: DailySummaryJob;
  log: CapturedLog;
}

describe("the daily summary job", () => {
  let dir: TempDir;
  let connector: FakeConnector;
  let team: AgentsTeam;
  let clock: TestClock;
  const instances: Instance[] = [];

  /** Starts an instance; `channel: "none"` has no AGENTS_CHANNEL_ID, `"unseen"` has one the bot never saw. */
  const start = async (options: { channel?: "seen" | "none" | "unseen"; time?: string } = {}): Promise<Instance> => {
    const store = await openStateStore(`sqlite://${dir.file("state.sqlite")}`);
    const log = new CapturedLog();
    const adapter = new TeamsAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: "" });
    const channelId = options.channel === "none" ? undefined : team.channelId;
    const channel = new AgentsChannel({ store, adapter, botAppId: "", channelId, logger: log.logger, backoff: { delay: () => Promise.resolve() }, clock: clock.now });
    if ((options.channel ?? "seen") === "seen") await capture(adapter, channel, team.install());
    const jobs = new JobScheduler(store, { clock: clock.now, logger: log.logger, retryBaseMs: MINUTE });
    const tally = new DailyTally(store, { clock: clock.now, flushEveryMs: 0 });
    const summary = registerDailySummary(jobs, { tally, channel, store, clock: clock.now, logger: log.logger, time: options.time ?? "08:00" });
    const made = { store, jobs, tally, summary, log };
    instances.push(made);
    return made;
  };
  const posted = (): CardView[] => connector.cardsTo(team.channelId).map((r) => new CardView(r.activity));
  const pending = async (jobs: JobScheduler): Promise<Array<[string, string]>> => (await jobs.list()).map((job) => [job.id, job.dueAt]);

  beforeEach(async () => {
    dir = new TempDir();
    connector = new FakeConnector();
    team = new AgentsTeam(await connector.start(), connector);
    clock = new TestClock(Date.parse("2027-11-23T06:00:00Z"));
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      await instance.jobs.stop();
      await instance.tally.close();
      await instance.store.close();
    }
    await connector.stop();
    dir.remove();
  });

  it("with two instances both running, posts the card in the agents' channel once a day", async () => {
    const [a, b] = [await start(), await start()];
    assert.deepEqual(await Promise.all([a.summary.ensureScheduled(), b.summary.ensureScheduled()]).then((added) => added.sort()), [false, true], "one of them scheduled it");
    a.tally.add("helpdesk_resets_completed", {}, 2);
    b.tally.add("helpdesk_resets_completed", {}, 3);
    await Promise.all([a.tally.flush(), b.tally.flush()]);

    for (let day = 0; day < 3; day++) {
      clock.advance(2 * 60 * MINUTE); // 8am
      await Promise.all([a.jobs.runDue(), b.jobs.runDue()]);
      clock.advance(30 * MINUTE);
      // A restart of either instance mid-morning schedules nothing more.
      await Promise.all([a.summary.ensureScheduled(), b.summary.ensureScheduled(), a.jobs.runDue(), b.jobs.runDue()]);
      assert.equal(posted().length, day + 1, `one card on day ${day + 1}`);
      clock.advance(DAY - 150 * MINUTE); // 6am the next day
    }
    const cards = posted();
    assert.ok(cards.every((card) => card.texts[0] === TITLE));
    assert.equal(cards[0].fact("Completed"), "5", "both instances' counts");
    assert.equal(cards[0].texts[1], "From 8:00am on Monday 22 November 2027 to 8:00am on Tuesday 23 November 2027 (UK time).");
    assert.equal(cards[1].fact("Completed"), "0", "the next day's 24 hours are its own");
    assert.deepEqual(await pending(a.jobs), [["summary|2027-11-26", "2027-11-26T08:00:00.000Z"]]);
    assert.ok(!`${a.log.text}\n${b.log.text}`.includes('"level":50'), "no errors");
  });

  it("the next run is at 8am UK time the next day, in winter and in summer, and across the clock changes", async () => {
    const instance = await start();
    const cases: Array<[string, string, string]> = [
      // The run's time (UTC), the next run's id, and its time (UTC).
      ["2027-11-23T08:00:00Z", "summary|2027-11-24", "2027-11-24T08:00:00.000Z"], // GMT
      ["2027-06-15T07:00:00Z", "summary|2027-06-16", "2027-06-16T07:00:00.000Z"], // BST: 8am is 07:00 UTC
      ["2027-03-27T08:00:00Z", "summary|2027-03-28", "2027-03-28T07:00:00.000Z"], // the clocks go forward on the 28th
      ["2027-10-30T07:00:00Z", "summary|2027-10-31", "2027-10-31T08:00:00.000Z"], // the clocks go back on the 31st
    ];
    for (const [runAt, nextId, nextAt] of cases) {
      for (const job of await instance.jobs.list()) await instance.jobs.cancel(job.id);
      clock.advance(Date.parse(runAt) - clock.now().getTime() - 1);
      await instance.summary.ensureScheduled();
      clock.advance(1);
      assert.deepEqual(await instance.jobs.runDue(), { ran: 1, failed: 0 }, runAt);
      assert.deepEqual(await pending(instance.jobs), [[nextId, nextAt]], `after the run at ${runAt}`);
    }
  });

  it("follows SUMMARY_TIME, and a start after today's time schedules tomorrow's", async () => {
    clock.advance(Date.parse("2027-06-15T17:00:00Z") - clock.now().getTime()); // 6pm BST
    const instance = await start({ time: "17:30" });
    await instance.summary.ensureScheduled();
    assert.deepEqual(await pending(instance.jobs), [["summary|2027-06-16", "2027-06-16T16:30:00.000Z"]]);
    assert.throws(() => parseConfig({ SUMMARY_TIME: "8:00" }), /SUMMARY_TIME must be a time of day on the 24-hour clock, HH:MM/);
    assert.throws(() => parseConfig({ SUMMARY_TIME: "24:00" }), /SUMMARY_TIME/);
    assert.equal(parseConfig({}).SUMMARY_TIME, "08:00");
    assert.equal(parseConfig({ SUMMARY_TIME: " " }).SUMMARY_TIME, "08:00");
  });

  it("with no agents' channel, skips with one line in the log, and still schedules tomorrow's", async () => {
    const instance = await start({ channel: "none" });
    await instance.summary.ensureScheduled();
    clock.advance(2 * 60 * MINUTE);
    const before = instance.log.lines.length;
    assert.deepEqual(await instance.jobs.runDue(), { ran: 1, failed: 0 });
    const lines = instance.log.lines.slice(before).map((line) => JSON.parse(line) as { level: number; msg: string });
    assert.deepEqual(lines.map((l) => [l.level, l.msg]), [[30, "daily summary not posted: there is no agents' channel (AGENTS_CHANNEL_ID is not set)"]]);
    assert.equal(connector.received.length, 0);
    assert.deepEqual(await pending(instance.jobs), [["summary|2027-11-24", "2027-11-24T08:00:00.000Z"]]);
    assert.equal(await instance.summary.runNow(), "no-channel");
  });

  it("with an agents' channel the bot has not seen yet, says so in one line and posts nothing", async () => {
    const instance = await start({ channel: "unseen" });
    assert.equal(await instance.summary.runNow(), "channel-unknown");
    assert.equal(instance.log.lines.length, 1);
    assert.match(instance.log.text, /daily summary not posted: the bot has not seen the agents' channel yet/);
    assert.equal(connector.received.length, 0);
  });

  it("a post Teams refused is tried again later, and still posted only once", async () => {
    const instance = await start();
    await instance.summary.ensureScheduled();
    clock.advance(2 * 60 * MINUTE);
    connector.failNext(403);
    assert.deepEqual(await instance.jobs.runDue(), { ran: 0, failed: 1 });
    assert.equal(posted().length, 0);
    clock.advance(MINUTE);
    assert.deepEqual(await instance.jobs.runDue(), { ran: 1, failed: 0 });
    clock.advance(10 * MINUTE);
    await instance.jobs.runDue();
    assert.equal(posted().length, 1);
    assert.deepEqual(await pending(instance.jobs), [["summary|2027-11-24", "2027-11-24T08:00:00.000Z"]]);
  });

  it("never posts a day's summary twice, even when a changed SUMMARY_TIME schedules that day again", async () => {
    const early = await start();
    await early.summary.ensureScheduled();
    clock.advance(2 * 60 * MINUTE);
    await early.jobs.runDue();
    // Restarted at 8:30am with SUMMARY_TIME 09:00: a job for today at 9am is scheduled, and finds today's posted.
    const later = await start({ time: "09:00" });
    await early.jobs.stop();
    clock.advance(30 * MINUTE);
    await later.summary.ensureScheduled();
    clock.advance(30 * MINUTE);
    await later.jobs.runDue();
    assert.equal(posted().length, 1);
    assert.match(later.log.text, /the day's summary was already posted/);
  });

  it("runNow posts the 24 hours to now at once, and leaves the schedule as it was", async () => {
    const instance = await start();
    await instance.summary.ensureScheduled();
    clock.advance(4 * 60 * MINUTE + 37 * MINUTE); // 10:37am
    instance.tally.add("helpdesk_handoffs_requested", { trigger: "asked" }, 1);
    assert.equal(await instance.summary.runNow(), "posted");
    const [card] = posted();
    assert.equal(card.texts[1], "From 11:00am on Monday 22 November 2027 to 10:37am on Tuesday 23 November 2027 (UK time).");
    assert.equal(card.fact("Asked for a person"), "1");
    assert.deepEqual(await pending(instance.jobs), [["summary|2027-11-23", "2027-11-23T08:00:00.000Z"]]);
    assert.equal(JobKind.DailySummary, "summary.daily");
  });
});

/** Runs an activity from the agents' channel through the adapter, so the channel keeps its reference. */
async function capture(adapter: TeamsAdapter, channel: AgentsChannel, activity: Partial<Activity>): Promise<void> {
  const response = { socket: undefined, status: () => undefined, send: () => undefined, end: () => undefined, header: () => undefined };
  await adapter.process({ body: activity, headers: {}, method: "POST" }, response, async (context) => void (await channel.capture(context)));
}
