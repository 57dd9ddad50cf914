import fs from "node:fs";
import path from "node:path";
import { contextTerms } from "./context";
import { CURATED_TERMS } from "./curated-terms";
import { loadCommonData } from "./data-files";
import type { DataFileOptions } from "./data-files";
import type { HashSet64 } from "./hash-set";
import { NO_SYMBOL, normalise } from "./normalise";
import { SpanKind, scoreCover } from "./scorer";
import { TermTrie } from "./term-trie";
import { MIN_SCORE } from "./types";
import type { CommonPasswordReason, CommonPasswordResult, PasswordContext } from "./types";

/** Terms of at least this many letters also match at edit distance 1; shorter ones only exactly. */
export const FUZZY_MIN_LENGTH = 6;

/** Shortest banned term kept, in letters (curated terms such as "nhs"; derived ones start at 4). */
export const MIN_TERM_LENGTH = 3;

/** Options for {@link CommonPasswordDetector.load}. */
export interface DetectorOptions extends DataFileOptions {
  /** The project whose `node_modules` holds the list packages and whose `var` holds the data files. */
  projectRoot?: string;
}

/**
 * Finds common passwords the way Microsoft Entra Password Protection does: normalise, find banned terms (exactly,
 * or at edit distance 1 from six letters on), the person's own names and the common-list entries, and score one
 * point per term or pattern found plus one per other character; fewer than {@link MIN_SCORE} points is common.
 * Pure and synchronous once loaded.
 */
export class CommonPasswordDetector {
  private static defaultInstance: CommonPasswordDetector | undefined;

  private constructor(
    private readonly terms: TermTrie,
    private readonly list: HashSet64,
  ) {}

  /**
   * Loads the data files (building them from the installed list packages first if they are missing or stale:
   * a few seconds, once) and builds the term index.
   */
  static load(options: DetectorOptions = {}): CommonPasswordDetector {
    const root = options.projectRoot ?? findProjectRoot(__dirname);
    const data = loadCommonData(root, options);
    return CommonPasswordDetector.fromData([...data.terms, ...CURATED_TERMS], data.list);
  }

  /** One shared detector for the project this module is installed in, loaded on first use. */
  static loadDefault(): CommonPasswordDetector {
    CommonPasswordDetector.defaultInstance ??= CommonPasswordDetector.load();
    return CommonPasswordDetector.defaultInstance;
  }

  /** A detector over the given banned terms (as people type them) and common-list hashes. */
  static fromData(terms: Iterable<string>, list: HashSet64): CommonPasswordDetector {
    const symbols: Uint8Array[] = [];
    for (const term of terms) {
      const folded = normalise(term).symbols;
      if (folded.length >= MIN_TERM_LENGTH && !folded.includes(NO_SYMBOL)) symbols.push(folded);
    }
    return new CommonPasswordDetector(TermTrie.build(symbols, FUZZY_MIN_LENGTH), list);
  }

  /** The number of distinct banned terms (after normalisation). */
  get termCount(): number {
    return this.terms.size;
  }

  /** The number of distinct entries in the whole-password list. */
  get listSize(): number {
    return this.list.size;
  }

  /** Checks a password, optionally against the person's own names, email and organisation. */
  check(password: string, context?: PasswordContext): CommonPasswordResult {
    const view = normalise(password);
    const cover = scoreCover(view, { terms: this.terms, list: this.list, personal: contextTerms(context) });
    const common = cover.score < MIN_SCORE;
    const reasons: CommonPasswordReason[] = [];
    if (common) {
      if (cover.kinds & (1 << SpanKind.Personal)) reasons.push("personal-info");
      if (cover.kinds & (1 << SpanKind.ListEntry)) reasons.push("common-list");
      if (cover.kinds & (1 << SpanKind.BannedTerm)) reasons.push("banned-word");
    }
    return { common, score: cover.score, reasons };
  }
}

/** The nearest folder at or above `from` with a package.json: the project root, from `src/` or `dist/src/`. */
export function findProjectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json at or above ${from}`);
  }
}
