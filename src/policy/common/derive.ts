import { hashCodePoints } from "./hash-set";
import type { Hash64 } from "./hash-set";
import { isLetter, normalise } from "./normalise";
import { MIN_LIST_ENTRY_LENGTH } from "./list-spans";
import type { RankedList } from "./sources";

/** How banned terms are derived from the ranked lists. */
export interface DeriveSettings {
  /** A core becomes a term when at least this many distinct list entries are built on it. */
  minVariants: number;
  /** Shortest derived term, in letters. */
  minLength: number;
  /** Longest derived term, in letters. */
  maxLength: number;
}

/** The settings the data files are built with. */
export const DERIVE_SETTINGS: DeriveSettings = { minVariants: 10, minLength: 4, maxLength: 16 };


const CP_A = 0x61;
const CP_Z = 0x7a;

/**
 * The base word of a list entry: normalised, with the digits and symbols around it stripped and substitutions
 * undone (`P@ssw0rd123!` → `password`, written in folded letters, so `l` stands for `i` as well). Undefined unless
 * what is left is plain letters a–z.
 */
export function coreOf(entry: string): string | undefined {
  const view = normalise(entry);
  let start = 0;
  let end = view.length;
  while (start < end && !isLetter(view.literal[start])) start++;
  while (end > start && !isLetter(view.literal[end - 1])) end--;
  let core = "";
  for (let i = start; i < end; i++) {
    const cp = view.folded[i];
    if (cp < CP_A || cp > CP_Z) return undefined;
    core += String.fromCharCode(cp);
  }
  return core.length > 0 ? core : undefined;
}

/** What the builder takes from the lists. */
export interface DerivedData {
  /** Banned base words (folded), most variants first. */
  terms: string[];
  /** Hashes of every distinct list entry's folded form, for the whole-password check. */
  entryHashes: Hash64[];
  /** Distinct entries across the lists (after lower-casing). */
  distinctEntries: number;
}

/** Derives banned base words and whole-entry hashes from ranked lists. */
export function deriveFromLists(lists: readonly RankedList[], settings: DeriveSettings = DERIVE_SETTINGS): DerivedData {
  const seen = new Set<string>();
  const variants = new Map<string, number>();
  const entryHashes: Hash64[] = [];
  for (const list of lists) {
    for (const raw of list.entries) {
      const entry = raw.toLowerCase();
      if (seen.has(entry)) continue;
      seen.add(entry);
      const folded = normalise(entry).folded;
      if (folded.length >= MIN_LIST_ENTRY_LENGTH) entryHashes.push(hashCodePoints(folded));
      const core = coreOf(entry);
      if (core !== undefined && core.length >= settings.minLength && core.length <= settings.maxLength) {
        variants.set(core, (variants.get(core) ?? 0) + 1);
      }
    }
  }
  const terms = [...variants]
    .filter(([, count]) => count >= settings.minVariants)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([core]) => core);
  return { terms, entryHashes, distinctEntries: seen.size };
}
