import fs from "node:fs";
import {
  BUCKETS,
  BUCKET_BITS,
  BUCKET_SHIFT,
  DATA_OFFSET,
  HEADER_BYTES,
  FORMAT_VERSION,
  HEX_VALUE,
  LITTLE_ENDIAN_MACHINE,
  MAGIC,
  PREFIX_BYTES,
  TABLE_OFFSET,
  readUint64,
} from "./format";
import { loadResidentKeys, residentBytes } from "./resident";
import type { ResidentKeys } from "./resident";
import { sha1StringWords } from "./sha1";
import type { BreachLogger, BreachStatus, BreachedPasswordChecker } from "./types";

/** The most memory an index is held in by default (MiB): up to about 14 million hashes; a bigger one stays on disk. */
export const DEFAULT_BREACH_MEMORY_MB = 64;

/** The most entries read at once (64 KiB); a larger bucket is first narrowed by a binary search of single reads. */
const MAX_READ_ENTRIES = 8192;
/** Offset-table slots read at once when the table is checked at open (512 KiB). */
const CHECK_SLOTS = 65_536;
/** A lookup should read about this many entries at most (4 KiB) in one go when the coarse table is held. */
const COARSE_TARGET_ENTRIES = 512;
/** The coarse table is held only when it keeps at most every 8th slot (≤ 1 MiB); a denser one reads slots from disk. */
const MIN_COARSE_STRIDE_BITS = 3;
const SHA1_HEX = /^[0-9a-fA-F]{40}$/;
// Module-local copies for the lookup path: an import binding can be a getter under some loaders (tsx), which
// costs more than the lookup itself.
const HEX: Int8Array = HEX_VALUE;
const ENTRY: number = PREFIX_BYTES;
const SHIFT: number = BUCKET_SHIFT;
const DATA: number = DATA_OFFSET;
const TABLE: number = TABLE_OFFSET;
const words = new Int32Array(5);
const TWO_32 = 2 ** 32;

/** An index file that is missing, unreadable or not in the expected format. */
export class BreachIndexError extends Error {
  override readonly name = "BreachIndexError";
}

function hexWord(hex: string, at: number): number {
  let value = 0;
  for (let i = 0; i < 8; i++) value = value * 16 + HEX[hex.charCodeAt(at + i)];
  return value;
}

/** Options for {@link OfflineBreachIndex.open}. */
export interface OfflineIndexOptions {
  /**
   * false to read the offset table from disk at every disk lookup whatever the corpus size, as a corpus too big for
   * the coarse table does (default true)
   */
  coarseTable?: boolean;
  /** The most bytes the resident copy may take (default {@link DEFAULT_BREACH_MEMORY_MB} MiB); 0 keeps it on disk. */
  memoryLimitBytes?: number;
  /** Told when an index that fits in memory could not be loaded there (it is then read from disk). */
  logger?: BreachLogger;
}

/**
 * The offline index (format in `format.ts`). When its compact copy fits in the memory limit (4 bytes an
 * entry and a table of at most 4 MiB: about 6 MiB for the default index, 44 MiB at 10 million hashes), the first
 * lookup starts loading it in the background and, once it is in, lookups make no system call ({@link ResidentKeys}).
 * Until then, and always for a bigger corpus, lookups read the file by positioned reads served by the operating
 * system's page cache, so memory does not grow with the corpus. Where the corpus is small enough for it (up
 * to about 67 million hashes), every few buckets' start is held in memory (a coarse copy of the offset table, at most
 * 1 MiB: 256 KiB at 10 million), so a lookup is one read of the few buckets around the key (about 4 KiB at most);
 * a bigger corpus reads its bucket's two offset-table slots (16 bytes) and then the bucket (~15 KiB at 2 × 10⁹
 * hashes). Lookups are synchronous and share one read buffer, so one instance serves one thread.
 */
export class OfflineBreachIndex implements BreachedPasswordChecker {
  private fd: number | undefined;
  private readonly buffer = Buffer.allocUnsafe(MAX_READ_ENTRIES * PREFIX_BYTES);
  private readonly view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  /** A bucket's two offset-table slots, as read for one lookup. */
  private readonly slots = Buffer.allocUnsafe(16);
  private readonly slotView = new DataView(this.slots.buffer, this.slots.byteOffset, this.slots.byteLength);
  /** The in-memory copy, once loaded. */
  private resident: ResidentKeys | undefined;
  /** The load of the in-memory copy, once started: true when it is in, false when lookups stay on disk. */
  private loading: Promise<boolean> | undefined;

