import assert from "node:assert/strict";
import crypto from "node:crypto";
import { sha1StringWords, sha1Words } from "../../../src/policy/breach/sha1";

const hex = (words: Int32Array): string => Array.from(words, (w) => (w >>> 0).toString(16).padStart(8, "0")).join("");

describe("plain-JS SHA-1", function () {
  it("matches node:crypto for every length 0–300 bytes (one, two and more blocks)", function () {
    const out = new Int32Array(5);
    for (let length = 0; length <= 300; length++) {
      const bytes = crypto.randomBytes(length);
      sha1Words(bytes, length, out);
      assert.equal(hex(out), crypto.createHash("sha1").update(bytes).digest("hex"), `length ${length}`);
    }
  });

  it("hashes strings as UTF-8, lone surrogates as U+FFFD like Buffer does", function () {
    const out = new Int32Array(5);
    const samples = ["", "abc", "Password123", "mañana", "пароль", "密码", "😀x", "\ud800lone"];
    samples.push("x".repeat(5000), "é".repeat(40_000));
    for (const text of samples) {
      sha1StringWords(text, out);
      assert.equal(hex(out), crypto.createHash("sha1").update(text, "utf8").digest("hex"), JSON.stringify(text.slice(0, 20)));
    }
    sha1StringWords("abc", out);
    assert.equal(hex(out), "a9993e364706816aba3e25717850c26c9cd0d89d");
  });
});
