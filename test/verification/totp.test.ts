import assert from "node:assert/strict";
import type { StateStore } from "../../src/state";
import { currentTotp, generateTotpSecret, OtplibTotpVerifier, otpauthUri } from "../../src/verification/totp";
import { openSqliteStore, TestClock } from "./support";

const STEP = 30_000;
/** 10 s into a time step, so that ±1 step is unambiguous. */
const NOW = Date.parse("2026-11-05T10:00:10Z");

describe("authenticator-app codes", function () {
  let store: StateStore;
  let dispose: () => Promise<void>;
  let clock: TestClock;
  let verifier: OtplibTotpVerifier;
  let secret: string;
  let accountNumber = 0;
  let account: string;

  before(async function () {
    ({ store, dispose } = await openSqliteStore());
  });
  after(async function () {
    await dispose();
  });
  beforeEach(function () {
    clock = new TestClock(NOW);
    verifier = new OtplibTotpVerifier(store, { now: clock.now });
    secret = generateTotpSecret();
    account = `user${++accountNumber}@nhs.net`;
  });

  it("makes 160-bit base32 secrets and an otpauth URI an app can read", function () {
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.notEqual(generateTotpSecret(), secret);
    const uri = new URL(otpauthUri(secret, "jane.doe@nhs.net"));
    assert.equal(uri.protocol, "otpauth:");
    assert.equal(uri.host, "totp");
    assert.equal(decodeURIComponent(uri.pathname), "/NHSmail:jane.doe@nhs.net");
    assert.equal(uri.searchParams.get("secret"), secret);
    assert.equal(uri.searchParams.get("issuer"), "NHSmail");
    assert.equal(new URL(otpauthUri(secret, "a@nhs.net", "Test")).searchParams.get("issuer"), "Test");
  });

  it("computes the RFC 6238 test vector (SHA-1, T = 59 s)", function () {
    // Secret "12345678901234567890" in base32; the RFC's 8-digit code is 94287082.
    assert.equal(currentTotp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", new Date(59_000)), "287082");
  });

  const offsets: Array<[number, boolean]> = [
    [0, true],
    [-1, true],
    [1, true],
    [-2, false],
    [2, false],
    [-10, false],
  ];
  for (const [steps, expected] of offsets) {
    it(`${expected ? "accepts" : "refuses"} the code of ${steps} step(s) from now`, async function () {
      const code = currentTotp(secret, new Date(NOW + steps * STEP));
      assert.equal(await verifier.verify(account, secret, code), expected);
    });
  }

  it("refuses a replay, for as long as the code would otherwise work", async function () {
    const code = currentTotp(secret, new Date(NOW));
    assert.equal(await verifier.verify(account, secret, code), true);
    assert.equal(await verifier.verify(account, secret, code), false);
    clock.advance(STEP);
    assert.equal(await verifier.verify(account, secret, code), false, "still in the window one step later");
    assert.equal(await verifier.verify(account, secret, currentTotp(secret, clock.now())), true, "the next code");
  });

  it("keeps accounts apart: one account's use does not block another's", async function () {
    const code = currentTotp(secret, new Date(NOW));
    assert.equal(await verifier.verify(account, secret, code), true);
    assert.equal(await verifier.verify(`other.${account}`, secret, code), true);
    assert.equal(await verifier.verify(account.toUpperCase(), secret, code), false, "the account is case-free");
  });

  it("gives exactly one success to 50 concurrent submissions of the same code", async function () {
    const code = currentTotp(secret, new Date(NOW));
    const results = await Promise.all(Array.from({ length: 50 }, async () => verifier.verify(account, secret, code)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it("refuses malformed codes without throwing", async function () {
    for (const code of ["", "12345", "1234567", "abcdef", "12345a", "１２３４５６"]) {
      assert.equal(await verifier.verify(account, secret, code), false, JSON.stringify(code));
    }
  });

  it("accepts a code typed with a space, and a secret written in lower case with spaces", async function () {
    const code = currentTotp(secret, new Date(NOW));
    const spaced = secret.toLowerCase().replace(/(.{4})/g, "$1 ");
    assert.equal(await verifier.verify(account, spaced, `${code.slice(0, 3)} ${code.slice(3)}`), true);
  });

  it("accepts 80-bit secrets as Microsoft issues them", async function () {
    const short = "JBSWY3DPEHPK3PXP";
    assert.equal(await verifier.verify(account, short, currentTotp(short, new Date(NOW))), true);
  });

  it("fails loudly, without the secret, when the stored secret is unusable", async function () {
    await assert.rejects(verifier.verify(account, "AAAA", "123456"), (error: Error) => {
      assert.match(error.message, /authenticator secret cannot be used/);
      assert.ok(!error.message.includes("AAAA"));
      return true;
    });
  });
});
