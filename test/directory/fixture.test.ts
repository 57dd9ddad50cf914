import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { FixtureError, parseFixture, readFixtureFile } from "../../src/directory/fixture";
import { maskedHint, normaliseUkMobile } from "../../src/verification/phone";
import { TempDir } from "../support/temp-dir";

const DEV_FIXTURE = path.resolve(__dirname, "..", "..", "env", "accounts.dev.json");

describe("UK mobile numbers", function () {
  it("reads the usual ways of writing one into E.164", function () {
    for (const typed of ["07700 900118", "07700900118", "+44 7700 900118", "+44 (0)7700 900118", "447700900118", "0044 7700 900118", " (07700) 900-118 "]) {
      assert.equal(normaliseUkMobile(typed), "+447700900118", typed);
    }
  });

  it("refuses landlines, short numbers, other countries and text", function () {
    for (const typed of ["020 7946 0000", "07700 9001", "+1 202 555 0100", "+33 6 12 34 56 78", "mobile", ""]) {
      assert.equal(normaliseUkMobile(typed), undefined, typed);
    }
  });

  it("masks all but the last two digits", function () {
    assert.equal(maskedHint("+447700900118"), "*****18");
  });
});

describe("accounts fixture", function () {
  const good = { email: " Jane.Smith@NHS.net ", mobile: "07700 900118", password: "Fixture-Secret-1" };

  it("normalises emails, mobiles and TOTP secrets and fills the defaults", function () {
    const [entry] = parseFixture([{ ...good, totpSecret: "jbsw y3dp ehpk 3pxp", displayName: "Jane Smith" }]);
    assert.equal(entry.email, "jane.smith@nhs.net");
    assert.equal(entry.mobile, "+447700900118");
    assert.equal(entry.totpSecret, "JBSWY3DPEHPK3PXP");
    assert.deepEqual(entry.previousPasswords, []);
    assert.equal(entry.temporaryPassword, false);
    const [none] = parseFixture([{ ...good, mobile: null, totpSecret: "" }]);
    assert.equal(none.mobile, undefined);
    assert.equal(none.totpSecret, undefined);
  });

  it("names every bad entry by index and field, and never prints a value", function () {
    const entries = [
      good,
      { email: "jane@gmail.com", mobile: "07700 900118", password: "Leaky-Password-7" },
      { email: "a@nhs.net", mobile: "020 7946 0000", password: 12345678, totpSecret: "not base32!" },
      { email: "JANE.SMITH@nhs.net", password: "Another-Leak-9", previousPasswords: ["Old-Leak-1", 5], createdAt: "yesterday" },
      "Plain-String-Leak",
    ];
    const error = catchError(() => parseFixture(entries, "accounts.json"));
    assert.ok(error instanceof FixtureError);
    assert.deepEqual(error.problems, [
      "[1].email: must be an @nhs.net address",
      "[2].mobile: must be a UK mobile number, e.g. 07700 900118",
      "[2].password: must be a string",
      "[2].totpSecret: must be base32 (A–Z, 2–7), at least 16 characters",
      "[3].previousPasswords.1: must be a string",
      "[3].createdAt: must be an ISO 8601 date or time",
      "[4]: must be an object",
    ]);
    assert.match(error.message, /^Invalid accounts fixture accounts\.json:/);
    for (const secret of ["Leaky-Password-7", "12345678", "Another-Leak-9", "Old-Leak-1", "Plain-String-Leak", "Fixture-Secret-1"]) {
      assert.ok(!error.message.includes(secret), `the message must not show ${secret}`);
    }
  });

  it("refuses a repeated email, a missing password and a file that is not an array", function () {
    assert.deepEqual(catchError(() => parseFixture([good, { ...good, email: "JANE.SMITH@nhs.net" }])).problems, ["[1].email: repeats entry [0]"]);
    assert.deepEqual(catchError(() => parseFixture([{ email: "a@nhs.net" }])).problems, ["[0].password: is required"]);
    assert.deepEqual(catchError(() => parseFixture({ accounts: [] })).problems, ["must be a JSON array of account objects"]);
  });

  it("says a file is not JSON without quoting it", function () {
    const dir = new TempDir();
    try {
      fs.writeFileSync(dir.file("bad.json"), '[{"email":"a@nhs.net","password":"Quoted-Leak-3",}]');
      const error = catchError(() => readFixtureFile(dir.file("bad.json")));
      assert.deepEqual(error.problems, ["is not valid JSON"]);
      assert.ok(!error.message.includes("Quoted-Leak-3"));
      assert.match(catchError(() => readFixtureFile(dir.file("missing.json"))).message, /cannot be read \(ENOENT\)/);
    } finally {
      dir.remove();
    }
  });

  it("the development fixture has every kind of account the journeys need", function () {
    const entries = readFixtureFile(DEV_FIXTURE);
    const byEmail = new Map(entries.map((entry) => [entry.email, entry]));
    const jane = byEmail.get("jane.smith@nhs.net");
    assert.equal(jane?.mobile, "+447700900118");
    assert.ok(jane.totpSecret, "jane has an authenticator app");
    assert.ok(entries.some((e) => e.mobile && !e.totpSecret), "one with a mobile only");
    assert.ok(entries.some((e) => !e.mobile && e.totpSecret), "one with the app only");
    assert.ok(entries.some((e) => !e.mobile && !e.totpSecret), "one with no method");
    assert.ok(entries.some((e) => e.nasManaged && e.organisationType === "Pharmacy" && (e.createdAt ?? "") > "2023-10-05"));
    assert.ok(entries.some((e) => e.temporaryPassword), "one new user with a temporary password");
    assert.ok(entries.every((e) => !e.mobile || /^\+447700900\d{3}$/.test(e.mobile)), "Ofcom drama numbers only");
  });
});

function catchError(run: () => unknown): FixtureError {
  try {
    run();
  } catch (error) {
    if (error instanceof FixtureError) return error;
    throw error;
  }
  assert.fail("expected a FixtureError");
}
