import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { JobScheduler } from "../../src/jobs";
import type { JobSchedulerOptions, ScheduledJob } from "../../src/jobs";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { TempDir } from "../support/temp-dir";
import { waitFor } from "../support/wait-for";
import { CapturedLog, TestClock } from "./support";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const KIND = "test.kind";

/** Records each run of a handler. */
function recorder(): { runs: Array<{ payload: unknown; job: ScheduledJob }>; handler: (payload: unknown, job: ScheduledJob) => Promise<void> } {
  const runs: Array<{ payload: unknown; job: ScheduledJob }> = [];
  return {
    runs,
    handler: (payload, job) => {
      runs.push({ payload, job });
      return Promise.resolve();
    },
  };
}

const backends: Array<{ name: string; open: (dir: TempDir) => Promise<StateStore> }> = [
  { name: "memory", open: () => openStateStore("memory://") },
  { name: "sqlite", open: (dir) => openStateStore(`sqlite://${dir.file("state.sqlite")}`) },
];

for (const backend of backends) {
  describe(`JobScheduler over ${backend.name}`, () => {
    let dir: TempDir;
    let store: StateStore;
    let clock: TestClock;
    let log: CapturedLog;
    const schedulers: JobScheduler[] = [];
    const scheduler = (options: Partial<JobSchedulerOptions> = {}): JobScheduler => {
      const made = new JobScheduler(store, { clock: clock.now, logger: log.logger, ...options });
      schedulers.push(made);
      return made;
    };

    beforeEach(async () => {
      dir = new TempDir();
      store = await backend.open(dir);
      clock = new TestClock();
      log = new CapturedLog();
    });
    afterEach(async () => {
      await Promise.all(schedulers.splice(0).map((s) => s.stop()));
      await store.close();
      dir.remove();
    });

    it("runs a job only once it is due by the clock, and only once", async () => {
      const jobs = scheduler();
      const seen = recorder();
      jobs.handle(KIND, seen.handler);
      await jobs.schedule(KIND, "a", clock.in(HOUR), { email: "jane.smith@nhs.net" });
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 0 });
      clock.advance(HOUR - 1);
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 0 });
      assert.equal(seen.runs.length, 0);
      clock.advance(1);
      assert.deepEqual(await jobs.runDue(), { ran: 1, failed: 0 });
      assert.deepEqual(seen.runs[0].payload, { email: "jane.smith@nhs.net" });
      assert.equal(seen.runs[0].job.id, "a");
      assert.equal(seen.runs[0].job.attempts, 0);
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 0 });
      assert.deepEqual(await jobs.list(), []);
    });

    it("runs due jobs soonest first", async () => {
      const jobs = scheduler();
      const seen = recorder();
      jobs.handle(KIND, seen.handler);
      await jobs.schedule(KIND, "late", clock.in(3 * MINUTE), "late");
      await jobs.schedule(KIND, "early", clock.in(MINUTE), "early");
      await jobs.schedule(KIND, "middle", clock.in(2 * MINUTE), "middle");
      clock.advance(HOUR);
      assert.equal((await jobs.runDue()).ran, 3);
      assert.deepEqual(seen.runs.map((r) => r.payload), ["early", "middle", "late"]);
    });

    it("replaces a job scheduled again under the same id", async () => {
      const jobs = scheduler();
      const seen = recorder();
      jobs.handle(KIND, seen.handler);
      await jobs.schedule(KIND, "sync|jane", clock.in(HOUR), { n: 1 });
      await jobs.schedule(KIND, "sync|jane", clock.in(2 * HOUR), { n: 2 });
      assert.equal((await jobs.list()).length, 1);
      clock.advance(HOUR);
      assert.equal((await jobs.runDue()).ran, 0, "the first time no longer applies");
      clock.advance(HOUR);
      assert.equal((await jobs.runDue()).ran, 1);
      assert.deepEqual(seen.runs.map((r) => r.payload), [{ n: 2 }]);
    });

    it("ensure() schedules only when no job with the id is pending", async () => {
      const jobs = scheduler();
      assert.equal(await jobs.ensure(KIND, "sweep", clock.in(HOUR), {}), true);
      assert.equal(await jobs.ensure(KIND, "sweep", clock.in(MINUTE), {}), false);
      const [only] = await jobs.list();
      assert.equal(only.dueAt, clock.in(HOUR).toISOString());
    });

    it("cancel() removes a pending job", async () => {
      const jobs = scheduler();
      const seen = recorder();
      jobs.handle(KIND, seen.handler);
      await jobs.schedule(KIND, "a", clock.in(MINUTE), {});
      assert.equal(await jobs.cancel("a"), true);
      assert.equal(await jobs.cancel("a"), false);
      clock.advance(HOUR);
      assert.equal((await jobs.runDue()).ran, 0);
      assert.equal(seen.runs.length, 0);
    });

    it("keeps a job that reschedules itself from its handler (a recurring job)", async () => {
      const jobs = scheduler();
      let runs = 0;
      jobs.handle(KIND, async () => {
        runs += 1;
        await jobs.schedule(KIND, "every-hour", clock.in(HOUR), {});
      });
      await jobs.schedule(KIND, "every-hour", clock.now(), {});
      assert.equal((await jobs.runDue()).ran, 1);
      assert.equal((await jobs.runDue()).ran, 0);
      clock.advance(HOUR);
      assert.equal((await jobs.runDue()).ran, 1);
      assert.equal(runs, 2);
      assert.deepEqual((await jobs.list()).map((j) => j.dueAt), [clock.in(HOUR).toISOString()]);
    });

    it("retries a failing handler with back-off, then drops it with an error log that holds no payload", async () => {
      const jobs = scheduler({ maxAttempts: 3, retryBaseMs: MINUTE });
      const attempts: number[] = [];
      jobs.handle(KIND, (_payload, job) => {
        attempts.push(job.attempts);
        return Promise.reject(new Error("Teams is away"));
      });
      await jobs.schedule(KIND, "sync|jane.smith@nhs.net", clock.now(), { email: "jane.smith@nhs.net" });
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 1 });
      assert.equal((await jobs.list())[0].dueAt, clock.in(MINUTE).toISOString(), "first retry a minute later");
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 0 }, "not before the back-off");
      clock.advance(MINUTE);
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 1 });
      assert.equal((await jobs.list())[0].dueAt, clock.in(2 * MINUTE).toISOString(), "the wait doubles");
      clock.advance(2 * MINUTE);
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 1 });
      assert.deepEqual(attempts, [0, 1, 2]);
      assert.deepEqual(await jobs.list(), [], "dropped after the last attempt");
      clock.advance(HOUR);
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 0 });
      assert.match(log.text, /scheduled job failed too often: dropped/);
      assert.match(log.text, /Teams is away/);
      assert.doesNotMatch(log.text, /jane\.smith/, "neither the id nor the payload is logged");
    });

    it("runs a job that failed once on its retry, then forgets it", async () => {
      const jobs = scheduler({ retryBaseMs: MINUTE });
      let calls = 0;
      jobs.handle(KIND, () => (++calls === 1 ? Promise.reject(new Error("once")) : Promise.resolve()));
      await jobs.schedule(KIND, "a", clock.now(), {});
      assert.deepEqual(await jobs.runDue(), { ran: 0, failed: 1 });
      clock.advance(MINUTE);
      assert.deepEqual(await jobs.runDue(), { ran: 1, failed: 0 });
      assert.deepEqual(await jobs.list(), []);
    });

    it("logs a job of an unknown kind once and keeps it for an instance that knows it", async () => {
      const first = scheduler();
      await first.schedule("from.a.newer.version", "x", clock.now(), {});
      assert.deepEqual(await first.runDue(), { ran: 0, failed: 0 });
      assert.deepEqual(await first.runDue(), { ran: 0, failed: 0 });
      assert.equal(log.lines.filter((l) => l.includes("unknown kind")).length, 1);
      const knowing = scheduler();
      const seen = recorder();
      knowing.handle("from.a.newer.version", seen.handler);
      assert.deepEqual(await knowing.runDue(), { ran: 1, failed: 0 });
    });

    it("refuses a second handler for a kind, and an invalid due time", async () => {
      const jobs = scheduler();
      jobs.handle(KIND, recorder().handler);
      assert.throws(() => jobs.handle(KIND, recorder().handler), /already have a handler/);
      await assert.rejects(jobs.schedule(KIND, "a", new Date(Number.NaN), {}), RangeError);
    });

    it("start() runs due jobs at once and then polls; stop() waits for the job under way and starts no other", async () => {
      const jobs = scheduler();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const started: string[] = [];
      const finished: string[] = [];
      jobs.handle(KIND, async (_payload, job) => {
        started.push(job.id);
        if (job.id === "slow") await gate;
        finished.push(job.id);
      });
      await jobs.schedule(KIND, "first", clock.now(), {});
      jobs.start(5);
      await waitFor(() => finished.includes("first"), "the due job to run on start");
      await jobs.schedule(KIND, "slow", clock.now(), {});
      await jobs.schedule(KIND, "queued", clock.in(1), {});
      clock.advance(1);
      await waitFor(() => started.includes("slow"), "a poll to pick up the new jobs");
      let stopped = false;
      const stopping = jobs.stop().then(() => (stopped = true));
      for (let i = 0; i < 20; i++) await nextTurn();
      assert.equal(stopped, false, "stop() waits while a handler runs");
      release();
      await stopping;
      assert.deepEqual(finished, ["first", "slow"], "the job under way finished; the one behind it did not start");
      assert.deepEqual((await jobs.list()).map((j) => j.id), ["queued"], "it stays for the next run");
      await jobs.schedule(KIND, "after-stop", clock.now(), {});
      for (let i = 0; i < 20; i++) await nextTurn();
      assert.equal(started.includes("after-stop"), false, "no poll after stop()");
    });
  });
}

