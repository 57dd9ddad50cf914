import assert from "node:assert/strict";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { DailyTally } from "../../src/telemetry/daily-tally";
import type { TallyBucket } from "../../src/telemetry/daily-tally";
import { Telemetry } from "../../src/telemetry/telemetry";
import { TestClock } from "../jobs/support";
import { TempDir } from "../support/temp-dir";
import { waitFor } from "../support/wait-for";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A counter's total over buckets, for one set of labels (or every set when none are given). */
function total(buckets: readonly TallyBucket[], metric: string, labels?: Record<string, string>): number {
  return buckets
    .flatMap((bucket) => bucket.counts)
    .filter((c) => c.metric === metric && (labels === undefined || JSON.stringify(c.labels) === JSON.stringify(labels)))
    .reduce((sum, c) => sum + c.value, 0);
}

describe("DailyTally", () => {
  let dir: TempDir;
  let file: string;
  let clock: TestClock;
  const stores: StateStore[] = [];
  const tallies: DailyTally[] = [];
  const open = async (): Promise<StateStore> => {
    const store = await openStateStore(`sqlite://${file}`);
    stores.push(store);
    return store;
  };
  const tally = (store: StateStore, options: ConstructorParameters<typeof DailyTally>[1] = {}): DailyTally => {
    const made = new DailyTally(store, { clock: clock.now, flushEveryMs: 0, ...options });
    tallies.push(made);
    return made;
  };

  beforeEach(() => {
    dir = new TempDir();
    file = dir.file("state.sqlite");
    clock = new TestClock();
  });
  afterEach(async () => {
    await Promise.all(tallies.splice(0).map((t) => t.close().catch(() => undefined)));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    dir.remove();
  });

  it("two instances on one SQLite file, counting and flushing at the same time, add up exactly", async () => {
    // Two connections to one file, as two bot processes would have, each with its own tally fed by Telemetry.
    const [a, b] = [tally(await open()), tally(await open())];
    const [telemetryA, telemetryB] = [new Telemetry(), new Telemetry()];
    telemetryA.addSink(a);
    telemetryB.addSink(b);
    const rounds = 25;
    for (let round = 0; round < rounds; round++) {
      telemetryA.count("helpdesk_resets_completed");
      telemetryB.count("helpdesk_resets_completed", {}, 2);
      telemetryA.count("helpdesk_verifications", { method: "sms", outcome: "failed" });
      telemetryB.count("helpdesk_verifications", { method: "sms", outcome: "failed" });
      telemetryB.count("helpdesk_verifications", { method: "app", outcome: "passed" });
      telemetryA.observe("helpdesk_handoff_wait", round);
      telemetryB.observe("helpdesk_handoff_wait", 100 + round);
      // Both flush at once, every round; every fifth round the hour turns.
      await Promise.all([a.flush(), b.flush()]);
      if (round % 5 === 4) clock.advance(HOUR);
    }
    const reader = tally(await open());
    const buckets = await reader.read(clock.in(-DAY), clock.in(HOUR));
    assert.equal(buckets.length, 5, "five hours");
    assert.equal(total(buckets, "helpdesk_resets_completed"), rounds * 3);
    assert.equal(total(buckets, "helpdesk_verifications", { method: "sms", outcome: "failed" }), rounds * 2);
    assert.equal(total(buckets, "helpdesk_verifications", { method: "app", outcome: "passed" }), rounds);
    const waits = buckets.flatMap((bucket) => bucket.samples.helpdesk_handoff_wait ?? []).sort((x, y) => x - y);
    assert.deepEqual(waits, [...Array.from({ length: rounds }, (_, i) => i), ...Array.from({ length: rounds }, (_, i) => 100 + i)]);
    for (const bucket of buckets) assert.equal(total([bucket], "helpdesk_resets_completed"), 15, `five rounds of 3 in ${bucket.hour}`);
  });

  it("reads this instance's unwritten counts too, and never counts them twice", async () => {
    const store = await open();
    const a = tally(store);
    a.add("helpdesk_handoffs_requested", { trigger: "asked" }, 1);
    assert.equal(total(await a.read(clock.in(-HOUR), clock.in(HOUR)), "helpdesk_handoffs_requested"), 1, "before a flush");
    await a.flush();
    a.add("helpdesk_handoffs_requested", { trigger: "asked" }, 1);
    assert.equal(total(await a.read(clock.in(-HOUR), clock.in(HOUR)), "helpdesk_handoffs_requested"), 2, "one written, one not");
    // A read while a flush is under way sees each count once.
    const [, during] = await Promise.all([a.flush(), a.read(clock.in(-HOUR), clock.in(HOUR))]);
    assert.equal(total(during, "helpdesk_handoffs_requested"), 2);
    assert.equal(total(await tally(store).read(clock.in(-HOUR), clock.in(HOUR)), "helpdesk_handoffs_requested"), 2, "another instance sees both once written");
  });

  it("survives a restart: close() writes what is left, and a new tally on the reopened file reads it", async () => {
    const before = await open();
    const first = tally(before);
    first.add("helpdesk_first_logins_completed", {}, 3);
    first.sample("helpdesk_handoff_wait", 42);
    await first.close();
    await before.close();

    const reopened = tally(await open());
    const buckets = await reopened.read(clock.in(-HOUR), clock.in(HOUR));
    assert.equal(total(buckets, "helpdesk_first_logins_completed"), 3);
    assert.deepEqual(buckets[0]?.samples.helpdesk_handoff_wait, [42]);
    assert.equal(buckets[0]?.hour, new Date(Math.floor(clock.now().getTime() / HOUR) * HOUR).toISOString(), "bucketed by UTC hour");
  });

  it("flushes by itself every few seconds, with a timer that does not keep the process alive", async () => {
    const store = await open();
    const timed = tally(store, { flushEveryMs: 20 });
    timed.add("helpdesk_resets_completed", {}, 1);
    const other = tally(store);
    await waitFor(async () => total(await other.read(clock.in(-HOUR), clock.in(HOUR)), "helpdesk_resets_completed") === 1, "the timed flush", 2000);
  });

  it("keeps samples only for the handoff wait, at most maxSamplesPerHour an hour", async () => {
    const a = tally(await open(), { maxSamplesPerHour: 3 });
    for (const value of [5, 6, 7, 8, 9]) a.sample("helpdesk_handoff_wait", value);
    a.sample("helpdesk_turn_duration", 0.2);
    await a.flush();
    a.sample("helpdesk_handoff_wait", 10);
    await a.flush();
    const [bucket] = await a.read(clock.in(-HOUR), clock.in(HOUR));
    assert.deepEqual(bucket?.samples, { helpdesk_handoff_wait: [5, 6, 7] });
  });

  it("keeps only the counters the morning summary reads: a dashboards-only count is not stored", async () => {
    const store = await open();
    const a = tally(store);
    a.add("helpdesk_turns", { activity_type: "message", channel: "msteams" }, 5);
    a.add("helpdesk_store_operations", { op: "read" }, 3);
    a.add("helpdesk_resets_completed", {}, 1);
    await a.flush();
    const buckets = await tally(store).read(clock.in(-HOUR), clock.in(HOUR));
    assert.deepEqual(buckets.flatMap((bucket) => bucket.counts.map((count) => count.metric)), ["helpdesk_resets_completed"]);
  });

  it("deletes hours older than 8 days as flushes go by", async () => {
    const store = await open();
    const a = tally(store);
    const firstHour = new Date(Math.floor(clock.now().getTime() / HOUR) * HOUR).toISOString();
    a.add("helpdesk_resets_completed", {}, 1);
    await a.flush();
    const stored = async (): Promise<boolean> => `tally/${firstHour}` in (await store.storage.read([`tally/${firstHour}`]));
    assert.ok(await stored());

    clock.advance(8 * DAY - HOUR);
    a.add("helpdesk_resets_completed", {}, 1);
    await a.flush();
    assert.ok(await stored(), "still kept 7 days 23 hours on");
    assert.equal(total(await a.read(new Date(firstHour), clock.in(HOUR)), "helpdesk_resets_completed"), 2);

    clock.advance(2 * HOUR);
    await a.flush(); // nothing counted: the hourly look for old hours still runs
    assert.ok(!(await stored()), "gone after 8 days");
    assert.equal(total(await a.read(new Date(firstHour), clock.in(HOUR)), "helpdesk_resets_completed"), 1);
    const index = (await store.storage.read(["tally/#hours"]))["tally/#hours"] as { hours: string[] };
    assert.ok(!index.hours.includes(firstHour) && index.hours.length === 1, `the index keeps only kept hours: ${index.hours.join(", ")}`);
  });

  it("keeps counts a flush could not write, and writes them at the next flush", async () => {
    const store = await open();
    let failWrites = 1;
    const storage = store.storage;
    const flaky: StateStore = {
      ...store,
      storage: {
        read: (keys) => storage.read(keys),
        delete: (keys) => storage.delete(keys),
        write: (changes) => (Object.keys(changes).some((key) => key !== "tally/#hours") && failWrites-- > 0 ? Promise.reject(new Error("store away")) : storage.write(changes)),
      },
    };
    const a = tally(flaky);
    a.add("helpdesk_handoffs_taken", {}, 2);
    await assert.rejects(a.flush(), /store away/);
    a.add("helpdesk_handoffs_taken", {}, 1);
    await a.flush();
    assert.equal(total(await tally(store).read(clock.in(-HOUR), clock.in(HOUR)), "helpdesk_handoffs_taken"), 3);
  });
});
