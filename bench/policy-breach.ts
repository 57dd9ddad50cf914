/**
 * Offline breach index figures: streaming build speed from Have I Been Pwned-format text, file size, lookups per
 * second (synchronous `hasSha1` and async `check`) held in memory and read from disk, and process memory after
 * opening a 1 M- and a 10 M-entry index and once it is held in memory. Prints figures; asserts nothing.
 * Run alone with `npx tsx bench/policy-breach.ts`. Temporary files go to the OS temp folder and are removed.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { DEFAULT_BREACH_MEMORY_MB, OfflineBreachIndex, buildDefaultIndex, buildIndex } from "../src/policy/breach";

const PASSWORDS = 500_000;
const HEX = Buffer.from("0123456789ABCDEF", "ascii");
const TWO_32 = 2 ** 32;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const rssMiB = (): number => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss / 2 ** 20;
};
const fmt = (n: number, digits = 2): string => n.toFixed(digits);

function hexWord(out: Buffer, at: number, word: number): void {
  for (let i = 0; i < 8; i++) out[at + i] = HEX[(word >>> (28 - 4 * i)) & 15];
}

/**
 * Writes `total` SHA-1s in hash order as `HASH:count` lines: the hashes of `passwords` (sorted digests) merged
 * into random ones spread evenly over the hash space — generated as it goes, never held as an array.
 */
function writeCorpus(file: string, total: number, passwords: Buffer[]): void {
  const fd = fs.openSync(file, "w");
  const out = Buffer.allocUnsafe(4 << 20);
  const random = new Uint32Array(6 * 65_536);
  let at = 0;
  let r = random.length;
  let p = 0;
  const randomCount = total - passwords.length;
  const step = TWO_32 / randomCount;
  const line = (w0: number, w1: number, w2: number, w3: number, w4: number, count: number): void => {
    if (out.length - at < 64) {
      fs.writeSync(fd, out, 0, at);
      at = 0;
    }
    hexWord(out, at, w0);
    hexWord(out, at + 8, w1);
    hexWord(out, at + 16, w2);
    hexWord(out, at + 24, w3);
    hexWord(out, at + 32, w4);
    at += 40;
    out[at++] = 0x3a;
    at += out.write(String(count), at, "ascii");
    out[at++] = 0x0a;
  };
  const words = (d: Buffer): number[] => [0, 4, 8, 12, 16].map((o) => d.readUInt32BE(o));
  for (let i = 0; i < randomCount; i++) {
    if (r + 6 > random.length) {
      crypto.randomFillSync(random);
      r = 0;
    }
    const w0 = Math.floor(i * step) + Math.floor((random[r] / TWO_32) * Math.floor(step));
    const g = [w0, random[r + 1], random[r + 2], random[r + 3], random[r + 4]];
    const count = 1 + (random[r + 5] & 4095);
    r += 6;
    while (p < passwords.length) {
      const w = words(passwords[p]);
      const k = w.findIndex((v, j) => v !== g[j]);
      if (k < 0 || w[k] > g[k]) break;
      line(w[0], w[1], w[2], w[3], w[4], 1 + (p % 97));
      p++;
    }
    line(g[0], g[1], g[2], g[3], g[4], count);
  }
  for (; p < passwords.length; p++) {
    const w = words(passwords[p]);
    line(w[0], w[1], w[2], w[3], w[4], 1);
  }
  fs.writeSync(fd, out, 0, at);
  fs.closeSync(fd);
}

/** Times `hasSha1` over `hex` and `check()` over `passwords` (after a warm-up) and prints both rates. */
async function timeLookups(index: OfflineBreachIndex, hex: string[], passwords: string[], label: string): Promise<number> {
  for (let i = 0; i < 20_000; i++) index.hasSha1(hex[i]);
  let found = 0;
  let start = performance.now();
  for (const h of hex) if (index.hasSha1(h)) found++;
  const syncRate = hex.length / ((performance.now() - start) / 1000) / 1e6;
  let breached = 0;
  start = performance.now();
  for (const pw of passwords) if ((await index.check(pw)) === "breached") breached++;
  const asyncRate = passwords.length / ((performance.now() - start) / 1000) / 1e6;
  console.log(
    `     ${label}: hasSha1 ${fmt(syncRate)} M lookups/s (${found.toLocaleString("en-GB")} of ${hex.length.toLocaleString("en-GB")} found); ` +
      `check() ${fmt(asyncRate)} M lookups/s incl. SHA-1 (${breached.toLocaleString("en-GB")} breached)`,
  );
  return asyncRate;
}

/**
 * Lookups against one index, run in a fresh process so that its memory figures are the index's alone: held in
 * memory (the default where it fits), then read from disk (as a corpus over the memory limit is).
 */
