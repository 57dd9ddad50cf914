/**
 * Normalisation, as Microsoft Entra Password Protection does it before matching: NFKC, lower case, and undoing the
 * character substitutions people use to dress up a word (`P@ssw0rd` → `password`).
 *
 * A password is kept as two parallel views of its code points, so that one position can be read either way:
 * - `literal`: NFKC + lower case, as typed (years, digit runs and sequences are read here);
 * - `folded`: each code point mapped to a canonical letter where it stands for one (banned terms, names and the
 *   common list are matched here).
 *
 * The folding collapses `i`, `l`, `1`, `!` and `|` into one letter, written `l`: `1` is read as `l` and `!` as `i`
 * by the people who type them, and collapsing them (in terms and passwords alike) lets one view serve both readings.
 */

/** Size of the matching alphabet: `a`–`z` are 0–25, the digits left unfolded are 26–35, `.` is 36. */
export const ALPHABET_SIZE = 37;

/** The alphabet index of a code point outside the matching alphabet. */
export const NO_SYMBOL = 255;

const SUBSTITUTIONS: ReadonlyArray<readonly [string, string]> = [
  ["0", "o"],
  ["1", "l"],
  ["i", "l"],
  ["!", "l"],
  ["|", "l"],
  ["3", "e"],
  ["€", "e"],
  ["4", "a"],
  ["@", "a"],
  ["5", "s"],
  ["$", "s"],
  ["7", "t"],
  ["+", "t"],
  ["8", "b"],
  ["9", "g"],
];

/** Letters from other scripts that look like Latin ones (Cyrillic and Greek lower case). */
const LOOKALIKES = "аaвbеeкkмmнhоoрpсcтtуyхxіlјjѕsԁdοoαaιlκkνvρpτtυuχxϲc";

const FOLD = new Map<number, number>();
for (const [from, to] of SUBSTITUTIONS) FOLD.set(from.codePointAt(0) ?? 0, to.codePointAt(0) ?? 0);
for (let i = 0; i < LOOKALIKES.length; i += 2) {
  FOLD.set(LOOKALIKES.codePointAt(i) ?? 0, FOLD.get(LOOKALIKES.codePointAt(i + 1) ?? 0) ?? LOOKALIKES.codePointAt(i + 1) ?? 0);
}

const COMBINING_MARK = /^\p{M}+$/u;
const CP_A = 0x61;
const CP_Z = 0x7a;
const CP_0 = 0x30;
const CP_9 = 0x39;
const CP_DOT = 0x2e;

/** The canonical code point of one (already NFKC-normalised, lower-cased) code point. */
export function foldCodePoint(cp: number): number {
  const mapped = FOLD.get(cp);
  if (mapped !== undefined) return mapped;
  if (cp < 0x80) return cp;
  // A Latin letter with accents folds to the bare letter (é → e, ø stays ø).
  const decomposed = String.fromCodePoint(cp).normalize("NFD");
  const base = decomposed.codePointAt(0) ?? cp;
  if (base >= CP_A && base <= CP_Z && COMBINING_MARK.test(decomposed.slice(1))) return FOLD.get(base) ?? base;
  return cp;
}

/** The matching-alphabet index of a canonical code point, or {@link NO_SYMBOL}. */
export function symbolOf(cp: number): number {
  if (cp >= CP_A && cp <= CP_Z) return cp - CP_A;
  if (cp >= CP_0 && cp <= CP_9) return 26 + cp - CP_0;
  return cp === CP_DOT ? 36 : NO_SYMBOL;
}

/** True for a code point that is a letter in any script. */
export function isLetter(cp: number): boolean {
  if (cp < 0x80) return cp >= CP_A && cp <= CP_Z;
  return LETTER.test(String.fromCodePoint(cp));
}
const LETTER = /^\p{L}$/u;

/** A password after normalisation: parallel views, one entry per code point. */
export interface NormalisedPassword {
  /** Number of code points: the most points the password can score. */
  readonly length: number;
  /** Code points after NFKC and lower-casing. */
  readonly literal: Int32Array;
  /** Canonical code points: substitutions undone, look-alikes and accents folded. */
  readonly folded: Int32Array;
  /** {@link symbolOf} of each folded code point. */
  readonly symbols: Uint8Array;
}

/** Normalises a password: NFKC, lower case, then the literal and folded views. */
export function normalise(password: string): NormalisedPassword {
  const text = password.normalize("NFKC").toLowerCase();
  const literal = new Int32Array(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) ?? 0;
    if (cp > 0xffff) i++;
    literal[length++] = cp;
  }
  const view = literal.subarray(0, length);
  const folded = new Int32Array(length);
  const symbols = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const cp = view[i];
    folded[i] = cp >= CP_A && cp <= CP_Z && cp !== 0x69 ? cp : foldCodePoint(cp);
    symbols[i] = symbolOf(folded[i]);
  }
  return { length, literal: view, folded, symbols };
}

/**
 * The folded form of a term or list entry, as a string of canonical code points, so that it matches what
 * {@link normalise} makes of a password that contains it.
 */
export function foldText(text: string): string {
  const folded = normalise(text).folded;
  let out = "";
  for (const cp of folded) out += String.fromCodePoint(cp);
  return out;
}
