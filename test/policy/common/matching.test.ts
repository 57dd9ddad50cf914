import assert from "node:assert/strict";
import { CommonPasswordDetector } from "../../../src/policy/common";
import { coreOf } from "../../../src/policy/common/derive";
import { HashSet64, hashCodePoints } from "../../../src/policy/common/hash-set";
import { foldText, normalise } from "../../../src/policy/common/normalise";

/** A detector over a few terms and list entries, so that each rule can be seen on its own. */
function detectorWith(terms: string[], entries: string[] = []): CommonPasswordDetector {
  const hashes = entries.map((entry) => hashCodePoints(normalise(entry).folded));
  return CommonPasswordDetector.fromData(terms, new HashSet64(HashSet64.encode(hashes)));
}

describe("common passwords: matching rules", () => {
  describe("normalisation", () => {
    const table: Array<[string, string]> = [
      ["P@ssw0rd", "password"],
      ["W1NTER", "wlnter"],
      ["$umm3r!", "summerl"],
      ["Ｗｉｎｔｅｒ", "wlnter"],
      ["Crème", "creme"],
      ["раss", "pass"],
      ["7+|", "ttl"],
    ];
    for (const [input, folded] of table) it(`${input} → ${folded}`, () => assert.equal(foldText(input), folded));

    it("counts code points, not UTF-16 units", () => assert.equal(normalise("😀a😀").length, 3));
  });

  describe("base words of list entries", () => {
    const table: Array<[string, string | undefined]> = [
      ["P@ssw0rd123!", "password"],
      ["123winter2018", "wlnter"],
      ["!!!", undefined],
      ["abc2def", undefined],
      ["pass word", undefined],
    ];
    for (const [entry, core] of table) it(`${entry} → ${String(core)}`, () => assert.equal(coreOf(entry), core));
  });

  describe("banned terms and edit distance 1", () => {
    const detector = detectorWith(["password", "spleens", "love", "nhs"]);
    const table: Array<[string, string, number]> = [
      ["exact, in the middle", "xxpasswordxx", 5],
      ["a missing letter", "pasword", 1],
      ["a missing last letter", "passwor", 1],
      ["a different letter", "passwurd", 1],
      ["a different first letter", "bassword", 1],
      ["an extra letter", "passwoord", 1],
      ["two edits are not a match", "paxxword", 8],
      ["an extra character at the edge is not absorbed", "xpassword", 2],
      ["a separator does not stand in for a letter", "spleen-", 2],
      ["a short term matches exactly", "love", 1],
      ["a short term does not match with an edit", "lovx", 4],
      ["a three-letter curated term", "nhs", 1],
      ["substitutions undone before matching", "L0V3", 1],
    ];
    for (const [name, password, score] of table) {
      it(`${name}: ${password} scores ${score}`, () => assert.equal(detector.check(password).score, score));
    }
  });

  describe("patterns count one point each", () => {
    const detector = detectorWith([]);
    const table: Array<[string, string, number]> = [
      ["a year", "2024", 1],
      ["not a year", "2150", 4],
      ["an ascending sequence", "123456", 1],
      ["a descending letter sequence", "zyxw", 1],
      ["shifted digits", "!@#$", 1],
      ["a run", "!!!!", 1],
      ["two of a kind is not a run", "!!", 2],
      ["a date ddmmyy", "311299", 1],
      ["a date yyyymmdd", "19901231", 1],
      ["a repeated block", "x7k2x7k2", 5],
      ["a block repeated three times", "x7k2x7k2x7k2", 5],
    ];
    for (const [name, password, score] of table) {
      it(`${name}: ${password} scores ${score}`, () => assert.equal(detector.check(password).score, score));
    }
  });

  describe("the common list", () => {
    const detector = detectorWith([], ["trustno1", "qazxswedc"]);
    it("matches the whole password", () => {
      assert.deepEqual(detector.check("TrustNo1"), { common: true, score: 1, reasons: ["common-list"] });
    });
    it("matches the core inside digits and symbols", () => assert.equal(detector.check("2024Trustno1!").score, 3));
    it("matches after substitutions are undone", () => assert.equal(detector.check("q@zxswedc").score, 1));
    it("does not match inside letters", () => assert.equal(detector.check("xtrustno1").score, 9));
  });

  describe("personal terms", () => {
    const detector = detectorWith([]);
    it("matches the last name as a substring", () => {
      const result = detector.check("zzOkonkwozz", { lastName: "Okonkwo" });
      assert.equal(result.score, 5);
    });
    it("splits the email local part, and also runs it together", () => {
      assert.equal(detector.check("smith", { email: "j.smith@nhs.net" }).score, 1);
      assert.equal(detector.check("smithj", { email: "j.smith@nhs.net" }).score, 2);
      assert.equal(detector.check("jsmith", { email: "j.smith@nhs.net" }).score, 1);
    });
    it("uses every word of the organisation", () => {
      assert.equal(detector.check("hospitalsleeds", { organisation: "Leeds Teaching Hospitals" }).score, 2);
    });
    it("reports personal-info first", () => {
      assert.deepEqual(detector.check("Okonkwo1!", { lastName: "Okonkwo" }).reasons, ["personal-info"]);
    });
  });
});
