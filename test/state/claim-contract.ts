import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { StateStore } from "../../src/state";

/**
 * Resolves once `condition` holds, checking it every few milliseconds; fails after `timeoutMs`. Tests wait for
 * a state (a claim has expired) this way rather than sleeping for a guessed time.
 */
export async function eventually(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const HOUR = 3_600_000;

/**
 * The claim and native-access part of the state contract, run inside {@link describeStorageContract}.
 *
 * @param current - the suite's store for the running test
 * @param another - a second store: another instance on the same data when the backend is shared, else the same
 */
export function describeClaimContract(
  name: string,
  current: () => StateStore,
  another: () => Promise<StateStore>,
): void {
  describe(`${name} claims`, function () {
    it("lets one caller create a key; an unexpired claim stays; keys, namespaces independent", async function () {
      const store = current();
      const key = `activity:${randomUUID()}`;
      assert.equal(await store.claim("activities", key, HOUR), true);
      assert.equal(await store.claim("activities", key, HOUR), false);
      assert.equal(await store.claim("activities", `${key}x`, HOUR), true);
      assert.equal(await store.claim("jobs", key, HOUR), true);
      assert.equal(await store.keyv("activities").get(key), true, "a claim reads as true through keyv");
    });

    it("lets exactly one of two instances win each of 50 racing rounds", async function () {
      const [a, b] = [current(), await another()];
      for (let round = 0; round < 50; round += 1) {
        const key = `handoff:${randomUUID()}`;
        const results = await Promise.all([
          a.claim("handoffs", key, HOUR),
          b.claim("handoffs", key, HOUR),
          a.claim("handoffs", key, HOUR),
          b.claim("handoffs", key, HOUR),
        ]);
        assert.equal(results.filter(Boolean).length, 1, `round ${round}: exactly one claimer wins`);
      }
    });

    it("lets an expired claim be claimed again, once", async function () {
      const [a, b] = [current(), await another()];
      const key = `step:${randomUUID()}`;
      assert.equal(await a.claim("steps", key, 1), true);
      await eventually(async () => b.claim("steps", key, HOUR));
      assert.equal(await a.claim("steps", key, HOUR), false);
      assert.equal(await b.claim("steps", key, HOUR), false);
    });

    it("reads an expired claim as absent through keyv", async function () {
      const store = current();
      const key = `code:${randomUUID()}`;
      assert.equal(await store.claim("codes", key, 1), true);
      await eventually(async () => (await store.keyv("codes").get(key)) === undefined);
    });

    it("releases a claim so that it can be claimed again; releasing nothing is harmless", async function () {
      const [a, b] = [current(), await another()];
      const key = `job:${randomUUID()}`;
      assert.equal(await a.claim("jobs", key, HOUR), true);
      await b.release("jobs", key);
      assert.equal(await b.claim("jobs", key, HOUR), true);
      assert.equal(await a.claim("jobs", key, HOUR), false);
      await a.release("jobs", `missing:${randomUUID()}`);
    });

    it("refuses a bad time-to-live, and bad or reserved namespaces", async function () {
      const store = current();
      for (const ttl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await assert.rejects(store.claim("jobs", "k", ttl), RangeError, String(ttl));
      }
      await assert.rejects(store.claim("Jobs", "k", HOUR), /lower-case/);
      await assert.rejects(store.claim("botstate", "k", HOUR), /reserved/);
      await assert.rejects(store.release("botstate", "k"), /reserved/);
    });
  });

  describe(`${name} native access`, function () {
    it("names the backend, returns the same access for a name, and keeps it apart from keyv()", function () {
      const store = current();
      const access = store.native("limits");
      assert.equal(access.kind, store.kind);
      assert.equal(store.native("limits"), access);
      assert.throws(() => store.keyv("limits"), /already used through native\(\)/);
      store.keyv("notes");
      assert.throws(() => store.native("notes"), /already used through keyv\(\)/);
      assert.throws(() => store.native("botstate"), /reserved/);
      assert.throws(() => store.native("No"), /lower-case/);
    });

    it("refuses native() once the store is closed", async function () {
      const store = current();
      await store.close();
      assert.throws(() => store.native("limits"), /closed/);
    });
  });
}
