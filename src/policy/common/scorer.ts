import type { HashSet64 } from "./hash-set";
import { findListEntries } from "./list-spans";
import type { NormalisedPassword } from "./normalise";
import * as patterns from "./patterns";
import type { SpanSink, TermTrie } from "./term-trie";

/**
 * What a span of the cheapest description is. Higher values win ties, so the most specific kind is reported: a
 * banned word over the list entry that is the same word ("winter" in "Winter2018").
 */
export const SpanKind = { Character: 0, Pattern: 1, ListEntry: 2, BannedTerm: 3, Personal: 4 } as const;

/** One of the {@link SpanKind} values. */
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** The scorer's answer: the points and the kinds of span the cheapest description uses. */
export interface Cover {
  score: number;
  /** Bit `1 << kind` for each {@link SpanKind} used. */
  kinds: number;
}

/** What the scorer matches against. */
export interface ScoringData {
  terms: TermTrie;
  list: HashSet64;
  personal: readonly Int32Array[];
}

// Module-local copies: some loaders (tsx, esbuild) turn imported bindings into getter calls, too slow in a hot loop.
const { MAX_REPEAT_BLOCK, MIN_SEQUENCE, isDateEndingAt, isYearEndingAt, sequenceOrdinal } = patterns;

/**
 * Scores a normalised password as Entra does, with the cheapest description: a dynamic programme over end positions
 * where each span found (banned term at edit distance ≤ 1, personal term, list entry, pattern) costs 1 point and
 * each character not in a span costs 1. Linear in the length, with bounded work per position.
 */
export function scoreCover(view: NormalisedPassword, data: ScoringData): Cover {
  const n = view.length;
  const dp = new CoverTable(n);
  const { literal, folded, symbols } = view;
  const listSpans = findListEntries(view, data.list);
  const matchRun = new Int32Array(MAX_REPEAT_BLOCK + 1);
  let runStart = 0;
  let runMin = Infinity;
  let runFrom = 0;
  let seqStart = 0;
  let seqStep = 0;
  let seqMin = Infinity;
  let seqFrom = 0;

  for (let end = 1; end <= n; end++) {
    const i = end - 1;
    dp.open(end);
    dp.offer(i, SpanKind.Character);

    // A run of one character.
    if (i === 0 || literal[i] !== literal[i - 1]) {
      runStart = i;
      runMin = Infinity;
    }
    if (end - MIN_SEQUENCE >= runStart && dp.best[end - MIN_SEQUENCE] < runMin) {
      runMin = dp.best[end - MIN_SEQUENCE];
      runFrom = end - MIN_SEQUENCE;
    }
    if (runMin !== Infinity) dp.offer(runFrom, SpanKind.Pattern);

    // An ascending or descending sequence.
    const ord = sequenceOrdinal(literal[i]);
    const step = i > 0 && ord >= 0 ? ord - sequenceOrdinal(literal[i - 1]) : 0;
    const sameClass = i > 0 && ord >= 0 && ord >> 6 === sequenceOrdinal(literal[i - 1]) >> 6;
    if (!(sameClass && (step === 1 || step === -1))) {
      seqStart = i;
      seqStep = 0;
      seqMin = Infinity;
    } else if (step !== seqStep) {
      seqStart = i - 1;
      seqStep = step;
      seqMin = Infinity;
    }
    if (end - MIN_SEQUENCE >= seqStart && dp.best[end - MIN_SEQUENCE] < seqMin) {
      seqMin = dp.best[end - MIN_SEQUENCE];
      seqFrom = end - MIN_SEQUENCE;
    }
    if (seqMin !== Infinity) dp.offer(seqFrom, SpanKind.Pattern);

    // Years and dates.
    if (isYearEndingAt(literal, end)) dp.offer(end - 4, SpanKind.Pattern);
    if (isDateEndingAt(literal, end, 6)) dp.offer(end - 6, SpanKind.Pattern);
    if (isDateEndingAt(literal, end, 8)) dp.offer(end - 8, SpanKind.Pattern);

    // A block repeating the block just before it, and any run continuing that period ("abcabcabcab").
    for (let block = 1; block <= MAX_REPEAT_BLOCK && block <= i; block++) {
      const run = folded[i] === folded[i - block] ? matchRun[block] + 1 : 0;
      matchRun[block] = run;
      if (block >= 2 && run >= block) {
        dp.offer(end - block, SpanKind.Pattern);
        if (run > block) dp.offer(end - run, SpanKind.Pattern);
      }
    }

    // Banned terms, the person's own terms and list entries.
    data.terms.matchEndingAt(symbols, end, dp);
    for (const term of data.personal) if (endsWith(folded, end, term)) dp.offer(end - term.length, SpanKind.Personal);
    for (let s = 0; s < listSpans.length; s += 2) if (listSpans[s + 1] === end) dp.offer(listSpans[s], SpanKind.ListEntry);
  }
  return dp.result();
}

function endsWith(folded: Int32Array, end: number, term: Int32Array): boolean {
  const start = end - term.length;
  if (start < 0) return false;
  for (let k = term.length - 1; k >= 0; k--) if (folded[start + k] !== term[k]) return false;
  return true;
}

/** The dynamic programme's table: best points for each prefix, with how it was reached. */
class CoverTable implements SpanSink {
  readonly best: Float64Array;
  private readonly from: Int32Array;
  private readonly kind: Uint8Array;
  private end = 0;

  constructor(private readonly n: number) {
    this.best = new Float64Array(n + 1).fill(Infinity);
    this.best[0] = 0;
    this.from = new Int32Array(n + 1);
    this.kind = new Uint8Array(n + 1);
  }

  /** Starts collecting the ways to reach `end`. */
  open(end: number): void {
    this.end = end;
  }

  /** Offers the span `[start, end)` of the given kind. */
  offer(start: number, kind: SpanKind): void {
    const cost = this.best[start] + 1;
    const end = this.end;
    if (cost < this.best[end] || (cost === this.best[end] && kind > this.kind[end])) {
      this.best[end] = cost;
      this.from[end] = start;
      this.kind[end] = kind;
    }
  }

  /** A banned term found by the trie. */
  span(start: number): void {
    this.offer(start, SpanKind.BannedTerm);
  }

  result(): Cover {
    let kinds = 0;
    for (let end = this.n; end > 0; end = this.from[end]) kinds |= 1 << this.kind[end];
    return { score: this.best[this.n], kinds };
  }
}
