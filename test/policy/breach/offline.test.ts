import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { BreachIndexError, OfflineBreachIndex, buildIndex } from "../../../src/policy/breach";
import { TempDir } from "../../support/temp-dir";

async function* lines(items: Iterable<string>): AsyncGenerator<string> {
  for (const item of items) yield await Promise.resolve(item);
}

describe("offline breach index", function () {
  let dir: TempDir;
  let file: string;
  before(async function () {
    dir = new TempDir();
    file = dir.file("small.bin");
    await buildIndex(lines(["Password123", "letmein"]), file, { format: "passwords" });
  });
  after(function () {
    dir.remove();
  });

  it("says clearly when the file is missing", function () {
    assert.throws(
      () => OfflineBreachIndex.open(dir.file("nope.bin")),
      (error: Error) => error instanceof BreachIndexError && /nope\.bin does not exist/.test(error.message),
    );
  });

  it("refuses a file with a bad magic, a truncated file, or a broken offset table", function () {
    const good = fs.readFileSync(file);
    const bad = dir.file("bad.bin");
    const expectCorrupt = (bytes: Buffer, pattern: RegExp): void => {
      fs.writeFileSync(bad, bytes);
      assert.throws(() => OfflineBreachIndex.open(bad), (e: Error) => e instanceof BreachIndexError && pattern.test(e.message));
    };
    const magic = Buffer.from(good);
    magic.write("NOTINDEX", 0, "ascii");
    expectCorrupt(magic, /is corrupt: not a breach index/);
    expectCorrupt(good.subarray(0, good.length - 3), /is corrupt: .* needs/);
    expectCorrupt(good.subarray(0, 100), /is corrupt: .*shorter than the header/);
    const table = Buffer.from(good);
    table.writeUInt32LE(7, 32 + 8 * 1000);
    expectCorrupt(table, /is corrupt: offset table/);
    const version = Buffer.from(good);
    version.writeUInt32LE(9, 8);
    expectCorrupt(version, /format version 9/);
  });

  it("rejects anything but 40 hex digits in hasSha1, and refuses lookups after close", async function () {
    const index = OfflineBreachIndex.open(file);
    assert.equal(index.entries, 2);
    assert.throws(() => index.hasSha1("abc"), TypeError);
    assert.throws(() => index.hasSha1("Z".repeat(40)), TypeError);
    await index.close();
    await assert.rejects(index.check("Password123"), /closed/);
    assert.throws(() => index.hasSha1("0".repeat(40)), /closed/);
  });

  it("narrows a bucket larger than one read with positioned reads (a crafted 20k-entry bucket)", async function () {
    // 20k hashes whose first 20 bits are the same, so all land in one bucket.
    const hashes: string[] = [];
    for (let i = 0; i < 20_000; i++) hashes.push(`ABCDE${crypto.randomBytes(18).toString("hex").toUpperCase().slice(0, 35)}`);
    const present = [...new Set(hashes)].sort();
    const big = dir.file("big-bucket.bin");
    const result = await buildIndex(lines(present.map((h) => `${h}:2`)), big, { format: "hibp" });
    assert.equal(result.entries, present.length);
    const index = OfflineBreachIndex.open(big, { memoryLimitBytes: 0 });
    try {
      assert.equal(present.filter((h) => !index.hasSha1(h)).length, 0);
      const known = new Set(present.map((h) => h.slice(0, 16)));
      let falsePositives = 0;
      for (let i = 0; i < 5000; i++) {
        const probe = `ABCDE${crypto.randomBytes(18).toString("hex").toUpperCase().slice(0, 35)}`;
        if (!known.has(probe.slice(0, 16)) && index.hasSha1(probe)) falsePositives++;
      }
      assert.equal(falsePositives, 0);
      assert.equal(index.hasSha1(`ABCDE${"0".repeat(35)}`), known.has(`ABCDE${"0".repeat(11)}`));
      assert.equal(index.hasSha1(`ABCDF${"0".repeat(35)}`), false);
    } finally {
      await index.close();
    }
  });

  it("answers the same held in memory, with the coarse table, and with every slot read from disk, at every bucket edge", async function () {
    // 60k random hashes: with the coarse table, a lookup searches several buckets at once.
    const present = [...new Set(Array.from({ length: 60_000 }, () => crypto.randomBytes(20).toString("hex").toUpperCase()))].sort();
    const file60k = dir.file("random-60k.bin");
    await buildIndex(lines(present.map((h) => `${h}:1`)), file60k, { format: "hibp" });
    const memory = OfflineBreachIndex.open(file60k);
    const coarse = OfflineBreachIndex.open(file60k, { memoryLimitBytes: 0 });
    const disk = OfflineBreachIndex.open(file60k, { coarseTable: false, memoryLimitBytes: 0 });
    try {
      assert.equal(await memory.inMemory(), true);
      assert.equal(await coarse.inMemory(), false);
      const probes = [...present, ...Array.from({ length: 20_000 }, () => crypto.randomBytes(20).toString("hex").toUpperCase())];
      // The first and last possible key of buckets spread over the whole range (bucket = the first 20 bits).
      for (let bucket = 0; bucket < 2 ** 20; bucket += 4099) {
        const prefix = bucket.toString(16).toUpperCase().padStart(5, "0");
        probes.push(prefix + "0".repeat(35), prefix + "F".repeat(35));
      }
      probes.push("0".repeat(40), "F".repeat(40));
      const known = new Set(present.map((h) => h.slice(0, 16)));
      for (const probe of probes) {
        const expected = known.has(probe.slice(0, 16));
        assert.equal(memory.hasSha1(probe), expected, `memory ${probe}`);
        assert.equal(coarse.hasSha1(probe), expected, `coarse ${probe}`);
        assert.equal(disk.hasSha1(probe), expected, `disk ${probe}`);
      }
    } finally {
      await memory.close();
      await coarse.close();
      await disk.close();
    }
  });

  it("handles an empty index", async function () {
    const empty = dir.file("empty.bin");
    assert.equal((await buildIndex(lines([]), empty, { format: "hibp" })).entries, 0);
    const index = OfflineBreachIndex.open(empty);
    assert.equal(await index.check("anything"), "clear");
    assert.equal(index.hasSha1("F".repeat(40)), false);
    await index.close();
  });
});
