import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import type { ThrottleName, Throttles } from "../../src/verification/ports";
import { DEFAULT_THROTTLE_LIMITS, StoreThrottles } from "../../src/verification/throttles";
import { announceRedisSkip } from "../support/redis-skip";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const NAMES = Object.keys(DEFAULT_THROTTLE_LIMITS) as ThrottleName[];
const ACCOUNT_NAMES = NAMES.filter((name) => DEFAULT_THROTTLE_LIMITS[name].keyKind === "account");

const folder = mkdtempSync(path.join(tmpdir(), "throttles-"));
const redisUrl = process.env.REDIS_URL ?? "";
const redisPrefix = `test_${randomBytes(6).toString("hex")}_`;

/** A backend the throttles run on; `shared` ones are opened twice to show two instances sharing counts. */
const backends: { name: string; shared: boolean; open: () => Promise<StateStore> }[] = [
  { name: "memory", shared: false, open: async () => openStateStore("memory://") },
  { name: "SQLite", shared: true, open: async () => openStateStore(`sqlite://${path.join(folder, "state.sqlite")}`) },
];
if (redisUrl !== "") {
  const open = async () => openStateStore(redisUrl, { namespacePrefix: redisPrefix });
  backends.push({ name: "Redis", shared: true, open });
} else {
  before(announceRedisSkip);
}

after(async function () {
  rmSync(folder, { recursive: true, force: true });
  if (redisUrl === "") return;
  // Remove this run's keys (and only those) through the store's own client.
  const store = await openStateStore(redisUrl, { namespacePrefix: redisPrefix });
  const access = store.native("cleanup");
  if (access.kind === "redis") {
    let cursor = "0";
    do {
      const page = await access.client.scan(cursor, { MATCH: `${redisPrefix}*`, COUNT: 500 });
      cursor = page.cursor;
      if (page.keys.length > 0) await access.client.unlink(page.keys);
    } while (cursor !== "0");
  }
  await store.close();
});

const email = (): string => `User.${randomUUID()}@NHS.net`;
const keyFor = (name: ThrottleName): string => (name === "userAttempts" ? `29:${randomUUID()}` : email());

/** Asserts `at` is `ms` from now, give or take a few seconds. */
function assertAbout(at: Date | undefined, ms: number): void {
  assert.ok(at instanceof Date, "retryAt is given");
  assert.ok(Math.abs(at.getTime() - (Date.now() + ms)) < 5000, `retryAt ${at.toISOString()} is about now + ${ms} ms`);
}

/** Consumes `times` events one after another; returns whether each was allowed. */
async function consumeTimes(throttles: Throttles, name: ThrottleName, key: string, times: number): Promise<boolean[]> {
  const allowed: boolean[] = [];
  for (let i = 0; i < times; i += 1) allowed.push((await throttles.consume(name, key)).allowed);
  return allowed;
}

