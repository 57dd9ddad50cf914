import assert from "node:assert/strict";
import { fakeHint, maskedHint, normaliseUkMobile, phoneMatches } from "../../src/verification/phone";
import { testHmac } from "./support";

const REGISTERED = "+447700900118";

describe("UK mobile numbers as people type them", function () {
  const sameNumber = [
    "+447700900118",
    "+4407700900118",
    "+440 7700 900118",
    "+44 (0) 7700 900118",
    "+44 (0)7700 900118",
    "+44 7700-900-118",
    "07700 900118",
    "07700-900-118",
    "(07700) 900118",
    "07700.900.118",
    "0 7 7 0 0 9 0 0 1 1 8",
    "07700\t900118",
    "07700\u00a0900118",
    "  07700 900118  ",
    "0044 7700 900118",
    "00440 7700 900118",
    "447700900118",
    "7700 900118",
  ];
  for (const typed of sameNumber) {
    it(`reads ${JSON.stringify(typed)} as ${REGISTERED} and matches it`, function () {
      assert.equal(normaliseUkMobile(typed), REGISTERED);
      assert.equal(phoneMatches(typed, REGISTERED), true);
    });
  }

  const refused: Array<[string, string]> = [
    ["+33 6 12 34 56 78", "a French mobile"],
    ["0033 6 12 34 56 78", "a French mobile with 00"],
    ["+1 202 555 0143", "a US number"],
    ["01234 567890", "a UK landline"],
    ["+441234567890", "a UK landline in E.164"],
    ["020 7946 0018", "a London number"],
    ["07700 90011", "too few digits"],
    ["077009001180", "too many digits"],
    ["07700 9OO118", "letters O for zeros"],
    ["seven seven double oh", "words"],
    ["tel:07700900118", "a URI"],
    ["call 07700 900118", "free text"],
    ["07700+900118", "a plus inside"],
    ["++447700900118", "two pluses"],
    ["", "nothing"],
    ["   ", "spaces only"],
  ];
  for (const [typed, what] of refused) {
    it(`refuses ${what} (${JSON.stringify(typed)})`, function () {
      assert.equal(normaliseUkMobile(typed), undefined);
      assert.equal(phoneMatches(typed, REGISTERED), false);
    });
  }

  const otherMobiles: Array<[string, string]> = [
    ["07700 900119", "the last digit differs"],
    ["07700 900181", "two digits swapped"],
    ["07911 123456", "another mobile"],
    ["+447700900117", "a neighbour in E.164"],
  ];
  for (const [typed, what] of otherMobiles) {
    it(`does not match when ${what} (${typed})`, function () {
      assert.notEqual(normaliseUkMobile(typed), undefined);
      assert.equal(phoneMatches(typed, REGISTERED), false);
    });
  }

  it("accepts the registered number in any UK form, and never matches an unusable one", function () {
    assert.equal(phoneMatches("+447700900118", "07700 900118"), true);
    assert.equal(phoneMatches("07700 900118", "not a number"), false);
    assert.equal(phoneMatches("not a number", "not a number"), false);
  });
});

describe("phone hints", function () {
  it("shows five asterisks and the last two digits, as the NHSmail guide does", function () {
    assert.equal(maskedHint(REGISTERED), "*****18");
    assert.equal(maskedHint("+447911123405"), "*****05");
  });

  it("gives an unknown address the same plausible hint every time, whatever its case", function () {
    const hmac = testHmac();
    const hint = fakeHint("nobody.here@nhs.net", hmac);
    assert.match(hint, /^\*{5}\d{2}$/);
    assert.equal(fakeHint("nobody.here@nhs.net", hmac), hint);
    assert.equal(fakeHint(" Nobody.Here@NHS.net ", hmac), hint);
  });

  it("spreads hints over the two-digit endings and depends on the key", function () {
    const emails = Array.from({ length: 300 }, (_, i) => `user${i}@nhs.net`);
    const hints = new Set(emails.map((email) => fakeHint(email, testHmac())));
    assert.ok(hints.size >= 80, `only ${hints.size} different hints`);
    const otherKey = emails.filter((email) => fakeHint(email, testHmac("another key")) !== fakeHint(email, testHmac()));
    assert.ok(otherKey.length > 250);
  });
});
