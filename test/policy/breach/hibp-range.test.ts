import assert from "node:assert/strict";
import { HibpRangeChecker } from "../../../src/policy/breach";
import type { HibpRangeCheckerOptions } from "../../../src/policy/breach";
import { sha1Hex } from "./corpus";
import { RangeServer } from "./range-server";

const BREACHED = "correct horse battery staple";
const PADDED_ONLY = "listed only as padding 1";
const CLEAR = "a password nobody has leaked 7f3k";

class RecordingLogger {
  readonly calls: Array<{ obj: object; msg: string }> = [];
  warn(obj: object, msg: string): void {
    this.calls.push({ obj, msg });
  }
}

describe("HIBP range checker over HTTP", function () {
  let server: RangeServer;
  let logger: RecordingLogger;
  let clock: number;
  const make = (opts: Partial<HibpRangeCheckerOptions> = {}): HibpRangeChecker =>
    new HibpRangeChecker({ baseUrl: server.url, failMode: "open", logger, now: () => clock, timeoutMs: 2000, ...opts });

  beforeEach(async function () {
    server = new RangeServer();
    server.counts.set(sha1Hex(BREACHED), 42);
    server.counts.set(sha1Hex(PADDED_ONLY), 0);
    await server.start();
    logger = new RecordingLogger();
    clock = 1_000_000;
  });
  afterEach(async function () {
    await server.stop();
    const logged = JSON.stringify(logger.calls);
    for (const secret of [BREACHED, PADDED_ONLY, CLEAR]) {
      assert.ok(!logged.includes(secret), "a password reached the log");
      assert.ok(!logged.includes(sha1Hex(secret)) && !logged.includes(sha1Hex(secret).slice(5)), "a hash reached the log");
    }
  });

  it("sends only the 5-character prefix, with Add-Padding: true, and finds a breached password", async function () {
    const checker = make();
    assert.equal(await checker.check(BREACHED), "breached");
    assert.equal(await checker.check(CLEAR), "clear");
    assert.deepEqual(
      server.requests.map((r) => r.url),
      [`/range/${sha1Hex(BREACHED).slice(0, 5)}`, `/range/${sha1Hex(CLEAR).slice(0, 5)}`],
    );
    for (const request of server.requests) {
      assert.equal(request.headers["add-padding"], "true");
      const sent = JSON.stringify(request).toUpperCase();
      for (const pw of [BREACHED, CLEAR]) {
        assert.ok(!sent.includes(pw.toUpperCase()) && !sent.includes(sha1Hex(pw).slice(5)), "more than the prefix left");
      }
    }
    assert.equal(logger.calls.length, 0);
  });

  it("ignores padding: a suffix listed only with count 0 is clear", async function () {
    assert.equal(await make().check(PADDED_ONLY), "clear");
  });

  it("answers a repeated prefix from the cache, shares one request between concurrent checks, and expires", async function () {
    const checker = make({ cacheTtlMs: 60_000 });
    const [a, b] = await Promise.all([checker.check(BREACHED), checker.check(BREACHED)]);
    assert.deepEqual([a, b], ["breached", "breached"]);
    assert.equal(server.requests.length, 1);
    assert.equal(await checker.check(BREACHED), "breached");
    assert.equal(server.requests.length, 1, "the second check made a request");
    clock += 60_001;
    assert.equal(await checker.check(BREACHED), "breached");
    assert.equal(server.requests.length, 2);
    const uncached = make({ cacheSize: 0 });
    await uncached.check(BREACHED);
    await uncached.check(BREACHED);
    assert.equal(server.requests.length, 4);
  });

  it("times out a server that never answers: fail open is clear with one warning naming the mode", async function () {
    server.behaviour = "hang";
    assert.equal(await make({ timeoutMs: 50 }).check(BREACHED), "clear");
    assert.equal(logger.calls.length, 1);
    assert.match(logger.calls[0].msg, /timed out after 50 ms.*failing open/);
    assert.deepEqual(logger.calls[0].obj, {
      breachSource: "hibp-range",
      failMode: "open",
      reason: "timed out after 50 ms",
      result: "clear",
    });
  });

  it("times out a body that stalls, and fails closed as unavailable", async function () {
    server.behaviour = "stall-body";
    assert.equal(await make({ timeoutMs: 50, failMode: "closed" }).check(BREACHED), "unavailable");
    assert.equal(logger.calls.length, 1);
    assert.match(logger.calls[0].msg, /failing closed/);
  });

  it("treats HTTP 500 and a malformed body per the fail mode, and caches neither", async function () {
    server.behaviour = "500";
    const closed = make({ failMode: "closed" });
    assert.equal(await closed.check(BREACHED), "unavailable");
    assert.equal(await make({ failMode: "open" }).check(BREACHED), "clear");
    server.behaviour = "malformed";
    assert.equal(await closed.check(BREACHED), "unavailable");
    assert.deepEqual(
      logger.calls.map((c) => (c.obj as { reason: string }).reason),
      ["HTTP 500", "HTTP 500", "malformed response"],
    );
    server.behaviour = "ok";
    assert.equal(await closed.check(BREACHED), "breached");
    assert.equal(server.requests.length, 4);
  });

  it("backs off after HTTP 429 for Retry-After seconds without asking again", async function () {
    server.behaviour = "429";
    server.retryAfter = "30";
    const checker = make({ failMode: "closed" });
    assert.equal(await checker.check(BREACHED), "unavailable");
    server.behaviour = "ok";
    assert.equal(await checker.check(BREACHED), "unavailable");
    assert.equal(server.requests.length, 1, "asked again during the back-off");
    assert.match(logger.calls[1].msg, /rate limited/);
    clock += 30_001;
    assert.equal(await checker.check(BREACHED), "breached");
    assert.equal(server.requests.length, 2);
  });

  it("fails per the mode when nothing listens", async function () {
    const url = server.url;
    await server.stop();
    const checker = new HibpRangeChecker({ baseUrl: url, failMode: "closed", logger, timeoutMs: 2000 });
    assert.equal(await checker.check(BREACHED), "unavailable");
    assert.equal((logger.calls[0].obj as { reason: string }).reason, "network error");
    server = new RangeServer();
    await server.start();
  });

  it("refuses a fail mode other than open or closed", function () {
    assert.throws(() => new HibpRangeChecker({ failMode: "maybe" as "open" }), /failMode must be/);
  });
});