for (const backend of backends) {
  describe(`Throttles on ${backend.name}`, function () {
    const opened: StateStore[] = [];
    const openStore = async (): Promise<StateStore> => {
      const store = await backend.open();
      opened.push(store);
      return store;
    };
    const open = async (): Promise<StoreThrottles> => new StoreThrottles(await openStore());
    afterEach(async function () {
      await Promise.all(opened.splice(0).map(async (store) => store.close()));
    });

    for (const name of NAMES) {
      const { points, blockSeconds, windowSeconds } = DEFAULT_THROTTLE_LIMITS[name];
      const refusedFor = (blockSeconds || windowSeconds) * 1000;
      it(`${name}: allows ${points}, then refuses until about now + ${refusedFor / HOUR_MS} h`, async function () {
        const throttles = await open();
        const key = keyFor(name);
        assert.deepEqual(await consumeTimes(throttles, name, key, points), Array<boolean>(points).fill(true));
        const refused = await throttles.consume(name, key);
        assert.equal(refused.allowed, false);
        assertAbout(refused.retryAt, refusedFor);
        const checked = await throttles.check(name, key);
        assert.equal(checked.allowed, false);
        assertAbout(checked.retryAt, refusedFor);
        assertAbout((await throttles.consume(name, key)).retryAt, refusedFor);
      });
    }

    it("check does not count, and refuses once the window's count reaches the limit", async function () {
      const throttles = await open();
      const key = email();
      for (let i = 0; i < 20; i += 1) assert.deepEqual(await throttles.check("codeChecked", key), { allowed: true, remaining: 5 });
      await throttles.consume("codeChecked", key);
      assert.deepEqual(await throttles.check("codeChecked", key), { allowed: true, remaining: 4 }, "check says how many are left");
      await throttles.reset(key);
      assert.deepEqual(await consumeTimes(throttles, "codeChecked", key, 5), [true, true, true, true, true]);
      const checked = await throttles.check("codeChecked", key);
      assert.equal(checked.allowed, false);
      assertAbout(checked.retryAt, HOUR_MS);
    });

    it("keeps keys and limits independent: a new code does not clear wrong-code counts", async function () {
      const throttles = await open();
      const [alice, bob] = [email(), email()];
      await consumeTimes(throttles, "codeChecked", alice, 6);
      assert.equal((await throttles.consume("codeSent", alice)).allowed, true);
      assert.equal((await throttles.check("codeChecked", alice)).allowed, false);
      assert.equal((await throttles.consume("codeChecked", bob)).allowed, true);
      assert.equal((await throttles.consume("identityFailed", alice)).allowed, true);
    });

    it("compares account emails without case and Teams user ids exactly", async function () {
      const throttles = await open();
      const address = email();
      await consumeTimes(throttles, "codeSent", address.toUpperCase(), 5);
      assert.equal((await throttles.consume("codeSent", ` ${address.toLowerCase()} `)).allowed, false);
      const user = `29:${randomUUID()}`;
      await consumeTimes(throttles, "userAttempts", user.toLowerCase(), 11);
      assert.equal((await throttles.consume("userAttempts", user.toUpperCase())).allowed, true);
    });

    it("reset clears every limit for the key except resetCompleted", async function () {
      const throttles = await open();
      const address = email();
      for (const name of ACCOUNT_NAMES) await consumeTimes(throttles, name, address, 6);
      await throttles.reset(address.toLowerCase());
      for (const name of ACCOUNT_NAMES) {
        assert.equal((await throttles.check(name, address)).allowed, name !== "resetCompleted", name);
      }
      const user = `29:${randomUUID()}`;
      await consumeTimes(throttles, "userAttempts", user, 11);
      await throttles.reset(user);
      assert.equal((await throttles.consume("userAttempts", user)).allowed, true);
    });

    it("allows exactly 5 of 10,000 rapid consumes on one key", async function () {
      const [a, b] = backend.shared ? [await open(), await open()] : [await open(), undefined];
      const key = email();
      const started = Date.now();
      const decisions = await Promise.all(
        Array.from({ length: 10_000 }, async (_, i) => ((i % 2 === 1 && b) || a).consume("codeSent", key)),
      );
      assert.equal(decisions.filter((decision) => decision.allowed).length, 5);
      // A refusal racing the one that stores the block may report the window's end instead: never earlier.
      for (const { retryAt } of decisions.filter((each) => !each.allowed)) {
        const at = retryAt?.getTime() ?? 0;
        assert.ok(at > started + HOUR_MS - 1000 && at <= Date.now() + DAY_MS);
      }
      const blockedUntil = (await a.consume("codeSent", key)).retryAt?.getTime() ?? 0;
      assert.ok(blockedUntil >= started + DAY_MS - 1000 && blockedUntil <= Date.now() + DAY_MS, "blocked for 24 h");
    });

    const sharing = backend.shared ? "two store instances" : "one store";
    it(`shares counts between two throttles on ${sharing}`, async function () {
      const store = await openStore();
      const [a, b] = [new StoreThrottles(store), new StoreThrottles(backend.shared ? await openStore() : store)];
      const key = email();
      const allowed = [];
      for (let i = 0; i < 3; i += 1) {
        allowed.push((await a.consume("callMade", key)).allowed, (await b.consume("callMade", key)).allowed);
      }
      assert.deepEqual(allowed, [true, true, true, true, true, false]);
    });

    if (backend.shared) {
      it("keeps counts across a reopen", async function () {
        const key = email();
        await consumeTimes(await open(), "callMade", key, 6);
        await Promise.all(opened.splice(0).map(async (store) => store.close()));
        const reopened = await open();
        assert.equal((await reopened.check("callMade", key)).allowed, false);
        assertAbout((await reopened.consume("callMade", key)).retryAt, DAY_MS);
      });
    }
  });
}
