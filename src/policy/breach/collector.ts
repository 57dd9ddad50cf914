import { sha1StringWords, sha1Words } from "./sha1";
import type { PrefixWriter } from "./writer";

const words = new Int32Array(5);

/**
 * Gathers the 8-byte SHA-1 prefixes of passwords in any order, then writes them sorted. Holds 8 bytes per password,
 * so it is meant for password lists (millions), not for the Have I Been Pwned corpus, which arrives sorted.
 * Prefixes are kept as 64-bit numbers (written through a DataView, so no BigInt per password) and sorted natively.
 */
export class PrefixCollector {
  private values = new BigUint64Array(1 << 16);
  private view = new DataView(this.values.buffer);
  private size = 0;

  /** Passwords added so far (repeats included). */
  get count(): number {
    return this.size;
  }

  /** Adds one password, given as its bytes (the UTF-8 of what a person types) or as a string. */
  addPassword(password: Uint8Array | string): void {
    if (this.size === this.values.length) {
      const grown = new BigUint64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
      this.view = new DataView(grown.buffer);
    }
    if (typeof password === "string") sha1StringWords(password, words);
    else sha1Words(password, password.length, words);
    const at = this.size++ * 8;
    this.view.setUint32(at, words[1], true);
    this.view.setUint32(at + 4, words[0], true);
  }

  /** Sorts the prefixes and pushes them into `writer` (which drops repeats). */
  async writeTo(writer: PrefixWriter): Promise<void> {
    this.values.subarray(0, this.size).sort();
    const view = this.view;
    for (let at = 0, end = this.size * 8; at < end; at += 8) {
      if (writer.push(view.getUint32(at + 4, true), view.getUint32(at, true))) await writer.flush();
    }
  }
}
