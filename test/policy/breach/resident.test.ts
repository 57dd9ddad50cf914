import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { OfflineBreachIndex, buildIndex } from "../../../src/policy/breach";
import { DATA_OFFSET } from "../../../src/policy/breach/format";
import { residentBytes, slotBits } from "../../../src/policy/breach/resident";
import { TempDir } from "../../support/temp-dir";

async function* lines(items: Iterable<string>): AsyncGenerator<string> {
  for (const item of items) yield await Promise.resolve(item);
}

/** `hex` (40 digits) with bit `bit` (0 = the first) of its SHA-1 flipped. */
function flipBit(hex: string, bit: number): string {
  const bytes = Buffer.from(hex, "hex");
  bytes[bit >>> 3] ^= 0x80 >>> (bit & 7);
  return bytes.toString("hex").toUpperCase();
}

describe("offline breach index held in memory", function () {
  const ENTRIES = 100_000;
  let dir: TempDir;
  let file: string;
  let present: string[];
  before(async function () {
    dir = new TempDir();
    file = dir.file("random.bin");
    present = [...new Set(Array.from({ length: ENTRIES }, () => crypto.randomBytes(20).toString("hex").toUpperCase()))].sort();
    await buildIndex(lines(present.map((h) => `${h}:1`)), file, { format: "hibp" });
  });
  after(function () {
    dir.remove();
  });

  it("answers from disk until the copy is in, then from memory, the same", async function () {
    const index = OfflineBreachIndex.open(file);
    try {
      // The first lookup starts the load and is answered from disk.
      assert.equal(index.hasSha1(present[0]), true);
      assert.equal(index.hasSha1(flipBit(present[0], 63)), false);
      assert.equal(await index.inMemory(), true);
      assert.equal(present.filter((h) => !index.hasSha1(h)).length, 0);
      assert.equal(await index.check("certainly not in a list of random hashes"), "clear");
    } finally {
      await index.close();
    }
  });

  it("compares the first slot bits + 32 bits of the SHA-1: a flip of any of them is not found", async function () {
    const bits = slotBits(present.length) + 32;
    const index = OfflineBreachIndex.open(file);
    const disk = OfflineBreachIndex.open(file, { memoryLimitBytes: 0 });
    try {
      assert.equal(await index.inMemory(), true);
      const known = new Set(present.map((h) => h.slice(0, 16)));
      for (const hash of present.slice(0, 200)) {
        for (let bit = 0; bit < 64; bit++) {
          const probe = flipBit(hash, bit);
          const listed = known.has(probe.slice(0, 16));
          assert.equal(disk.hasSha1(probe), listed, `disk, bit ${bit}`);
          // Beyond the compared bits, the copy cannot tell the probe from the entry: the stated false-match rate.
          assert.equal(index.hasSha1(probe), listed || bit >= bits, `memory, bit ${bit} of ${bits} compared`);
        }
      }
    } finally {
      await index.close();
      await disk.close();
    }
  });

  it("stays on disk when the copy would not fit in the limit, and answers the same", async function () {
    const index = OfflineBreachIndex.open(file, { memoryLimitBytes: residentBytes(present.length) - 1 });
    try {
      assert.equal(index.hasSha1(present[5]), true);
      assert.equal(await index.inMemory(), false);
      assert.equal(present.filter((h) => !index.hasSha1(h)).length, 0);
    } finally {
      await index.close();
    }
  });

  it("keeps a damaged file on disk and says why in a warning that holds no hash", async function () {
    const damaged = dir.file("out-of-order.bin");
    const bytes = fs.readFileSync(file);
    // Swap the first two entries: the offset table still checks out at open, the order does not.
    const first = Buffer.from(bytes.subarray(DATA_OFFSET, DATA_OFFSET + 8));
    bytes.copy(bytes, DATA_OFFSET, DATA_OFFSET + 8, DATA_OFFSET + 16);
    first.copy(bytes, DATA_OFFSET + 8);
    fs.writeFileSync(damaged, bytes);
    const warnings: { obj: object; msg: string }[] = [];
    const index = OfflineBreachIndex.open(damaged, { logger: { warn: (obj, msg) => warnings.push({ obj, msg }) } });
    try {
      assert.equal(await index.inMemory(), false);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0].msg, /could not be held in memory; it is read from disk/);
      assert.deepEqual(warnings[0].obj, { file: damaged, reason: "entry 1 is out of order" });
      assert.equal(index.hasSha1(present[500]), true, "still answers from disk");
    } finally {
      await index.close();
    }
  });

  it("closes cleanly while the copy is loading, and refuses lookups after", async function () {
    const index = OfflineBreachIndex.open(file);
    const loaded = index.inMemory();
    await index.close();
    assert.equal(await loaded, false);
    assert.throws(() => index.hasSha1(present[0]), /closed/);
    await assert.rejects(index.check("x"), /closed/);
  });

  it("sizes the copy at 4 bytes an entry and about 8 entries a slot", function () {
    assert.equal(slotBits(1_261_064), 18);
    assert.equal(slotBits(10_000_000), 20);
    assert.equal(slotBits(2), 1);
    assert.equal(residentBytes(10_000_000), (10_000_000 + 2 ** 20 + 1) * 4);
    assert.ok(residentBytes(14_000_000) <= 64 * 2 ** 20 && residentBytes(16_000_000) > 64 * 2 ** 20);
  });
});