describe("JobScheduler across instances on one SQLite file", () => {
  let dir: TempDir;
  const stores: StateStore[] = [];
  const clock = new TestClock();
  const log = new CapturedLog();
  const open = async (): Promise<StateStore> => {
    const store = await openStateStore(`sqlite://${dir.file("state.sqlite")}`);
    stores.push(store);
    return store;
  };
  const scheduler = (store: StateStore): JobScheduler => new JobScheduler(store, { clock: clock.now, logger: log.logger });

  beforeEach(() => {
    dir = new TempDir();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    dir.remove();
  });

  it("keeps a job across a restart: a new scheduler on the reopened file runs it once", async () => {
    const before = await open();
    await scheduler(before).schedule(KIND, "sync|jane", clock.in(HOUR), { email: "jane.smith@nhs.net" });
    await before.close();

    const after = scheduler(await open());
    const seen = recorder();
    after.handle(KIND, seen.handler);
    assert.equal((await after.runDue()).ran, 0);
    clock.advance(HOUR);
    assert.equal((await after.runDue()).ran, 1);
    assert.deepEqual(seen.runs.map((r) => r.payload), [{ email: "jane.smith@nhs.net" }]);

    const again = scheduler(await open());
    again.handle(KIND, seen.handler);
    assert.equal((await again.runDue()).ran, 0);
    assert.equal(seen.runs.length, 1);
  });

  it("runs each job exactly once when two schedulers poll the same file at once", async () => {
    const [a, b] = [scheduler(await open()), scheduler(await open())];
    const runs = new Map<string, number>();
    const handler = async (_payload: unknown, job: ScheduledJob): Promise<void> => {
      await nextTurn(); // let the other instance interleave
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
    };
    a.handle(KIND, handler);
    b.handle(KIND, handler);
    const ids = Array.from({ length: 20 }, (_, i) => `job-${i}`);
    for (const id of ids) await a.schedule(KIND, id, clock.now(), {});
    const summaries = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    assert.equal(summaries.reduce((sum, s) => sum + s.ran, 0), ids.length);
    assert.deepEqual(ids.filter((id) => runs.get(id) !== 1), [], "every job ran exactly once");
    assert.deepEqual(await b.list(), []);
  });
});
