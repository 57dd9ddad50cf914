import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { CommonPasswordDetector, MIN_SCORE } from "../../../src/policy/common";
import type { CommonPasswordReason, PasswordContext } from "../../../src/policy/common";

const PRINTABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%^&*()-_=+[]{};:,.<>/?~@$ ";

function randomString(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += PRINTABLE[randomInt(PRINTABLE.length)];
  return out;
}

/** Generated once with node:crypto; each scores exactly its length (nothing in it matches anything). */
const RANDOM = [
  "5x8=^vD>Q,W&mGC9",
  "{8}bo_-jPm9+=mFqz<e6",
  "pfjW0e?Nc(~;t6J5q(NETc&E",
  "=_l#~t%vEs+WzKBX5cBRJzJiM~bT",
  "p/4.yNkpa37R0*_>_880[*CpQAB>pU+2",
  "&#>FP!)#JjT^IxQkYA1~y~UTR2TJwS})cBPFx1Fr",
  "hTwIz3e49iRfNJW1",
  "kbsC5Tk650JKx00eaZxMagx-",
  "LDkhehXvONCnKQwdPdux0rD_bl6chTsh",
];

describe("common passwords (Entra-style)", function () {
  this.timeout(60_000);
  let detector: CommonPasswordDetector;
  before(() => {
    detector = CommonPasswordDetector.load();
  });

  describe("refuses the issue's examples", () => {
    for (const password of ["Password123", "Winter2018", "P@ssw0rd2024", "Summer2025!", "Welcome12345", "NHSmail2024!", "Qwerty123456"]) {
      it(password, () => {
        const result = detector.check(password);
        assert.equal(result.common, true, `score ${result.score}`);
        assert.ok(result.score < MIN_SCORE);
        assert.ok(result.reasons.length > 0);
      });
    }
  });

  describe("refuses variants", () => {
    const table: Array<[string, string]> = [
      ["upper case", "PASSWORD123"],
      ["mixed case and a symbol", "pAsSwOrD123!"],
      ["leet", "P4$$w0rd2023"],
      ["leet with !", "Pa55w0rd!"],
      ["full-width letters (NFKC)", "ＰＡＳＳＷＯＲＤ１２３"],
      ["accents", "Pässwörd123"],
      ["Cyrillic look-alikes", "раssword123"],
      ["a missing letter", "Pasword123!"],
      ["a different letter", "Passwurd2024"],
      ["an extra letter", "Passwoord2024"],
      ["a space inside", "Pass word 123"],
      ["season and year with leet", "W1nter2018!"],
      ["season, year, two symbols", "Summer2025!!"],
      ["autumn", "Autumn2019!"],
      ["month and year", "September2023!"],
      ["short month", "Sept2024!!"],
      ["day and digits", "Tuesday!2024"],
      ["day and date", "Monday01011990"],
      ["keyboard walk", "Qwertyuiop1!"],
      ["keyboard walk with digits", "Asdfghjkl123"],
      ["column walk", "1qaz2wsx!QAZ"],
      ["nhs.net", "nhs.net2024!"],
      ["NHSnet", "NHSnet2024!!"],
      ["NHS and welcome", "Welcome2NHS!"],
      ["hospital", "Hospital2024!"],
      ["nurse", "Nurse2024!!!"],
      ["letmein", "Letmein123!"],
      ["iloveyou", "ILoveYou2024"],
      ["a repeated password", "Summer2025Summer2025"],
      ["one word repeated", "passwordpasswordpasswordpassword"],
      ["one character repeated", "a".repeat(256)],
      ["a digit sequence", "12345678910"],
      ["shifted digits", "!@#$%^&*()"],
    ];
    for (const [name, password] of table) {
      const shown = password.length > 40 ? `${password.slice(0, 16)}… (${password.length})` : password;
      it(`${name}: ${shown}`, () => assert.equal(detector.check(password).common, true, `score ${detector.check(password).score}`));
    }
  });

  describe("the person's own details", () => {
    const context: PasswordContext = {
      firstName: "Chidi",
      lastName: "Okonkwo",
      email: "chidi.okonkwo2@nhs.net",
      organisation: "Leeds Teaching Hospitals NHS Trust",
    };
    const table: Array<[string, string, PasswordContext]> = [
      ["the surname and a year", "Okonkwo2024!!", { lastName: "Okonkwo" }],
      ["the surname inside a longer password with few other points", "MyOkonkwo2024", { lastName: "Okonkwo" }],
      ["the surname in leet", "0k0nkw0#2024", { lastName: "Okonkwo" }],
      ["first and last name", "Chidi!Okonkwo1", context],
      ["the email local part", "chidiokonkwo99", { email: "chidi.okonkwo@nhs.net" }],
      ["an organisation word", "Teaching2024!", context],
    ];
    for (const [name, password, ctx] of table) {
      it(`refuses ${name}`, () => {
        const result = detector.check(password, ctx);
        assert.equal(result.common, true, `score ${result.score}`);
        assert.equal(result.reasons[0], "personal-info");
      });
    }

    it("needs the context to refuse a name that is not a common word", () => {
      assert.equal(detector.check("MyOkonkwo2024").common, false);
      assert.equal(detector.check("MyOkonkwo2024", { lastName: "Okonkwo" }).common, true);
    });

    it("ignores names shorter than four letters, as Entra does", () => {
      assert.equal(detector.check("Ng7#kQ2!vZ", { lastName: "Ng" }).common, false);
    });

    it("accepts a name among enough other characters", () => {
      assert.equal(detector.check("Okonkwo tangerine valves", context).common, false);
    });
  });

  describe("accepts strong passwords", () => {
    for (const password of RANDOM) {
      it(`random: ${password}`, () => assert.equal(detector.check(password).common, false));
    }
    const passphrases = ["correct-orbit-lantern-gravy", "Marmalade tiger seventeen canals", "velvet quarry oboe lichen", "Tr0ub4dor&3 is not required"];
    for (const password of passphrases) {
      it(`passphrase: ${password}`, () => assert.equal(detector.check(password).common, false));
    }

    it("accepts 500 fresh random strings of 16 to 40 characters", () => {
      for (let i = 0; i < 500; i++) {
        const password = randomString(randomInt(16, 41));
        assert.equal(detector.check(password).common, false, password);
      }
    });

    it("accepts a 256-character random string", () => {
      const result = detector.check(randomString(256));
      assert.equal(result.common, false);
      assert.ok(result.score > 200, `score ${result.score}`);
    });
  });

  describe("score semantics", () => {
    it("scores a random string with nothing in it at its length", () => {
      for (const password of RANDOM) assert.equal(detector.check(password).score, [...password].length, password);
    });

    it("scores Password123 below 5, as one list entry", () => {
      assert.deepEqual(detector.check("Password123"), { common: true, score: 1, reasons: ["common-list"] });
    });

    it("scores a banned word, a year and a symbol at 3", () => {
      const result = detector.check("Summer2025!");
      assert.equal(result.score, 3);
      assert.deepEqual(result.reasons, ["banned-word"] satisfies CommonPasswordReason[]);
    });

    it("passes at exactly 5 points and refuses at 4", () => {
      assert.equal(detector.check("Summer2025!#%").score, 5);
      assert.equal(detector.check("Summer2025!#%").common, false);
      assert.equal(detector.check("Summer2025!#").common, true);
    });

    it("gives no reasons for a password that is not common", () => {
      assert.deepEqual(detector.check("correct-orbit-lantern-gravy").reasons, []);
    });

    it("scores the empty string 0", () => assert.equal(detector.check("").score, 0));
  });

  describe("Unicode input does not throw", () => {
    const inputs = ["😀😀😀😀😀😀😀😀😀😀", "e\u0301".repeat(20), "密码密码密码密码密码", "パスワード2024!", "\u0130stanbul2024", "ß".repeat(12), "\uD800abc", "\u0000\u0001", "👩🏽‍⚕️ nurse on ward 7 👩🏽‍⚕️"];
    for (const input of inputs) {
      it(JSON.stringify(input), () => {
        const result = detector.check(input, { lastName: "Ünal", organisation: "病院" });
        assert.equal(typeof result.score, "number");
        assert.ok(Number.isFinite(result.score));
      });
    }
  });
});
