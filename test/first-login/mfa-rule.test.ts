import assert from "node:assert/strict";
import { MFA_DEFAULT_FROM, mfaRequirement } from "../../src/first-login/mfa-rule";

/** Every organisation type the directory knows, and none at all. */
const TYPES: ReadonlyArray<{ type: string | undefined; exemptWhenNas: boolean }> = [
  { type: "NHS Trust", exemptWhenNas: false },
  { type: "GP Practice", exemptWhenNas: false },
  { type: "Pharmacy", exemptWhenNas: true },
  { type: "Optometry", exemptWhenNas: true },
  { type: "Dentistry", exemptWhenNas: true },
  { type: "Social Care", exemptWhenNas: true },
  { type: undefined, exemptWhenNas: false },
];

/** Creation times around the boundary: midnight of 5 October 2023 in the UK is 23:00 on the 4th in UTC (BST). */
const TIMES: ReadonlyArray<{ at: string; onOrAfter: boolean; name: string }> = [
  { at: "2019-04-01T09:00:00Z", onOrAfter: false, name: "years before" },
  { at: "2023-10-04T22:59:59Z", onOrAfter: false, name: "one second before" },
  { at: "2023-10-04T23:00:00Z", onOrAfter: true, name: "on 5 October UK time" },
  { at: "2023-10-05T12:00:00+01:00", onOrAfter: true, name: "during 5 October" },
  { at: "2026-11-16T09:00:00Z", onOrAfter: true, name: "years after" },
];

const NAS: ReadonlyArray<boolean | undefined> = [true, false, undefined];

describe("mfaRequirement: the NHSmail rule", () => {
  it("starts on 5 October 2023, UK time", () => {
    assert.equal(new Date(MFA_DEFAULT_FROM).toLocaleString("en-GB", { timeZone: "Europe/London" }), "05/10/2023, 00:00:00");
  });

  for (const { type, exemptWhenNas } of TYPES) {
    for (const nasManaged of NAS) {
      for (const time of TIMES) {
        const required = time.onOrAfter && !(exemptWhenNas && nasManaged === true);
        const name = `${type ?? "no organisation type"}, ${nasManaged === undefined ? "NAS unknown" : nasManaged ? "NAS-managed" : "not NAS-managed"}, created ${time.name}: ${required ? "required" : "optional"}`;
        it(name, () => {
          const verdict = mfaRequirement({ createdAt: time.at, organisationType: type, nasManaged });
          assert.equal(verdict.required, required);
          if (required) {
            assert.match(verdict.reason, /MFA is required for your account/);
          } else if (!time.onOrAfter) {
            assert.match(verdict.reason, /optional for your account \(created before 5 October 2023\)/);
          } else {
            assert.equal(verdict.reason, `MFA is optional for ${type} users managed by the National Administration Service, but we strongly recommend it.`);
          }
        });
      }
    }
  }

  it("reads the organisation type whatever its case and spacing", () => {
    for (const type of ["pharmacy", " PHARMACY ", "social care", "Social  Care"]) {
      const verdict = mfaRequirement({ createdAt: "2024-01-01T00:00:00Z", organisationType: type, nasManaged: true });
      // "Social  Care" (two spaces) is not the type: it falls back to the safe answer.
      assert.equal(verdict.required, type === "Social  Care", type);
    }
  });

  it("does not exempt a type that merely contains an exempt word", () => {
    for (const type of ["Pharmacy Wholesale", "Community Dentistry Trust", "Care"]) {
      assert.equal(mfaRequirement({ createdAt: "2024-01-01T00:00:00Z", organisationType: type, nasManaged: true }).required, true, type);
    }
  });

  it("names the exempt type as the directory spells it, whatever the account's spelling", () => {
    const verdict = mfaRequirement({ createdAt: "2024-01-01T00:00:00Z", organisationType: "optometry", nasManaged: true });
    assert.match(verdict.reason, /^MFA is optional for Optometry users/);
  });

  it("treats an unreadable creation date as new: MFA required", () => {
    assert.equal(mfaRequirement({ createdAt: "not a date", organisationType: "NHS Trust" }).required, true);
  });
});
