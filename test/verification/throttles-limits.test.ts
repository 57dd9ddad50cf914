import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStateStore } from "../../src/state";
import { DEFAULT_THROTTLE_LIMITS, StoreThrottles } from "../../src/verification/throttles";

describe("Throttle limits", function () {
  it("take overrides over the defaults and refuse numbers out of range", async function () {
    const store = await openStateStore("memory://");
    try {
      const throttles = new StoreThrottles(store, { codeSent: { points: 2, blockSeconds: 60 } });
      assert.deepEqual(throttles.limits.codeSent, { ...DEFAULT_THROTTLE_LIMITS.codeSent, points: 2, blockSeconds: 60 });
      assert.deepEqual(throttles.limits.callMade, DEFAULT_THROTTLE_LIMITS.callMade);
      assert.equal((await throttles.consume("codeSent", "a@nhs.net")).allowed, true);
      assert.equal((await throttles.consume("codeSent", "a@nhs.net")).allowed, true);
      const refused = await throttles.consume("codeSent", "a@nhs.net");
      assert.equal(refused.allowed, false);
      const blockedFor = (refused.retryAt?.getTime() ?? 0) - Date.now();
      assert.ok(blockedFor > 55_000 && blockedFor <= 60_000, `blocked for ${blockedFor} ms`);
      for (const bad of [{ points: 0 }, { windowSeconds: 1.5 }, { blockSeconds: -1 }]) {
        assert.throws(() => new StoreThrottles(store, { codeSent: bad }), RangeError);
      }
    } finally {
      await store.close();
    }
  });

  it("refuse a store whose throttles namespace is already used through keyv()", async function () {
    const store = await openStateStore("memory://");
    try {
      store.keyv("throttles");
      assert.throws(() => new StoreThrottles(store), /already used through keyv/);
    } finally {
      await store.close();
    }
  });
});

describe("Throttle keys in SQLite", function () {
  const folder = mkdtempSync(path.join(tmpdir(), "throttle-keys-"));
  after(function () {
    rmSync(folder, { recursive: true, force: true });
  });

  it("are digests of the key, never the address", async function () {
    const store = await openStateStore(`sqlite://${path.join(folder, "state.sqlite")}`);
    try {
      const address = `someone.${randomUUID()}@nhs.net`;
      await new StoreThrottles(store).consume("codeSent", address);
      const access = store.native("throttles");
      assert.ok(access.kind === "sqlite");
      const keys = access.db.prepare(`SELECT key FROM ${access.table}`).all() as { key: string }[];
      assert.equal(keys.length, 1);
      assert.match(keys[0]?.key ?? "", /^codeSent:[\w-]{43}$/);
      assert.ok(!keys.some(({ key }) => key.includes("someone")));
    } finally {
      await store.close();
    }
  });
});
