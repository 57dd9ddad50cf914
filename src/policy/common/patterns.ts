/**
 * Predictable digit and symbol patterns, read in the literal view (before substitutions are undone). Each one found
 * counts as a single point, like a banned term: these are what people wrap around a base word ("Password123",
 * "Winter2018", "Summer2025!!!"), and what Entra's one-point-per-character rule would otherwise over-reward.
 */

/** Shortest sequence (`123`, `cba`, `!@#`) or run of one character (`!!!`) that counts as a pattern. */
export const MIN_SEQUENCE = 3;

/** Longest block that counts as a repeat of the block just before it (`abcabc`, `Summer1!Summer1!`). */
export const MAX_REPEAT_BLOCK = 32;

const CP_0 = 0x30;
const CP_9 = 0x39;
const CP_A = 0x61;
const CP_Z = 0x7a;
/** The shifted digits of a UK or US keyboard, in the order of the digits 0–9. */
const SHIFTED_DIGITS = ")!@#$%^&*(";

/**
 * A code point's place in an ordered class — digits, letters, shifted digits — as `class * 64 + index`, or -1.
 * Two neighbours in a sequence have the same class and indices one apart.
 */
export function sequenceOrdinal(cp: number): number {
  if (cp >= CP_0 && cp <= CP_9) return cp - CP_0;
  if (cp >= CP_A && cp <= CP_Z) return 64 + cp - CP_A;
  const shifted = cp < 0x80 ? SHIFTED_DIGITS.indexOf(String.fromCharCode(cp)) : -1;
  return shifted >= 0 ? 128 + shifted : -1;
}

function isDigit(cp: number): boolean {
  return cp >= CP_0 && cp <= CP_9;
}

function digitsAt(literal: Int32Array, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const cp = literal[i];
    if (!isDigit(cp)) return -1;
    value = value * 10 + cp - CP_0;
  }
  return value;
}

/** True when the four code points before `end` are a year from 1900 to 2099. */
export function isYearEndingAt(literal: Int32Array, end: number): boolean {
  if (end < 4) return false;
  const year = digitsAt(literal, end - 4, 4);
  return year >= 1900 && year <= 2099;
}

/**
 * True when the `length` (6 or 8) code points before `end` are digits that read as a date: day, month and year in
 * the orders people write them (`ddmmyy`, `mmddyy`, `yymmdd`, and the same with four-digit years from 1900 to 2099).
 */
export function isDateEndingAt(literal: Int32Array, end: number, length: 6 | 8): boolean {
  const start = end - length;
  if (start < 0 || digitsAt(literal, start, length) < 0) return false;
  const yearDigits = length - 4;
  const isYear = (y: number): boolean => yearDigits === 2 || (y >= 1900 && y <= 2099);
  const isDayMonth = (d: number, m: number): boolean => d >= 1 && d <= 31 && m >= 1 && m <= 12;
  const a = digitsAt(literal, start, 2);
  const b = digitsAt(literal, start + 2, 2);
  const tail = digitsAt(literal, start + 4, yearDigits);
  if (isYear(tail) && (isDayMonth(a, b) || isDayMonth(b, a))) return true;
  const head = digitsAt(literal, start, yearDigits);
  const m = digitsAt(literal, start + yearDigits, 2);
  const d = digitsAt(literal, start + yearDigits + 2, 2);
  return isYear(head) && isDayMonth(d, m);
}
