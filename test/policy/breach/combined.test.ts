import assert from "node:assert/strict";
import { CombinedBreachChecker } from "../../../src/policy/breach";
import type { BreachStatus, BreachedPasswordChecker } from "../../../src/policy/breach";

class Stub implements BreachedPasswordChecker {
  calls = 0;
  closed = false;
  constructor(private readonly answer: BreachStatus) {}
  check(): Promise<BreachStatus> {
    this.calls++;
    return Promise.resolve(this.answer);
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

describe("combined breach checker", function () {
  it("stops at the offline index when it says breached", async function () {
    const offline = new Stub("breached");
    const online = new Stub("clear");
    assert.equal(await new CombinedBreachChecker(offline, online).check("x"), "breached");
    assert.equal(online.calls, 0);
  });

  it("asks the range API when the offline index is clear, and reports breached or clear", async function () {
    assert.equal(await new CombinedBreachChecker(new Stub("clear"), new Stub("breached")).check("x"), "breached");
    assert.equal(await new CombinedBreachChecker(new Stub("clear"), new Stub("clear")).check("x"), "clear");
  });

  it("is unavailable when nothing said breached and one could not answer; closes all", async function () {
    const a = new Stub("unavailable");
    const b = new Stub("clear");
    const both = new CombinedBreachChecker(a, b);
    assert.equal(await both.check("x"), "unavailable");
    assert.equal(await new CombinedBreachChecker(new Stub("unavailable"), new Stub("breached")).check("x"), "breached");
    await both.close();
    assert.ok(a.closed && b.closed);
  });
});
