/**
 * SHA-1 in plain JS for short inputs. Node's `crypto.hash("sha1", …)` costs ~1.4 µs per call on this machine,
 * almost all of it fixed overhead; this takes a fraction of that for a password, which roughly doubles the speed
 * of `OfflineBreachIndex.check` and of building from password lists. Checked against `node:crypto` in the tests.
 * SHA-1 is used only because Have I Been Pwned keys its data by it, not for any security property.
 */

const W = new Int32Array(80);
const H = new Int32Array(5);
/** The last one or two blocks: the input's tail, the 0x80 marker, zeros, and the length in bits. */
const TAIL = new Uint8Array(128);
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);
/** The shared encoding buffer grows to this at most; longer inputs get a buffer of their own. */
const MAX_SCRATCH = 64 * 1024;

/** Runs the compression function on the 64-byte block at `offset`, updating H. */
function compress(bytes: Uint8Array, offset: number): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    W[t] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
  }
  for (let t = 16; t < 80; t++) {
    const x = W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16];
    W[t] = (x << 1) | (x >>> 31);
  }
  let a = H[0];
  let b = H[1];
  let c = H[2];
  let d = H[3];
  let e = H[4];
  for (let t = 0; t < 20; t++) {
    const temp = (((((a << 5) | (a >>> 27)) + ((b & c) | (~b & d))) | 0) + ((e + 0x5a827999 + W[t]) | 0)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 20; t < 40; t++) {
    const temp = (((((a << 5) | (a >>> 27)) + (b ^ c ^ d)) | 0) + ((e + 0x6ed9eba1 + W[t]) | 0)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 40; t < 60; t++) {
    const temp = (((((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d))) | 0) + ((e + W[t] - 0x70e44324) | 0)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 60; t < 80; t++) {
    const temp = (((((a << 5) | (a >>> 27)) + (b ^ c ^ d)) | 0) + ((e + W[t] - 0x359d3e2a) | 0)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
}

/** Writes the SHA-1 of `bytes[0, length)` into `out` as five 32-bit words (h0…h4, as signed integers). */
export function sha1Words(bytes: Uint8Array, length: number, out: Int32Array): void {
  H[0] = 0x67452301;
  H[1] = 0xefcdab89 | 0;
  H[2] = 0x98badcfe | 0;
  H[3] = 0x10325476;
  H[4] = 0xc3d2e1f0 | 0;
  const full = length - (length % 64);
  for (let offset = 0; offset < full; offset += 64) compress(bytes, offset);
  const rest = length - full;
  const tailBytes = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) TAIL[i] = bytes[full + i];
  TAIL[rest] = 0x80;
  for (let i = rest + 1; i < tailBytes - 8; i++) TAIL[i] = 0;
  const high = Math.floor(length / 0x20000000);
  const low = (length * 8) % 0x100000000;
  for (let i = 0; i < 4; i++) {
    TAIL[tailBytes - 8 + i] = (high >>> (24 - 8 * i)) & 0xff;
    TAIL[tailBytes - 4 + i] = (low >>> (24 - 8 * i)) & 0xff;
  }
  compress(TAIL, 0);
  if (tailBytes === 128) compress(TAIL, 64);
  out.set(H);
}

/** SHA-1 of a string's UTF-8 (lone surrogates as U+FFFD, as `Buffer.from(s, "utf8")` does) into `out`. */
export function sha1StringWords(text: string, out: Int32Array): void {
  const worst = text.length * 3;
  if (worst > MAX_SCRATCH) {
    const bytes = encoder.encode(text);
    sha1Words(bytes, bytes.length, out);
    return;
  }
  if (worst > scratch.length) scratch = new Uint8Array(Math.max(worst, scratch.length * 2));
  const { written } = encoder.encodeInto(text, scratch);
  sha1Words(scratch, written, out);
}
