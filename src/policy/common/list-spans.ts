import { CodePointHasher } from "./hash-set";
import type { Hash64, HashSet64 } from "./hash-set";
import { isLetter } from "./normalise";
import type { NormalisedPassword } from "./normalise";

/** Shortest list entry kept for the whole-password check, in code points (a shorter span saves at most 2 points). */
export const MIN_LIST_ENTRY_LENGTH = 4;

/** How far into the leading and trailing digits and symbols the whole-password check looks for the core. */
const MAX_AFFIX = 8;

/**
 * Spans `[start, end)` whose folded text is a list entry: the whole password, and its core with up to
 * {@link MAX_AFFIX} leading and trailing non-letters stripped (`Welcome12345` → `welcome`, `trustno1!` → `trustno1`).
 * Returned flat: start, end, start, end, …
 */
export function findListEntries(view: NormalisedPassword, list: HashSet64): number[] {
  const n = view.length;
  let first = 0;
  while (first < n && !isLetter(view.literal[first])) first++;
  let last = n;
  while (last > first && !isLetter(view.literal[last - 1])) last--;
  const found: number[] = [];
  const hasher = new CodePointHasher();
  const hash: Hash64 = { hi: 0, lo: 0 };
  const maxStart = first === n ? 0 : Math.min(first, MAX_AFFIX);
  const minEnd = first === n ? n : Math.max(last, n - MAX_AFFIX);
  for (let start = 0; start <= maxStart; start++) {
    hasher.reset();
    for (let end = start + 1; end <= n; end++) {
      hasher.add(view.folded[end - 1]);
      if (end >= minEnd && end - start >= MIN_LIST_ENTRY_LENGTH && list.has(hasher.digest(hash))) found.push(start, end);
    }
  }
  return found;
}
