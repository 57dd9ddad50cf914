import { ALPHABET_SIZE, NO_SYMBOL as IMPORTED_NO_SYMBOL, normalise } from "./normalise";
import { ReversedTrie } from "./trie";
import type { TrieKey } from "./trie";

/** Terms of at least this many letters also match at edit distance 1; shorter ones only exactly. */
export const FUZZY_MIN_LENGTH = 6;

/** Shortest banned term kept, in letters (curated terms such as "nhs"; derived ones start at 4). */
export const MIN_TERM_LENGTH = 3;

/**
 * Banned terms (as people type them) as the trie takes them: folded matching-alphabet symbols, leaving out terms
 * shorter than {@link MIN_TERM_LENGTH} and terms with a character outside the alphabet.
 */
export function termSymbols(terms: Iterable<string>): Uint8Array[] {
  const symbols: Uint8Array[] = [];
  for (const term of terms) {
    const folded = normalise(term).symbols;
    if (folded.length >= MIN_TERM_LENGTH && !folded.includes(IMPORTED_NO_SYMBOL)) symbols.push(folded);
  }
  return symbols;
}

// Module-local copies: some loaders (tsx, esbuild) turn imported bindings into getter calls, too slow in a hot loop.
const NO_SYMBOL = IMPORTED_NO_SYMBOL;
const ALPHABET = ALPHABET_SIZE;

/** Receives the spans of a password that a matcher found, as `[start, end)` in code points. */
export interface SpanSink {
  span(start: number, end: number): void;
}

const EXACT = 1;
const FUZZY = 2;
/** Edits are tried up to this many letters from a term's end (bits of a 32-bit mask). */
const MAX_EDIT_POSITION = 30;

/**
 * Finds every banned term that *ends* at a given position of a password, exactly or at edit distance 1, with
 * bounded work per position and no enumeration of alternatives:
 * - exact, and "the password has an extra letter": the terms in a reversed trie, walked back from the position,
 *   with at most one password letter skipped (never at either edge of the match, where it would only swallow a
 *   neighbour for free);
 * - "the password lacks a letter" and "the password has a different letter": every term with one letter deleted,
 *   in a second reversed trie, each marked with where the letter was deleted. Lacking a letter is an exact match
 *   there; a different letter is a match with one password letter skipped exactly where the term's was deleted.
 *
 * Edit distance 1 applies only to terms of at least `fuzzyMinLength` letters: one edit on a shorter word leaves
 * three or four letters, which ordinary words and random strings contain all the time.
 */
export class TermTrie {
  private constructor(
    /** The terms, reversed; values say whether a term is long enough for edits. */
    readonly terms: ReversedTrie,
    /** Every fuzzy term with one letter deleted, reversed; values mark where the letter was. */
    readonly deletions: ReversedTrie,
  ) {}

  /** The matcher over tries made by {@link TermTrie.build} (as read back from a file). */
  static fromTries(terms: ReversedTrie, deletions: ReversedTrie): TermTrie {
    return new TermTrie(terms, deletions);
  }

  /** The number of distinct terms. */
  get size(): number {
    return this.terms.keys;
  }

  /** Bytes of typed arrays held by both tries. */
  get bytes(): number {
    return this.terms.bytes + this.deletions.bytes;
  }

  /** Builds the matcher from terms given as matching-alphabet symbol strings. */
  static build(terms: Iterable<Uint8Array>, fuzzyMinLength: number): TermTrie {
    const exact: TrieKey[] = [];
    const deleted: TrieKey[] = [];
    for (const term of terms) {
      if (term.length === 0 || term.includes(NO_SYMBOL)) continue;
      const fuzzy = term.length >= fuzzyMinLength;
      exact.push({ symbols: term, value: fuzzy ? EXACT | FUZZY : EXACT });
      if (!fuzzy) continue;
      for (let i = 0; i < term.length; i++) {
        const fromEnd = term.length - 1 - i;
        if (fromEnd > MAX_EDIT_POSITION) continue;
        const variant = new Uint8Array(term.length - 1);
        variant.set(term.subarray(0, i));
        variant.set(term.subarray(i + 1), i);
        deleted.push({ symbols: variant, value: 1 << fromEnd });
      }
    }
    return new TermTrie(ReversedTrie.build(exact), ReversedTrie.build(deleted));
  }

  /** Reports every term ending at `end` (exclusive) in `symbols`, exact or within one edit. */
  matchEndingAt(symbols: Uint8Array, end: number, sink: SpanSink): void {
    // Exact, and an extra letter.
    const { next, value, below } = this.terms;
    let node = 0;
    for (let k = end - 1; ; k--) {
      if (value[node] !== 0) sink.span(k + 1, end);
      if (node !== 0 && k >= 1 && (below[node] & FUZZY) !== 0) {
        const s = symbols[k - 1];
        const after = s === NO_SYMBOL ? 0 : next[node * ALPHABET + s];
        if (after !== 0) this.afterExtra(symbols, after, k - 2, end, sink);
      }
      if (k < 0) break;
      const s = symbols[k];
      node = s === NO_SYMBOL ? 0 : next[node * ALPHABET + s];
      if (node === 0) break;
    }
    // A missing letter, and a different letter.
    const d = this.deletions;
    node = 0;
    for (let k = end - 1, depth = 0; ; k--, depth++) {
      if (node !== 0 && d.value[node] !== 0) sink.span(k + 1, end);
      // The different letter must be a letter: a separator standing in for one would join a term to its neighbour.
      if (k >= 0 && depth <= MAX_EDIT_POSITION && symbols[k] !== NO_SYMBOL) {
        this.afterDifferent(symbols, node, k - 1, 1 << depth, end, sink);
      }
      if (k < 0) break;
      const s = symbols[k];
      node = s === NO_SYMBOL ? 0 : d.next[node * ALPHABET + s];
      if (node === 0) break;
    }
  }

  /** After skipping an extra password letter: an exact walk reporting terms long enough for edits. */
  private afterExtra(symbols: Uint8Array, node: number, k: number, end: number, sink: SpanSink): void {
    const { next, value, below } = this.terms;
    for (;;) {
      if ((value[node] & FUZZY) !== 0) sink.span(k + 1, end);
      if (k < 0 || (below[node] & FUZZY) === 0) return;
      const s = symbols[k];
      node = s === NO_SYMBOL ? 0 : next[node * ALPHABET + s];
      if (node === 0) return;
      k--;
    }
  }

  /** After skipping a password letter that stands where a term's letter was deleted (bit `position`). */
  private afterDifferent(symbols: Uint8Array, node: number, k: number, position: number, end: number, sink: SpanSink): void {
    const { next, value, below } = this.deletions;
    for (;;) {
      if ((value[node] & position) !== 0) sink.span(k + 1, end);
      if (k < 0 || (below[node] & position) === 0) return;
      const s = symbols[k];
      node = s === NO_SYMBOL ? 0 : next[node * ALPHABET + s];
      if (node === 0) return;
      k--;
    }
  }
}
