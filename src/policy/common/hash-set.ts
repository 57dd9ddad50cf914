/**
 * A set of strings kept as sorted 64-bit hashes (8 bytes a string, no strings in memory), for "is this exactly an
 * entry of the common-password lists?". With about 1.4 million entries the chance that a password not on the lists
 * collides with one is about 1 in 10¹³.
 */

/** A 64-bit hash of a run of code points, as two 32-bit halves. */
export interface Hash64 {
  hi: number;
  lo: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED2 = 0x9747b28c;

/** Incremental hashing of code points: feed them in order, read the hash at any point with {@link digest}. */
export class CodePointHasher {
  private h1 = FNV_OFFSET;
  private h2 = SEED2;
  private n = 0;

  /** Starts again from the empty string. */
  reset(): void {
    this.h1 = FNV_OFFSET;
    this.h2 = SEED2;
    this.n = 0;
  }

  /** Appends one code point. */
  add(cp: number): void {
    this.h1 = Math.imul(this.h1 ^ cp, FNV_PRIME);
    const h2 = Math.imul(this.h2 ^ cp, 0x5bd1e995);
    this.h2 = h2 ^ (h2 >>> 15);
    this.n++;
  }

  /** The hash of the code points added since the last reset. */
  digest(out: Hash64): Hash64 {
    out.hi = mix(this.h1 ^ this.n);
    out.lo = mix(this.h2 + Math.imul(this.n, 0x9e3779b1));
    return out;
  }
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The hash of a whole string of code points. */
export function hashCodePoints(codePoints: ArrayLike<number>): Hash64 {
  const hasher = new CodePointHasher();
  for (let i = 0; i < codePoints.length; i++) hasher.add(codePoints[i]);
  return hasher.digest({ hi: 0, lo: 0 });
}

/** A read-only set of 64-bit hashes, sorted, stored as (lo, hi) pairs of 32-bit words in
 * ascending order of the 64-bit value. */
export class HashSet64 {
  private readonly words: Uint32Array;
  /** The number of hashes in the set. */
  readonly size: number;

  /** Wraps the words made by {@link HashSet64.encode}. */
  constructor(words: Uint32Array) {
    if (words.length % 2 !== 0) throw new Error("a hash set needs whole 64-bit entries");
    this.words = words;
    this.size = words.length / 2;
  }

  /** Sorts and de-duplicates hashes into (lo, hi) word pairs, the form the constructor and the data file take. */
  static encode(hashes: readonly Hash64[]): Uint32Array {
    const values = new BigUint64Array(hashes.length);
    for (let i = 0; i < hashes.length; i++) values[i] = (BigInt(hashes[i].hi) << 32n) | BigInt(hashes[i].lo);
    values.sort();
    let distinct = 0;
    for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) values[distinct++] = values[i];
    const words = new Uint32Array(distinct * 2);
    for (let i = 0; i < distinct; i++) {
      words[2 * i] = Number(values[i] & 0xffffffffn);
      words[2 * i + 1] = Number(values[i] >> 32n);
    }
    return words;
  }

  /** True when the set holds the hash. */
  has(hash: Hash64): boolean {
    const w = this.words;
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const hi = w[2 * mid + 1];
      const lo = w[2 * mid];
      if (hi < hash.hi || (hi === hash.hi && lo < hash.lo)) low = mid + 1;
      else if (hi === hash.hi && lo === hash.lo) return true;
      else high = mid - 1;
    }
    return false;
  }
}
