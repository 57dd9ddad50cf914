import { ALPHABET_SIZE as IMPORTED_ALPHABET_SIZE } from "./normalise";

// A module-local copy: some loaders (tsx, esbuild) turn imported bindings into getter calls, too slow in a hot loop.
const ALPHABET_SIZE = IMPORTED_ALPHABET_SIZE;

/** A key for {@link ReversedTrie.build}: a string of matching-alphabet symbols and a value OR-ed into its node. */
export interface TrieKey {
  symbols: Uint8Array;
  value: number;
}

/**
 * A trie of reversed keys, so that walking a password backwards from a position finds the keys that end there.
 * Compact typed arrays: a dense child table (one int per node and symbol), a value per node (bits the caller
 * defines) and the OR of the values in each subtree, for pruning.
 */
export class ReversedTrie {
  /**
   * `next[node * ALPHABET_SIZE + symbol]`: the child, or 0 (the root, node 0, is nobody's child). 16-bit while the
   * trie has fewer than 65,536 nodes.
   */
  readonly next: Uint16Array | Int32Array;
  /** The value of each node: 0 where no key ends. */
  readonly value: Uint32Array;
  /** The OR of `value` over each node's subtree, itself included. */
  readonly below: Uint32Array;
  /** The number of distinct keys. */
  readonly keys: number;

  private constructor(next: Uint16Array | Int32Array, value: Uint32Array, below: Uint32Array, keys: number) {
    this.next = next;
    this.value = value;
    this.below = below;
    this.keys = keys;
  }

  /** The number of nodes, root included. */
  get nodes(): number {
    return this.value.length;
  }

  /** Bytes of typed arrays held. */
  get bytes(): number {
    return this.next.byteLength + this.value.byteLength + this.below.byteLength;
  }

  /**
   * A trie over arrays made by {@link ReversedTrie.build}, as read back from a file whose contents were checked.
   *
   * @throws Error when the arrays do not fit together
   */
  static fromArrays(next: Uint16Array | Int32Array, value: Uint32Array, below: Uint32Array): ReversedTrie {
    const nodes = value.length;
    if (nodes === 0 || next.length !== nodes * ALPHABET_SIZE || below.length !== nodes) throw new Error("the trie's arrays do not fit together");
    let count = 0;
    for (const v of value) if (v !== 0) count++;
    return new ReversedTrie(next, value, below, count);
  }

  /** Builds the trie; keys with the same symbols have their values OR-ed. */
  static build(keys: readonly TrieKey[]): ReversedTrie {
    const reversed = keys
      .filter((k) => k.symbols.length > 0)
      .map((k) => ({ symbols: Uint8Array.from(k.symbols).reverse(), value: k.value }));
    reversed.sort((a, b) => compareSymbols(a.symbols, b.symbols));
    const parent: number[] = [0];
    const symbol: number[] = [0];
    const value: number[] = [0];
    const path: number[] = [0];
    let previous = new Uint8Array(0);
    for (const key of reversed) {
      let common = 0;
      const s = key.symbols;
      while (common < s.length && common < previous.length && s[common] === previous[common]) common++;
      for (let i = common; i < s.length; i++) {
        path[i + 1] = value.length;
        parent.push(path[i]);
        symbol.push(s[i]);
        value.push(0);
      }
      value[path[s.length]] |= key.value;
      previous = s;
    }
    const nodes = value.length;
    const next = nodes <= 0xffff ? new Uint16Array(nodes * ALPHABET_SIZE) : new Int32Array(nodes * ALPHABET_SIZE);
    const below = Uint32Array.from(value);
    // Nodes are created after their parents, so one backward pass sees each subtree before its root.
    for (let n = nodes - 1; n > 0; n--) {
      next[parent[n] * ALPHABET_SIZE + symbol[n]] = n;
      below[parent[n]] |= below[n];
    }
    let count = 0;
    for (const v of value) if (v !== 0) count++;
    return new ReversedTrie(next, Uint32Array.from(value), below, count);
  }
}

function compareSymbols(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
