import { HEX_VALUE } from "./format";
import { lineBlocks } from "./lines";
import type { BuildInput } from "./lines";
import type { PrefixWriter } from "./writer";

/** Module-local copy: a hot loop should not go through an import binding (a getter under some loaders). */
const HEX: Int8Array = HEX_VALUE;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const HEX_CHARS = 40;

/** Eight hex characters at `at` as a 32-bit number, or -1 if any is not a hex digit. */
function hexWord(bytes: Uint8Array, at: number): number {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const digit = HEX[bytes[at + i]];
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** -1 if the count after the colon is all zeros, 1 if it is a positive number, 0 if it is not a number. */
function countSign(bytes: Uint8Array, from: number, end: number): number {
  if (from >= end) return 0;
  let positive = false;
  for (let i = from; i < end; i++) {
    const c = bytes[i];
    if (c < ZERO || c > NINE) return 0;
    if (c !== ZERO) positive = true;
  }
  return positive ? 1 : -1;
}

function formatError(line: number, what: string): Error {
  return new Error(`line ${line}: ${what}`);
}

/**
 * Streams the Have I Been Pwned downloader's output — `SHA1HEX:count` lines in hash order — into `writer`.
 * Lines with count 0 (padding) are skipped; a line without `:count` counts as present; blank lines are ignored.
 * The order is checked on the full 40 hex digits, and a line out of order stops the build with its line number.
 */
export async function writeHibpLines(input: BuildInput, writer: PrefixWriter): Promise<void> {
  let line = 0;
  let p0 = -1;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let p4 = 0;
  for await (const block of lineBlocks(input)) {
    const length = block.length;
    let pos = 0;
    while (pos < length) {
      let newline = block.indexOf(LF, pos);
      if (newline < 0) newline = length;
      let end = newline;
      if (end > pos && block[end - 1] === CR) end--;
      line++;
      const start = pos;
      pos = newline + 1;
      if (end === start) continue;
      const w0 = end - start >= HEX_CHARS ? hexWord(block, start) : -1;
      const w1 = w0 < 0 ? -1 : hexWord(block, start + 8);
      const w2 = w1 < 0 ? -1 : hexWord(block, start + 16);
      const w3 = w2 < 0 ? -1 : hexWord(block, start + 24);
      const w4 = w3 < 0 ? -1 : hexWord(block, start + 32);
      if (w4 < 0) throw formatError(line, "expected 40 hex digits of SHA-1, then optionally :count");
      let sign = 1;
      if (end > start + HEX_CHARS) {
        sign = block[start + HEX_CHARS] === COLON ? countSign(block, start + HEX_CHARS + 1, end) : 0;
        if (sign === 0) throw formatError(line, "expected HASH:count with a decimal count");
      }
      const order =
        w0 !== p0 ? w0 - p0 : w1 !== p1 ? w1 - p1 : w2 !== p2 ? w2 - p2 : w3 !== p3 ? w3 - p3 : w4 - p4;
      if (order < 0) throw formatError(line, "not in hash order (the input must be sorted by hash, ascending)");
      p0 = w0;
      p1 = w1;
      p2 = w2;
      p3 = w3;
      p4 = w4;
      if (sign > 0 && writer.push(w0, w1)) await writer.flush();
    }
  }
}
