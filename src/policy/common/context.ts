import { normalise } from "./normalise";
import type { PasswordContext } from "./types";

/** Shortest personal term matched, in code points (as Entra does for names). */
export const MIN_CONTEXT_TERM_LENGTH = 4;

const MAX_TERMS = 32;
const MAX_TERM_LENGTH = 64;
const WORD_SEPARATOR = /[^\p{L}\p{M}\p{N}]+/u;
const NON_LETTERS = /[^\p{L}\p{M}]+/u;

/**
 * The person's own terms, folded like a password so that they match its folded view: first name, last name, the
 * words of the display name, the email local part split on `.`, `_`, `-`, `+` and digits, and the words of the
 * organisation; for names and the email local part also the parts run together ("Mary-Jane" → "maryjane").
 * Terms shorter than {@link MIN_CONTEXT_TERM_LENGTH} are left out.
 */
export function contextTerms(context: PasswordContext | undefined): readonly Int32Array[] {
  if (!context) return [];
  const key = JSON.stringify([context.firstName, context.lastName, context.displayName, context.email, context.organisation]);
  const cached = recent.get(key);
  if (cached) return cached;
  const terms = computeTerms(context);
  if (recent.size >= MAX_CACHED) recent.delete(recent.keys().next().value ?? "");
  recent.set(key, terms);
  return terms;
}

/** The terms of the last few contexts: a person usually tries several passwords in a row. */
const recent = new Map<string, readonly Int32Array[]>();
const MAX_CACHED = 64;

function computeTerms(context: PasswordContext): Int32Array[] {
  const words: string[] = [];
  const addParts = (text: string | undefined, separator: RegExp, joined: boolean): void => {
    if (!text) return;
    const parts = text.split(separator).filter((part) => part.length > 0);
    words.push(...parts);
    if (joined && parts.length > 1) words.push(parts.join(""));
  };
  addParts(context.firstName, WORD_SEPARATOR, true);
  addParts(context.lastName, WORD_SEPARATOR, true);
  addParts(context.displayName, WORD_SEPARATOR, false);
  const at = context.email?.lastIndexOf("@") ?? -1;
  addParts(at >= 0 ? context.email?.slice(0, at) : context.email, NON_LETTERS, true);
  addParts(context.organisation, WORD_SEPARATOR, false);

  const terms: Int32Array[] = [];
  const seen = new Set<string>();
  for (const word of words) {
    if (terms.length >= MAX_TERMS) break;
    const folded = normalise(word.slice(0, MAX_TERM_LENGTH * 2)).folded.slice(0, MAX_TERM_LENGTH);
    if (folded.length < MIN_CONTEXT_TERM_LENGTH) continue;
    const key = folded.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(folded);
  }
  return terms;
}