  private constructor(
    fd: number,
    private readonly file: string,
    /** Distinct 8-byte SHA-1 prefixes in the index. */
    readonly entries: number,
    /** Every 2^strideBits-th bucket's first entry (and the end), or undefined when slots are read from disk. */
    private readonly coarse: Float64Array | undefined,
    private readonly strideBits: number,
    private readonly fitsInMemory: boolean,
    private readonly logger: BreachLogger | undefined,
  ) {
    this.fd = fd;
  }

  /**
   * Opens and validates an index file; throws {@link BreachIndexError} naming the file if it is missing or corrupt.
   * Nothing is loaded into memory until the first lookup.
   */
  static open(file: string, options: OfflineIndexOptions = {}): OfflineBreachIndex {
    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : String(error);
      throw new BreachIndexError(`breach index ${file} ${reason} (build it with the breach index builder)`);
    }
    try {
      const { entries, coarse, strideBits } = OfflineBreachIndex.checkFile(fd, file, options.coarseTable ?? true);
      const limit = options.memoryLimitBytes ?? DEFAULT_BREACH_MEMORY_MB * 2 ** 20;
      const fits = entries > 0 && residentBytes(entries) <= limit;
      return new OfflineBreachIndex(fd, file, entries, coarse, strideBits, fits, options.logger);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  /**
   * Checks the header and the whole offset table, a chunk at a time; returns the entry count and, when the corpus is
   * small enough, the coarse table (see the class).
   */
  private static checkFile(fd: number, file: string, coarseTable: boolean): { entries: number; coarse?: Float64Array; strideBits: number } {
    const corrupt = (why: string): BreachIndexError => new BreachIndexError(`breach index ${file} is corrupt: ${why}`);
    const size = fs.fstatSync(fd).size;
    if (size < DATA_OFFSET) throw corrupt(`${size} bytes is shorter than the header and offset table`);
    const head = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, head, 0, HEADER_BYTES, 0) !== HEADER_BYTES) throw corrupt("short read of the header");
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt("not a breach index (bad magic)");
    const version = view.getUint32(8, true);
    if (version !== FORMAT_VERSION) throw corrupt(`format version ${version}, expected ${FORMAT_VERSION}`);
    if (view.getUint32(12, true) !== PREFIX_BYTES || view.getUint32(16, true) !== BUCKET_BITS) {
      throw corrupt(`unsupported layout (expected ${PREFIX_BYTES}-byte prefixes and ${BUCKET_BITS} bucket bits)`);
    }
    const entries = readUint64(view, 24);
    if (size !== DATA_OFFSET + entries * PREFIX_BYTES) {
      throw corrupt(`${size} bytes, but a header of ${entries} entries needs ${DATA_OFFSET + entries * PREFIX_BYTES}`);
    }
    const strideBits = coarseStrideBits(entries);
    const coarse = coarseTable && strideBits >= MIN_COARSE_STRIDE_BITS ? new Float64Array((BUCKETS >>> strideBits) + 1) : undefined;
    const strideMask = 2 ** strideBits - 1;
    const slots = BUCKETS + 1;
    // The slots as 32-bit words where the machine is little-endian, as the file is (a typed array reads them several
    // times faster than a DataView, which matters here: this runs at every start, over a million slots).
    const chunkWords = new Uint32Array(Math.min(CHECK_SLOTS, slots) * 2);
    const chunk = Buffer.from(chunkWords.buffer);
    const chunkView = new DataView(chunkWords.buffer);
    let previous = 0;
    for (let first = 0; first < slots; first += CHECK_SLOTS) {
      const count = Math.min(CHECK_SLOTS, slots - first);
      if (fs.readSync(fd, chunk, 0, count * 8, TABLE_OFFSET + first * 8) !== count * 8) throw corrupt("short read of the offset table");
      if (first === 0 && readUint64(chunkView, 0) !== 0) throw corrupt("offset table does not cover the entries");
      for (let i = 0; i < count; i++) {
        const start = LITTLE_ENDIAN_MACHINE ? chunkWords[2 * i] + chunkWords[2 * i + 1] * TWO_32 : readUint64(chunkView, i * 8);
        if (start < previous || start > entries) throw corrupt(`offset table slot ${first + i} is out of order`);
        previous = start;
        const slot = first + i;
        if (coarse && (slot & strideMask) === 0) coarse[slot >>> strideBits] = start;
      }
    }
    if (previous !== entries) throw corrupt("offset table does not cover the entries");
    return { entries, coarse, strideBits };
  }

  /** Whether a SHA-1 (40 hex digits, either case) is in the index. Synchronous: one positioned read. */
  hasSha1(sha1Hex: string): boolean {
    if (!SHA1_HEX.test(sha1Hex)) throw new TypeError("hasSha1 expects 40 hex digits of SHA-1");
    return this.hasPrefix(hexWord(sha1Hex, 0), hexWord(sha1Hex, 8));
  }

  /** Checks a password as typed: `"breached"` if its SHA-1 is indexed; `"unavailable"` if the file cannot be read. */
  check(password: string): Promise<BreachStatus> {
    if (this.fd === undefined) return Promise.reject(new BreachIndexError(`breach index ${this.file} is closed`));
    sha1StringWords(password, words);
    try {
      const found = this.hasPrefix(words[0] >>> 0, words[1] >>> 0);
      return Promise.resolve(found ? "breached" : "clear");
    } catch {
      return Promise.resolve("unavailable");
    }
  }

  /**
   * Starts loading the in-memory copy if the index fits and it has not started; resolves true once lookups are
   * served from memory, false if they stay on disk (too big for the limit, damaged, or closed meanwhile).
   */
  inMemory(): Promise<boolean> {
    if (this.loading) return this.loading;
    const fd = this.fd;
    if (!this.fitsInMemory || fd === undefined) return Promise.resolve(false);
    this.loading = loadResidentKeys(fd, this.entries, () => this.fd === undefined).then(
      (keys) => {
        if (this.fd === undefined) return false;
        this.resident = keys;
        return keys !== undefined;
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger?.warn({ file: this.file, reason }, "breach index could not be held in memory; it is read from disk");
        return false;
      },
    );
    return this.loading;
  }

  /** Closes the file, once any load of the in-memory copy has stopped. */
  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    this.resident = undefined;
    if (this.loading) await this.loading;
    if (fd !== undefined) fs.closeSync(fd);
  }

  private hasPrefix(hi: number, lo: number): boolean {
    const fd = this.fd;
    if (fd === undefined) throw new BreachIndexError(`breach index ${this.file} is closed`);
    const resident = this.resident;
    if (resident) return resident.has(hi, lo);
    if (!this.loading && this.fitsInMemory) void this.inMemory();
    const bucket = hi >>> SHIFT;
    let low: number;
    let high: number;
    const coarse = this.coarse;
    if (coarse) {
      // The few buckets around the key: entries are sorted across buckets, so one search finds it among them.
      const at = bucket >>> this.strideBits;
      low = coarse[at];
      high = coarse[at + 1];
    } else {
      if (fs.readSync(fd, this.slots, 0, 16, TABLE + bucket * 8) !== 16) {
        throw new BreachIndexError(`breach index ${this.file}: short read (file changed?)`);
      }
      const slots = this.slotView;
      low = slots.getUint32(0, true) + slots.getUint32(4, true) * TWO_32;
      high = slots.getUint32(8, true) + slots.getUint32(12, true) * TWO_32;
    }
    while (high - low > MAX_READ_ENTRIES) {
      const mid = low + Math.floor((high - low) / 2);
      this.read(fd, mid, 1);
      const order = this.compare(0, hi, lo);
      if (order === 0) return true;
      if (order < 0) low = mid + 1;
      else high = mid;
    }
    if (high === low) return false;
    this.read(fd, low, high - low);
    let a = 0;
    let b = high - low - 1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      const order = this.compare(mid, hi, lo);
      if (order === 0) return true;
      if (order < 0) a = mid + 1;
      else b = mid - 1;
    }
    return false;
  }

  /** Compares buffered entry `i` with the key: negative if the entry is smaller. */
  private compare(i: number, hi: number, lo: number): number {
    const entryHi = this.view.getUint32(i * ENTRY, false);
    if (entryHi !== hi) return entryHi - hi;
    return this.view.getUint32(i * ENTRY + 4, false) - lo;
  }

  private read(fd: number, first: number, count: number): void {
    const bytes = count * ENTRY;
    const got = fs.readSync(fd, this.buffer, 0, bytes, DATA + first * ENTRY);
    if (got !== bytes) throw new BreachIndexError(`breach index ${this.file}: short read (file changed?)`);
  }
}

/**
 * log2 of how many buckets a coarse-table slot spans: as many as hold about {@link COARSE_TARGET_ENTRIES} entries on
 * average (SHA-1 spreads them evenly), a power of two from 0 (every slot) to all the buckets.
 */
function coarseStrideBits(entries: number): number {
  const perBucket = Math.max(entries, 1) / BUCKETS;
  return Math.max(0, Math.min(BUCKET_BITS, Math.floor(Math.log2(COARSE_TARGET_ENTRIES / perBucket))));
}
