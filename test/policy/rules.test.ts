import assert from "node:assert/strict";
import { characterCount, checkText } from "../../src/policy/rules";
import type { RuleId } from "../../src/policy/rules";

const failed = (password: string): RuleId[] => checkText(password).map((f) => f.rule);

describe("password text rules", () => {
  describe("length, in code points after NFC", () => {
    const table: Array<[string, string, number]> = [
      ["9 letters", "abcdefghi", 9],
      ["10 letters", "abcdefghij", 10],
      ["an emoji is one character", "abcdefghi😀", 10],
      ["e + combining acute is one character", "abcdefgh" + "e\u0301", 9],
      ["precomposed é is one character", "abcdefghi\u00e9", 10],
      ["CJK characters count one each", "密码密码密码密码密码", 10],
    ];
    for (const [name, password, count] of table) {
      it(`${name}: ${count}`, () => assert.equal(characterCount(password), count));
    }

    it("refuses 9 and accepts 10", () => {
      assert.deepEqual(failed("abcdefghi"), ["min-length"]);
      assert.deepEqual(failed("abcdefghij"), []);
    });

    it("does not count a combining mark as a character of its own", () => {
      assert.deepEqual(failed("abcdefgh" + "e\u0301"), ["min-length"]);
      assert.deepEqual(failed("abcdefghi" + "e\u0301"), []);
    });

    it("accepts 256 and refuses 257, with its own message", () => {
      assert.deepEqual(failed("a".repeat(256)), []);
      const tooLong = checkText("a".repeat(257));
      assert.deepEqual(tooLong.map((f) => f.rule), ["max-length"]);
      assert.match(tooLong[0].message, /no more than 256 characters/);
    });

    it("needs no mix of character types", () => assert.deepEqual(failed("alllowercaseletters"), []));

    it("says how many characters to add", () => assert.match(checkText("short")[0].message, /add 5 more/));
  });

  describe("the '£' sign", () => {
    const base = "abcdefghijkl";
    for (let at = 0; at <= base.length; at++) {
      it(`is refused at position ${at}`, () => assert.ok(failed(base.slice(0, at) + "£" + base.slice(at)).includes("no-pound-sign")));
    }
    it("is refused however many times it appears, with one message", () => {
      assert.equal(checkText("££££££££££££").filter((f) => f.rule === "no-pound-sign").length, 1);
    });
    it("does not refuse other currency signs", () => assert.deepEqual(failed("costs $5 or €5 now"), []));
  });

  describe("invisible characters", () => {
    const table: Array<[string, string, RuleId[]]> = [
      ["a tab inside", "abcde\tfghijk", ["no-control-characters"]],
      ["a line break inside", "abcde\nfghijk", ["no-control-characters"]],
      ["a NUL", "abcde\u0000fghijk", ["no-control-characters"]],
      ["a leading space", " abcdefghijk", ["no-edge-spaces"]],
      ["a trailing space", "abcdefghijk ", ["no-edge-spaces"]],
      ["a trailing non-breaking space", "abcdefghijk\u00a0", ["no-edge-spaces"]],
      ["a leading zero-width space", "\u200babcdefghijk", ["no-edge-spaces"]],
      ["a trailing line break", "abcdefghijk\n", ["no-control-characters", "no-edge-spaces"]],
      ["spaces inside a passphrase", "correct horse battery staple", []],
      ["an emoji made with a zero-width joiner", "my laptop 👩‍💻 rocks", []],
    ];
    for (const [name, password, rules] of table) {
      it(`${name} → ${rules.join(", ") || "ok"}`, () => assert.deepEqual(failed(password), rules));
    }
  });

  it("reports every failure, not only the first", () => {
    assert.deepEqual(failed(" £\t"), ["min-length", "no-pound-sign", "no-control-characters", "no-edge-spaces"]);
  });
});
