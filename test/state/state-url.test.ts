import assert from "node:assert/strict";
import { openStateStore, parseStateUrl } from "../../src/state";

describe("STATE_URL parsing", function () {
  it("resolves sqlite:// paths against the working directory, and keeps absolute ones", function () {
    assert.deepEqual(parseStateUrl("sqlite://var/state.sqlite", "/srv/bot"), {
      kind: "sqlite",
      file: "/srv/bot/var/state.sqlite",
    });
    assert.deepEqual(parseStateUrl("sqlite:///data/state.sqlite", "/srv/bot"), {
      kind: "sqlite",
      file: "/data/state.sqlite",
    });
  });

  it("accepts redis:// with an optional database, and memory://", function () {
    assert.deepEqual(parseStateUrl("redis://127.0.0.1:6379"), { kind: "redis", url: "redis://127.0.0.1:6379" });
    assert.deepEqual(parseStateUrl("redis://127.0.0.1:6379/2"), { kind: "redis", url: "redis://127.0.0.1:6379/2" });
    assert.deepEqual(parseStateUrl("memory://"), { kind: "memory" });
  });

  it("rejects unknown schemes and malformed URLs without echoing credentials", async function () {
    await assert.rejects(openStateStore("postgres://user:hunter2@db/state"), (error: Error) => {
      assert.match(error.message, /scheme "postgres" is not supported/);
      assert.ok(!error.message.includes("hunter2"));
      return true;
    });
    assert.throws(() => parseStateUrl("var/state.sqlite"), /scheme "\(none\)"/);
    assert.throws(() => parseStateUrl("sqlite://"), /needs a file path/);
    assert.throws(() => parseStateUrl("redis://:hunter2@"), (error: Error) => !error.message.includes("hunter2"));
  });

  it("opens a memory store of kind memory", async function () {
    const store = await openStateStore("memory://");
    assert.equal(store.kind, "memory");
    await store.close();
  });
});
