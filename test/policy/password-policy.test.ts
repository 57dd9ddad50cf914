import assert from "node:assert/strict";
import { PasswordHasher, PasswordPolicy, RULES } from "../../src/policy";
import { CommonPasswordDetector } from "../../src/policy/common";
import type { BreachedPasswordChecker, BreachStatus } from "../../src/policy/breach";

const hasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });

/** A breach source that answers from a fixed list, or is down. */
class ListedBreaches implements BreachedPasswordChecker {
  constructor(private readonly listed: string[], private readonly down = false) {}
  check(password: string): Promise<BreachStatus> {
    if (this.down) return Promise.resolve("unavailable");
    return Promise.resolve(this.listed.includes(password) ? "breached" : "clear");
  }
}

const policyWith = (breach?: BreachedPasswordChecker): PasswordPolicy =>
  new PasswordPolicy({ common: CommonPasswordDetector.loadDefault(), hasher, breach, historyLength: 4 });

describe("PasswordPolicy", () => {
  const policy = policyWith(new ListedBreaches(["Breached-but-long-enough-1"]));

  it("passes a good password, listing every rule as passed or not checked", async () => {
    const verdict = await policy.check({ password: "Lantern orbit gravy 47" });
    assert.equal(verdict.ok, true);
    assert.deepEqual(verdict.failures, []);
    assert.deepEqual(verdict.rules.map((r) => r.rule), [...RULES]);
    assert.deepEqual(
      verdict.rules.filter((r) => r.status !== "pass").map((r) => [r.rule, r.status]),
      [
        ["not-recent", "not-checked"],
        ["not-personal", "not-checked"],
      ],
      "history and the person's own details are not checked when there are none",
    );
  });

  it("reports every failure at once, each with its own message", async () => {
    const verdict = await policy.check({ password: "Pass£" });
    assert.equal(verdict.ok, false);
    assert.deepEqual(verdict.failures.map((f) => f.rule), ["min-length", "no-pound-sign", "not-common"]);
    assert.equal(new Set(verdict.failures.map((f) => f.message)).size, 3);
    assert.ok(verdict.failures.every((f) => !f.message.includes("Pass£")), "messages never echo the password");
  });

  for (const common of ["Password123", "Winter2018", "P@ssw0rd2024", "Summer2025!", "Welcome12345", "NHSmail2024!", "Qwerty123456"]) {
    it(`refuses the common password ${common}`, async () => {
      assert.deepEqual((await policy.check({ password: common })).failures.map((f) => f.rule), ["not-common"]);
    });
  }

  it("refuses a password built on the person's own surname", async () => {
    const verdict = await policy.check({ password: "Okonkwo-2024!", context: { firstName: "Ada", lastName: "Okonkwo" } });
    assert.ok(verdict.failures.some((f) => f.rule === "not-personal" && /your own name/.test(f.message)));
    assert.equal((await policy.check({ password: "Okonkwo-2024!", context: { lastName: "Smith" } })).ok, true);
  });

  it("reports a password built on the person's name under its own rule, so the message and the failed line agree", async () => {
    const verdict = await policy.check({ password: "Okonkwo-2024!", context: { firstName: "Ada", lastName: "Okonkwo", email: "ada.okonkwo@nhs.net" } });
    assert.deepEqual(verdict.failures.map((f) => f.rule), ["not-personal"]);
    const line = (rule: string) => verdict.rules.find((r) => r.rule === rule);
    assert.equal(line("not-personal")?.status, "fail");
    assert.equal(line("not-personal")?.description, "Not based on your name, email address or organisation");
    assert.match(line("not-personal")?.message ?? "", /your own name, email address or organisation/);
    assert.equal(line("not-common")?.status, "pass", "not a common password: that line keeps its tick");
    assert.ok(verdict.failures.every((f) => !f.message.includes("Okonkwo")), "the message never names the word found");
  });

  it("fails both lines when a password is built on the person's name and a common word", async () => {
    const verdict = await policy.check({ password: "Okonkwo Password1", context: { lastName: "Okonkwo" } });
    assert.deepEqual(verdict.failures.map((f) => f.rule), ["not-personal", "not-common"]);
    assert.match(verdict.failures[1].message, /common word or pattern|passwords people use most often/);
  });

  it("lists the personal-details rule on the checklist before anything is typed", () => {
    const described = policy.describe();
    assert.deepEqual(described.map((r) => r.rule), [...RULES]);
    assert.ok(described.some((r) => r.rule === "not-personal" && r.description === "Not based on your name, email address or organisation"));
  });

  describe("history: the current password and the previous 4", () => {
    const passwords = ["Current-pass-000", "Previous-pass-001", "Previous-pass-002", "Previous-pass-003", "Previous-pass-004", "Previous-pass-005"];
    let hashes: string[];
    before(async () => (hashes = await Promise.all(passwords.map((p) => hasher.hash(p)))));
    const candidate = (password: string) => ({ password, currentHash: hashes[0], previousHashes: hashes.slice(1) });

    for (const [i, password] of passwords.slice(0, 5).entries()) {
      it(`refuses ${i === 0 ? "the current password" : `previous password ${i}`}`, async () => {
        const verdict = await policy.check(candidate(password));
        assert.deepEqual(verdict.failures.map((f) => f.rule), ["not-recent"]);
      });
    }

    it("accepts the fifth previous password, which has left the history", async () => {
      assert.equal((await policy.check(candidate("Previous-pass-005"))).ok, true);
    });

    it("accepts an earlier password that differs only in case", async () => {
      assert.equal((await policy.check(candidate("previous-PASS-001"))).ok, true);
    });
  });

  it("refuses a breached password, and says so plainly", async () => {
    const verdict = await policy.check({ password: "Breached-but-long-enough-1" });
    assert.deepEqual(verdict.failures.map((f) => f.rule), ["not-breached"]);
    assert.match(verdict.failures[0].message, /data breach/);
  });

  it("asks to try again when the breach source is down and fails closed", async () => {
    const verdict = await policyWith(new ListedBreaches([], true)).check({ password: "Lantern orbit gravy 47" });
    assert.deepEqual(verdict.failures.map((f) => f.rule), ["not-breached"]);
    assert.match(verdict.failures[0].message, /try again/);
  });

  it("refuses an absurdly long input quickly without running the costly checks", async () => {
    const verdict = await policy.check({ password: "a".repeat(100_000), currentHash: "$scrypt$ln=10,r=8,p=1$AAAA$AAAA" });
    assert.deepEqual(verdict.failures.map((f) => f.rule), ["max-length"]);
    assert.deepEqual(verdict.rules.filter((r) => r.status === "not-checked").map((r) => r.rule), ["not-recent", "not-personal", "not-common", "not-breached"]);
  });
});
