/**
 * The offline index file format, version 1 (all integers little-endian unless said otherwise):
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 8 | magic `BREACHIX` |
 * | 8 | 4 | format version (1) |
 * | 12 | 4 | prefix bytes per entry (8) |
 * | 16 | 4 | bucket bits (20) |
 * | 20 | 4 | reserved (0) |
 * | 24 | 8 | entry count n |
 * | 32 | 8 × (2²⁰ + 1) | offset table: index of each bucket's first entry (bucket = top 20 bits); last slot n |
 * | 8 388 648 | 8 × n | entries: the first 8 bytes of each SHA-1, big-endian, ascending, no duplicates |
 *
 * Entry indexes are 64-bit, so files past 4 G entries work (read as JS numbers: exact to 2⁵³).
 * Two different passwords share an 8-byte prefix with probability ~n / 2⁶⁴ per lookup (~1e-10 at 2 × 10⁹ hashes):
 * that false-positive rate is negligible, and there are no false negatives.
 */
import os from "node:os";

export const MAGIC = Buffer.from("BREACHIX", "ascii");
/** The format version this code writes and reads. */
export const FORMAT_VERSION = 1;
/** Bytes of SHA-1 kept per entry. */
export const PREFIX_BYTES = 8;
/** Bits of the prefix that choose a bucket in the offset table. */
export const BUCKET_BITS = 20;
/** Buckets in the offset table. */
export const BUCKETS = 2 ** BUCKET_BITS;
/** Bytes of the fixed header. */
export const HEADER_BYTES = 32;
/** Where the offset table starts. */
export const TABLE_OFFSET = HEADER_BYTES;
/** Bytes of the offset table (2²⁰ + 1 slots of 8 bytes). */
export const TABLE_BYTES = (BUCKETS + 1) * 8;
/** Where the sorted entries start. */
export const DATA_OFFSET = TABLE_OFFSET + TABLE_BYTES;
/** Right shift from a prefix's first 32 bits to its bucket. */
export const BUCKET_SHIFT = 32 - BUCKET_BITS;

const TWO_32 = 2 ** 32;

/**
 * Whether this machine stores words little-endian. The file's header and offset table are little-endian and its
 * entries big-endian, so this says whether a typed array over them reads them as they are or after a byte swap.
 */
export const LITTLE_ENDIAN_MACHINE = os.endianness() === "LE";

/** Writes a non-negative integer below 2⁵³ as a little-endian 64-bit value. */
export function writeUint64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % TWO_32, true);
  view.setUint32(offset + 4, Math.floor(value / TWO_32), true);
}

/** Reads a little-endian 64-bit value as a JS number (exact below 2⁵³). */
export function readUint64(view: DataView, offset: number): number {
  return view.getUint32(offset, true) + view.getUint32(offset + 4, true) * TWO_32;
}

/** Encodes the header and offset table; `starts` holds 2²⁰ + 1 entry indexes. */
export function encodeHeaderAndTable(entries: number, starts: Float64Array): Buffer {
  const buffer = Buffer.alloc(DATA_OFFSET);
  MAGIC.copy(buffer, 0);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, PREFIX_BYTES, true);
  view.setUint32(16, BUCKET_BITS, true);
  writeUint64(view, 24, entries);
  for (let i = 0; i <= BUCKETS; i++) writeUint64(view, TABLE_OFFSET + i * 8, starts[i]);
  return buffer;
}

/** Hex digit values by character code; -1 for anything else. */
export const HEX_VALUE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  const digits = "0123456789abcdef";
  for (let i = 0; i < 16; i++) {
    table[digits.charCodeAt(i)] = i;
    table[digits.toUpperCase().charCodeAt(i)] = i;
  }
  return table;
})();
