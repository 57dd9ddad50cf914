import assert from "node:assert/strict";
import { openStateStore } from "../../src/state";

// Needs no server: nothing listens on port 1, so this runs everywhere and proves ping() cannot hang a probe.
describe("Redis state store, server unreachable", function () {
  it("opens, then fails ping() and reads within the timeout instead of hanging", async function () {
    const store = await openStateStore("redis://127.0.0.1:1", { timeoutMs: 300 });
    try {
      const started = Date.now();
      await assert.rejects(store.ping());
      await assert.rejects(store.storage.read(["msteams/bot/conversations/a:1"]));
      assert.ok(Date.now() - started < 3000, "both failed within a bounded time");
    } finally {
      await store.close();
    }
  });
});
