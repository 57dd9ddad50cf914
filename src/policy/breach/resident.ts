import fs from "node:fs";
import { promisify } from "node:util";
import { DATA_OFFSET, LITTLE_ENDIAN_MACHINE, PREFIX_BYTES } from "./format";

const read = promisify(fs.read);

/**
 * A compact in-memory copy of an offline index's entries, so that a lookup makes no system call: for each entry,
 * the 32 bits that follow its first `slotBits` bits (4 bytes), behind a table of where each `slotBits`-bit slot's
 * entries start (4 bytes a slot). The table has about {@link TARGET_PER_SLOT} entries a slot, so a lookup compares
 * `slotBits + 32` bits of SHA-1 (49 at the default index's 1.26 million entries, 52 from about 8 million): a password
 * not in the list matches an entry by chance with probability about {@link TARGET_PER_SLOT} / 2³², one in 500
 * million, whatever the corpus size (the file itself compares 64 bits). Nothing listed is ever missed.
 */
export class ResidentKeys {
  private readonly shift: number;

  constructor(
    private readonly starts: Uint32Array,
    private readonly keys: Uint32Array,
    private readonly bits: number,
  ) {
    this.shift = 32 - bits;
  }

  /** Whether the 64-bit prefix `hi:lo` (two unsigned 32-bit words) matches an entry. */
  has(hi: number, lo: number): boolean {
    const slot = hi >>> this.shift;
    const key = ((hi << this.bits) | (lo >>> this.shift)) >>> 0;
    const keys = this.keys;
    let a = this.starts[slot];
    let b = this.starts[slot + 1] - 1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      const value = keys[mid];
      if (value === key) return true;
      if (value < key) a = mid + 1;
      else b = mid - 1;
    }
    return false;
  }
}

/** Entries a slot holds on average: what a lookup searches, and the chance numerator of a false match over 2³². */
const TARGET_PER_SLOT = 8;
/** The most slot bits (a 4 MiB table); a bigger corpus has more entries a slot. */
const MAX_SLOT_BITS = 20;
/**
 * Entries read and converted at a time while loading: 256 KiB of the file, about a millisecond of the main thread's
 * time, so a turn that arrives meanwhile waits no longer than that.
 */
const CHUNK_ENTRIES = 32_768;

/** Slot bits for a corpus of `entries`: about {@link TARGET_PER_SLOT} entries a slot, between 1 and 20 bits. */
export function slotBits(entries: number): number {
  return Math.min(MAX_SLOT_BITS, Math.max(1, Math.ceil(Math.log2(Math.max(entries, 1) / TARGET_PER_SLOT))));
}

/** Bytes the resident copy of an index of `entries` takes. */
export function residentBytes(entries: number): number {
  return (entries + 2 ** slotBits(entries) + 1) * 4;
}

/**
 * Reads an index's `entries` from `fd` a chunk at a time (on the thread pool, converting each chunk between other
 * work) into a {@link ResidentKeys}. Rejects if the file is short or its entries are not strictly ascending (a
 * damaged file), and resolves undefined as soon as `stopped()` says the index was closed.
 */
export async function loadResidentKeys(fd: number, entries: number, stopped: () => boolean): Promise<ResidentKeys | undefined> {
  const bits = slotBits(entries);
  const shift = 32 - bits;
  const slots = 2 ** bits;
  const starts = new Uint32Array(slots + 1);
  const keys = new Uint32Array(entries);
  // The entries as 32-bit words in this machine's order: the file's big-endian words are swapped a chunk at a time
  // by Buffer's native swap, several times faster than reading each word with readUInt32BE.
  const words = new Uint32Array((CHUNK_ENTRIES * PREFIX_BYTES) / 4);
  const buffer = Buffer.from(words.buffer);
  let slot = 0;
  let previousHi = -1;
  let previousLo = -1;
  for (let first = 0; first < entries; first += CHUNK_ENTRIES) {
    const count = Math.min(CHUNK_ENTRIES, entries - first);
    const { bytesRead } = await read(fd, buffer, 0, count * PREFIX_BYTES, DATA_OFFSET + first * PREFIX_BYTES);
    if (stopped()) return undefined;
    if (bytesRead !== count * PREFIX_BYTES) throw new Error("short read (file changed?)");
    if (LITTLE_ENDIAN_MACHINE) buffer.subarray(0, bytesRead).swap32();
    for (let i = 0; i < count; i++) {
      const hi = words[2 * i];
      const lo = words[2 * i + 1];
      if (hi < previousHi || (hi === previousHi && lo <= previousLo)) throw new Error(`entry ${first + i} is out of order`);
      previousHi = hi;
      previousLo = lo;
      const entrySlot = hi >>> shift;
      while (slot < entrySlot) starts[++slot] = first + i;
      keys[first + i] = ((hi << bits) | (lo >>> shift)) >>> 0;
    }
  }
  while (slot < slots) starts[++slot] = entries;
  return new ResidentKeys(starts, keys, bits);
}