async function lookupChild(file: string): Promise<void> {
  const hex: string[] = [];
  const passwords: string[] = [];
  for (let i = 0; i < PASSWORDS; i++) {
    hex.push(crypto.hash("sha1", `bench-password-${i}`).toUpperCase(), crypto.hash("sha1", `absent-${i}`).toUpperCase());
    passwords.push(`bench-password-${i}`, `absent-${i}`);
  }
  const before = rssMiB();
  const index = OfflineBreachIndex.open(file);
  const opened = rssMiB();
  const loadStart = performance.now();
  const inMemory = await index.inMemory();
  const loadMs = performance.now() - loadStart;
  const loaded = rssMiB();
  const buffers = process.memoryUsage().arrayBuffers / 2 ** 20;
  console.log(
    `     fresh process RSS ${fmt(before, 1)} MiB → +${fmt(opened - before, 1)} after open → ` +
      (inMemory
        ? `+${fmt(loaded - before, 1)} once held in memory (${fmt(buffers, 1)} MiB of buffers; ` +
          `loaded in ${fmt(loadMs, 0)} ms, in the background from the first lookup)`
        : `not held in memory (over the default limit of ${DEFAULT_BREACH_MEMORY_MB} MiB)`),
  );
  const rate = await timeLookups(index, hex, passwords, inMemory ? "in memory" : "from disk");
  await index.close();
  if (inMemory) {
    const disk = OfflineBreachIndex.open(file, { memoryLimitBytes: 0 });
    await timeLookups(disk, hex, passwords, "from disk (as a corpus over the memory limit)");
    await disk.close();
  }
  if (index.entries >= 10_000_000) {
    console.log(`     goal ≥ 0.5 M lookups/s incl. SHA-1 at 10 M entries: ${rate >= 0.5 ? "met" : "NOT met"} (${fmt(rate)} M/s)`);
  }
}

const SIZES = [1_000_000, 10_000_000];

/** Writes one corpus per size; the password digests are dropped before any build is timed. */
function writeCorpora(dir: string): Map<number, { file: string; seconds: number }> {
  const digests = Array.from({ length: PASSWORDS }, (_, i) => crypto.hash("sha1", `bench-password-${i}`, "buffer"));
  digests.sort((a, b) => Buffer.compare(a, b));
  const corpora = new Map<number, { file: string; seconds: number }>();
  for (const total of SIZES) {
    const file = path.join(dir, `hibp-${total}.txt`);
    const start = performance.now();
    writeCorpus(file, total, digests);
    corpora.set(total, { file, seconds: (performance.now() - start) / 1000 });
  }
  return corpora;
}

/** Runs the benchmark and prints its figures. */
export async function runBreachBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breach-bench-"));
  try {
    console.log(`   corpus: random SHA-1s in hash order plus the hashes of ${PASSWORDS.toLocaleString("en-GB")} known passwords;`);
    console.log(`   lookups: ${(2 * PASSWORDS).toLocaleString("en-GB")} per method, half present, in a fresh process per index`);
    const defaultStart = performance.now();
    const defaults = await buildDefaultIndex(path.join(dir, "default.bin"));
    console.log(
      `   default index from the pinned npm lists: ${defaults.entries.toLocaleString("en-GB")} entries ` +
        `built in ${fmt((performance.now() - defaultStart) / 1000, 1)} s`,
    );
    const corpora = writeCorpora(dir);
    for (const [total, corpus] of corpora) {
      const textMiB = fs.statSync(corpus.file).size / 2 ** 20;
      const index = path.join(dir, `index-${total}.bin`);
      const rssBefore = rssMiB();
      const start = performance.now();
      const input = fs.createReadStream(corpus.file, { highWaterMark: 1 << 20 });
      const result = await buildIndex(input, index, { format: "hibp" });
      const seconds = (performance.now() - start) / 1000;
      const rssAfter = process.memoryUsage().rss / 2 ** 20;
      fs.rmSync(corpus.file);
      console.log(
        `   build ${total.toLocaleString("en-GB")} hashes (${fmt(textMiB, 0)} MiB of text, generated in ${fmt(corpus.seconds, 1)} s): ` +
          `${fmt(seconds, 2)} s = ${fmt(result.entries / seconds / 1e6)} M hashes/s, ${fmt(textMiB / seconds, 0)} MiB/s; ` +
          `RSS ${fmt(rssBefore, 0)} → ${fmt(rssAfter, 0)} MiB`,
      );
      console.log(`   index of ${total.toLocaleString("en-GB")}: file ${fmt(fs.statSync(index).size / 2 ** 20, 1)} MiB`);
      const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
        env: { ...process.env, BREACH_BENCH_INDEX: index },
        stdio: "inherit",
      });
      if (child.status !== 0) throw new Error(`lookup process failed (${child.status ?? child.signal})`);
      fs.rmSync(index);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.env.BREACH_BENCH_INDEX !== undefined) {
  lookupChild(process.env.BREACH_BENCH_INDEX).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else if (require.main === module) {
  console.log(`breach index benchmark — node ${process.version}, ${os.cpus().length} cores`);
  runBreachBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
