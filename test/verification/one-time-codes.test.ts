import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { StoredOneTimeCodes } from "../../src/verification/one-time-codes";
import type { OneTimeCodeOptions } from "../../src/verification/one-time-codes";
import { openSqliteStore, TestClock, testHmac } from "./support";

const FIVE_MINUTES = 5 * 60_000;

describe("one-time codes (SQLite state store)", function () {
  let store: StateStore;
  let url: string;
  let dispose: () => Promise<void>;
  let clock: TestClock;
  let codes: StoredOneTimeCodes;
  let subjectNumber = 0;
  let subject: string;

  const make = (options: Partial<OneTimeCodeOptions> = {}): StoredOneTimeCodes =>
    new StoredOneTimeCodes(store, { hmac: testHmac(), now: clock.now, ...options });

  before(async function () {
    ({ store, url, dispose } = await openSqliteStore());
  });
  after(async function () {
    await dispose();
  });
  beforeEach(function () {
    clock = new TestClock(Date.parse("2026-11-05T10:00:00Z"));
    codes = make();
    subject = `reset-session-${++subjectNumber}`;
  });

  it("issues six random digits that work once", async function () {
    const code = await codes.issue(subject);
    assert.match(code, /^\d{6}$/);
    assert.equal(await codes.verify(subject, code), "ok");
    assert.equal(await codes.verify(subject, code), "none");
  });

  it("does not let a wrong code consume the right one", async function () {
    const code = await codes.issue(subject);
    const wrong = code === "000000" ? "000001" : "000000";
    for (const attempt of [wrong, "12345", "1234567", "abcdef", "", code.slice(0, 5) + "x"]) {
      assert.equal(await codes.verify(subject, attempt), "wrong", `attempt ${JSON.stringify(attempt)}`);
    }
    assert.equal(await codes.verify(subject, code), "ok");
  });

  it("accepts the code with spaces or a dash, as people copy it", async function () {
    const code = await codes.issue(subject);
    assert.equal(await codes.verify(subject, ` ${code.slice(0, 3)} ${code.slice(3)} `), "ok");
    const next = await codes.issue(subject);
    assert.equal(await codes.verify(subject, `${next.slice(0, 3)}-${next.slice(3)}`), "ok");
  });

  const expiry: Array<[number, "ok" | "expired"]> = [
    [0, "ok"],
    [FIVE_MINUTES - 1, "ok"],
    [FIVE_MINUTES, "expired"],
    [FIVE_MINUTES + 60_000, "expired"],
  ];
  for (const [after, expected] of expiry) {
    it(`answers "${expected}" to the right code ${after} ms after it was issued`, async function () {
      const code = await codes.issue(subject);
      clock.advance(after);
      assert.equal(await codes.verify(subject, code), expected);
    });
  }

  it("answers an expired code's wrong guesses with expired, too", async function () {
    await codes.issue(subject);
    clock.advance(FIVE_MINUTES);
    assert.equal(await codes.verify(subject, "000000"), "expired");
  });

  it("has a configurable lifetime and length", async function () {
    const custom = make({ validForMs: 60_000, digits: 8 });
    const code = await custom.issue(subject);
    assert.match(code, /^\d{8}$/);
    clock.advance(60_000);
    assert.equal(await custom.verify(subject, code), "expired");
    for (const digits of [5, 13, 6.5]) assert.throws(() => make({ digits }), /6 to 12 digits/);
  });

  it("answers none when no code was issued for the subject", async function () {
    assert.equal(await codes.verify(subject, "123456"), "none");
  });

  it("replaces an earlier code when a new one is issued", async function () {
    const first = await codes.issue(subject);
    let second = await codes.issue(subject);
    while (second === first) second = await codes.issue(subject);
    assert.equal(await codes.verify(subject, first), "wrong");
    assert.equal(await codes.verify(subject, second), "ok");
  });

  it("keeps subjects apart", async function () {
    const other = `${subject}-other`;
    const code = await codes.issue(subject);
    while ((await codes.issue(other)) === code);
    assert.equal(await codes.verify(other, code), "wrong", "the code of one subject must not open another");
    assert.equal(await codes.verify(subject, code), "ok");
  });

  it("gives exactly one ok to 50 concurrent submissions of the right code", async function () {
    const code = await codes.issue(subject);
    const results = await Promise.all(Array.from({ length: 50 }, async () => codes.verify(subject, code)));
    assert.equal(results.filter((result) => result === "ok").length, 1);
    assert.deepEqual(new Set(results), new Set(["ok", "none"]));
  });

  it("gives exactly one ok across two instances with their own connections to the state file", async function () {
    const secondStore = await openStateStore(url);
    try {
      const other = new StoredOneTimeCodes(secondStore, { hmac: testHmac(), now: clock.now });
      const code = await codes.issue(subject);
      const results = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => (i % 2 === 0 ? codes : other).verify(subject, code)),
      );
      assert.equal(results.filter((result) => result === "ok").length, 1);
    } finally {
      await secondStore.close();
    }
  });

  it("never stores the code in clear, only a keyed hash", async function () {
    const code = await codes.issue(subject);
    const stored: unknown = await store.keyv("one_time_codes").get(subject);
    assert.ok(stored !== null && typeof stored === "object");
    assert.deepEqual(Object.keys(stored).sort(), ["expiresAt", "hash", "nonce"]);
    const text = JSON.stringify(stored);
    assert.ok(!text.includes(code), "the stored record contains the code");
    assert.ok(!text.includes(createHash("sha256").update(code).digest("hex")), "an unkeyed hash of the code");
    assert.equal(await codes.verify(subject, code), "ok");
    assert.equal(await store.keyv("one_time_codes").get(subject), undefined, "the used code is removed");
  });

  it("does not accept a code whose store was written with another key", async function () {
    const code = await codes.issue(subject);
    assert.equal(await make({ hmac: testHmac("another key") }).verify(subject, code), "wrong");
  });
});
