/**
 * The OData `$filter` parser for user look-ups: `userPrincipalName eq '…'` and `mail eq '…'` comparisons joined by
 * `or`, optionally parenthesised, and matching a user against the parsed filter.
 */
import { ODataError } from "./replies";
import { USER_PROPERTIES } from "./users";
import type { StandInUser } from "./users";

type FilterProperty = "userPrincipalName" | "mail";
/** A parsed `$filter`. */
export type UserFilter = { op: "eq"; property: FilterProperty; value: string } | { op: "or"; left: UserFilter; right: UserFilter };

/** Whether `user` matches `filter` (values compared case-insensitively, as Entra does). */
export function matches(filter: UserFilter, user: StandInUser): boolean {
  if (filter.op === "or") return matches(filter.left, user) || matches(filter.right, user);
  const actual = filter.property === "mail" ? user.mail : user.userPrincipalName;
  return actual !== null && actual.toLowerCase() === filter.value.toLowerCase();
}

type FilterToken = { type: "ident"; text: string; at: number } | { type: "string"; text: string; at: number } | { type: "paren"; text: "(" | ")"; at: number };

/** Splits an OData `$filter` into identifiers, string literals (with `''` read as `'`) and parentheses. */
function tokenise(filter: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter.charAt(i);
    if (c === " ") {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ type: "paren", text: c, at: i });
      i++;
    } else if (c === "'") {
      const start = i;
      let text = "";
      i++;
      for (;;) {
        if (i >= filter.length) throw new ODataError(`Invalid filter clause: There is an unterminated string literal at position ${start} in '${filter}'.`);
        const d = filter.charAt(i);
        if (d === "'") {
          if (filter.charAt(i + 1) === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += d;
        i++;
      }
      tokens.push({ type: "string", text, at: start });
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < filter.length && /[A-Za-z0-9_]/.test(filter.charAt(i))) i++;
      tokens.push({ type: "ident", text: filter.slice(start, i), at: start });
    } else {
      throw new ODataError(`Invalid filter clause: Syntax error: character '${c}' is not valid at position ${i} in '${filter}'.`);
    }
  }
  return tokens;
}

/**
 * Parses the `$filter` forms the stand-in supports: `userPrincipalName eq '…'`, `mail eq '…'`, joined by `or` and
 * optionally parenthesised. Anything else is an {@link ODataError}.
 */
export function parseUserFilter(filter: string): UserFilter {
  const tokens = tokenise(filter);
  let pos = 0;
  const syntaxError = (): ODataError => new ODataError(`Invalid filter clause: Syntax error at position ${tokens[pos]?.at ?? filter.length} in '${filter}'.`);
  const comparison = (): UserFilter => {
    const token = tokens[pos];
    if (token?.type === "paren" && token.text === "(") {
      pos++;
      const inner = expression();
      const close = tokens[pos];
      if (close?.type !== "paren" || close.text !== ")") throw syntaxError();
      pos++;
      return inner;
    }
    if (token?.type !== "ident") throw syntaxError();
    if (token.text !== "userPrincipalName" && token.text !== "mail") {
      const known = USER_PROPERTIES.some((p) => p === token.text);
      throw new ODataError(
        known
          ? `Invalid filter clause: the stand-in supports only userPrincipalName and mail comparisons, not '${token.text}'.`
          : `Invalid filter clause: Could not find a property named '${token.text}' on type 'microsoft.graph.user'.`,
      );
    }
    pos++;
    const op = tokens[pos];
    if (op?.type !== "ident" || op.text !== "eq") throw syntaxError();
    pos++;
    const value = tokens[pos];
    if (value?.type !== "string") throw syntaxError();
    pos++;
    return { op: "eq", property: token.text, value: value.text };
  };
  const expression = (): UserFilter => {
    let left = comparison();
    for (;;) {
      const next = tokens[pos];
      if (next?.type !== "ident" || next.text !== "or") return left;
      pos++;
      left = { op: "or", left, right: comparison() };
    }
  };
  const result = expression();
  if (pos !== tokens.length) throw syntaxError();
  return result;
}
