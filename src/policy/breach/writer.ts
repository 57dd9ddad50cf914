import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { BUCKETS, BUCKET_SHIFT, DATA_OFFSET, PREFIX_BYTES, encodeHeaderAndTable } from "./format";

/** Module-local copy for the hot path (an import binding can be a getter under some loaders). */
const SHIFT: number = BUCKET_SHIFT;
/** Entries buffered between writes (1 MiB). */
const FLUSH_ENTRIES = 131_072;

/**
 * Writes an index file from prefixes given in ascending order, dropping repeats. The file is written under a
 * temporary name beside `output` and renamed over it only when complete, so readers never see half a file.
 * Memory is fixed: the 8 MiB bucket counts and a 1 MiB write buffer, whatever the number of entries.
 */
export class PrefixWriter {
  private readonly counts = new Float64Array(BUCKETS);
  private readonly buffer = Buffer.allocUnsafe(FLUSH_ENTRIES * PREFIX_BYTES);
  private readonly view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  private buffered = 0;
  private flushed = 0;
  private lastHi = -1;
  private lastLo = -1;

  private constructor(
    private readonly handle: FileHandle,
    private readonly tempFile: string,
    private readonly output: string,
  ) {}

  /** Opens a temporary file beside `output` (creating its folder). */
  static async create(output: string): Promise<PrefixWriter> {
    const target = path.resolve(output);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const tempFile = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const handle = await fs.promises.open(tempFile, "wx", 0o644);
    return new PrefixWriter(handle, tempFile, target);
  }

  /** Entries accepted so far (repeats not counted). */
  get entries(): number {
    return this.flushed + this.buffered;
  }

  /**
   * Adds the prefix whose first and second 32-bit big-endian words are `hi` and `lo`; it must not be below the
   * previous one. Returns true when the buffer is full: the caller must then await {@link flush}.
   */
  push(hi: number, lo: number): boolean {
    if (hi === this.lastHi && lo === this.lastLo) return false;
    if (hi < this.lastHi || (hi === this.lastHi && lo < this.lastLo)) {
      throw new Error("prefixes must be written in ascending order");
    }
    this.lastHi = hi;
    this.lastLo = lo;
    const offset = this.buffered * 8;
    this.view.setUint32(offset, hi, false);
    this.view.setUint32(offset + 4, lo, false);
    this.counts[hi >>> SHIFT]++;
    this.buffered++;
    return this.buffered === FLUSH_ENTRIES;
  }

  /** Writes the buffered entries to the file. */
  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const bytes = this.buffered * PREFIX_BYTES;
    const position = DATA_OFFSET + this.flushed * PREFIX_BYTES;
    const { bytesWritten } = await this.handle.write(this.buffer, 0, bytes, position);
    if (bytesWritten !== bytes) throw new Error(`short write to ${this.tempFile}`);
    this.flushed += this.buffered;
    this.buffered = 0;
  }

  /** Writes the header and offset table, syncs, and renames the file into place. Returns the entry count. */
  async finish(): Promise<number> {
    await this.flush();
    const entries = this.flushed;
    const buckets = BUCKETS;
    const starts = new Float64Array(buckets + 1);
    for (let b = 0, sum = 0; b < buckets; b++) {
      starts[b] = sum;
      sum += this.counts[b];
    }
    starts[buckets] = entries;
    const head = encodeHeaderAndTable(entries, starts);
    await this.handle.write(head, 0, head.length, 0);
    await this.handle.datasync();
    await this.handle.close();
    await fs.promises.rename(this.tempFile, this.output);
    return entries;
  }

  /** Gives up: closes and removes the temporary file. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.promises.rm(this.tempFile, { force: true });
  }
}
