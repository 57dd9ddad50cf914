import fs from "node:fs";
import path from "node:path";
import { contextTerms } from "./context";
import { loadCommonData } from "./data-files";
import type { DataFileOptions } from "./data-files";
import type { HashSet64 } from "./hash-set";
import { normalise } from "./normalise";
import { SpanKind, scoreCover } from "./scorer";
import { FUZZY_MIN_LENGTH, TermTrie, termSymbols } from "./term-trie";
import { MIN_SCORE } from "./types";
import type { CommonPasswordReason, CommonPasswordResult, PasswordContext } from "./types";

export { FUZZY_MIN_LENGTH, MIN_TERM_LENGTH } from "./term-trie";

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
  private static readonly defaults = new Map<string, CommonPasswordDetector>();

  private constructor(
    private readonly terms: TermTrie,
    private readonly list: HashSet64,
  ) {}

  /**
   * Loads the data files (building them from the installed list packages first if they are missing or stale:
   * a few seconds, once), the term index included.
   */
  static load(options: DetectorOptions = {}): CommonPasswordDetector {
    const root = options.projectRoot ?? findProjectRoot(__dirname);
    const data = loadCommonData(root, options);
    return new CommonPasswordDetector(data.trie, data.list);
  }

  /**
   * One shared detector per project root (default: the project this module is installed in), loaded on first use.
   */
  static loadDefault(projectRoot: string = findProjectRoot(__dirname)): CommonPasswordDetector {
    let detector = CommonPasswordDetector.defaults.get(projectRoot);
    if (!detector) CommonPasswordDetector.defaults.set(projectRoot, (detector = CommonPasswordDetector.load({ projectRoot })));
    return detector;
  }

  /** A detector over the given banned terms (as people type them) and common-list hashes. */
  static fromData(terms: Iterable<string>, list: HashSet64): CommonPasswordDetector {
    return new CommonPasswordDetector(TermTrie.build(termSymbols(terms), FUZZY_MIN_LENGTH), list);
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

/**
 * The project root, from `src/` or `dist/src/`: the nearest folder at or above `from` with a package.json and a
 * node_modules folder, or failing that the nearest with a package.json. (The build copies package.json into `dist/`,
 * which is not the root: its `var/` would be a second copy of the data, built again whenever `dist/` is cleaned.)
 */
export function findProjectRoot(from: string): string {
  let nearest: string | undefined;
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) {
      if (fs.existsSync(path.join(dir, "node_modules"))) return dir;
      nearest ??= dir;
    }
    if (path.dirname(dir) === dir) {
      if (nearest) return nearest;
      throw new Error(`no package.json at or above ${from}`);
    }
  }
}
