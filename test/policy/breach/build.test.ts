import assert from "node:assert/strict";
import fs from "node:fs";
import { Readable } from "node:stream";
import { OfflineBreachIndex, buildIndex } from "../../../src/policy/breach";
import { TempDir } from "../../support/temp-dir";
import { absentHashes, chunkedStream, randomSortedHashes, sha1Hex } from "./corpus";

async function* lines(items: string[]): AsyncGenerator<string> {
  for (const item of items) yield await Promise.resolve(item);
}

describe("breach index builder", function () {
  let dir: TempDir;
  beforeEach(function () {
    dir = new TempDir();
  });
  afterEach(function () {
    dir.remove();
  });

  it("round-trips 200k HIBP lines with 0 false negatives, skipping count 0, and finds none of 200k absent hashes", async function () {
    const hashes = randomSortedHashes(220_000);
    const zero = new Set(hashes.filter((_, i) => i % 11 === 0));
    const text = hashes.map((h, i) => `${h}:${zero.has(h) ? 0 : i + 1}\r\n`).join("");
    const file = dir.file("hibp.bin");
    const result = await buildIndex(chunkedStream(text, 997), file, { format: "hibp" });
    assert.equal(result.entries, hashes.length - zero.size);
    const index = OfflineBreachIndex.open(file);
    try {
      assert.equal(index.entries, result.entries);
      let missed = 0;
      let zeroFound = 0;
      for (const hash of hashes) {
        const found = index.hasSha1(hash);
        if (zero.has(hash)) zeroFound += found ? 1 : 0;
        else missed += found ? 0 : 1;
      }
      assert.equal(missed, 0, "false negatives");
      assert.equal(zeroFound, 0, "count-0 lines must not be indexed");
      const absent = absentHashes(200_000, new Set(hashes));
      assert.equal(absent.filter((h) => index.hasSha1(h)).length, 0, "absent hashes found");
      assert.equal(index.hasSha1(hashes[1].toLowerCase()), true, "lower-case hex is accepted");
    } finally {
      await index.close();
    }
    assert.deepEqual(fs.readdirSync(dir.path), ["hibp.bin"], "no temporary file is left");
  });

  it("stops at the first line out of hash order, naming it, and leaves no file", async function () {
    const hashes = randomSortedHashes(1000);
    [hashes[500], hashes[501]] = [hashes[501], hashes[500]];
    const text = hashes.map((h) => `${h}:3\n`).join("");
    const file = dir.file("bad.bin");
    await assert.rejects(buildIndex(chunkedStream(text, 4096), file, { format: "hibp" }), /line 502: not in hash order/);
    assert.deepEqual(fs.readdirSync(dir.path), []);
  });

  it("rejects malformed HIBP lines with their line number, and accepts bare hashes and blank lines", async function () {
    const [a, b] = randomSortedHashes(2);
    const file = dir.file("x.bin");
    await assert.rejects(buildIndex(lines([`${a}:1`, "nonsense"]), file, { format: "hibp" }), /line 2: expected 40 hex/);
    await assert.rejects(buildIndex(lines([`${a}:1x`]), file, { format: "hibp" }), /line 1: expected HASH:count/);
    await assert.rejects(buildIndex(lines([`${a}:`]), file, { format: "hibp" }), /line 1: expected HASH:count/);
    const ok = await buildIndex(lines([a, "", `${b}:000`, ""]), file, { format: "hibp" });
    assert.equal(ok.entries, 1);
  });

  it("dedupes repeated hashes and hashes sharing an 8-byte prefix", async function () {
    const base = "0123456789ABCDEF";
    const input = [`${base}${"0".repeat(24)}:1`, `${base}${"0".repeat(24)}:1`, `${base}${"1".repeat(24)}:5`];
    const file = dir.file("dup.bin");
    assert.equal((await buildIndex(lines(input), file, { format: "hibp" })).entries, 1);
    const index = OfflineBreachIndex.open(file);
    assert.equal(index.hasSha1(`${base}${"F".repeat(24)}`), true, "an 8-byte prefix match counts (false positive ~n/2^64)");
    await index.close();
  });

  it("indexes a plain password list exactly as listed (CRLF, UTF-8, empty lines skipped, no case folding)", async function () {
    const list = "Password123\r\npassword\r\n\r\nmañana2024\npässwörd\n\nlast-without-newline";
    const file = dir.file("pw.bin");
    const result = await buildIndex(Readable.from([Buffer.from(list, "utf8")]), file, { format: "passwords" });
    assert.equal(result.entries, 5);
    const index = OfflineBreachIndex.open(file);
    try {
      for (const pw of ["Password123", "password", "mañana2024", "pässwörd", "last-without-newline"]) {
        assert.equal(await index.check(pw), "breached", pw);
        assert.equal(index.hasSha1(sha1Hex(pw)), true, pw);
      }
      for (const pw of ["PASSWORD123", "password123", "Password123\r", "", "mañana2024 "]) {
        assert.equal(await index.check(pw), "clear", JSON.stringify(pw));
      }
    } finally {
      await index.close();
    }
  });

  it("takes an async iterable of lines for the passwords format", async function () {
    const file = dir.file("it.bin");
    const result = await buildIndex(lines(["alpha", "beta", "alpha"]), file, { format: "passwords" });
    assert.equal(result.entries, 2);
    assert.ok(result.seconds >= 0);
  });
});
