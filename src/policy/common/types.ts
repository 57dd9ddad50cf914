/** What the detector knows about the person choosing the password; every field is optional. */
export interface PasswordContext {
  /** Their email address; the local part (before `@`) is used, split on `.`, `_`, `-` and `+`. */
  email?: string;
  firstName?: string;
  lastName?: string;
  /** As the directory shows it, e.g. "Okonkwo, Chidi (NHS England)". */
  displayName?: string;
  /** Their organisation, e.g. "Leeds Teaching Hospitals NHS Trust". */
  organisation?: string;
}

/**
 * Why a password was found common, for the message shown to the user (never the password or the word found):
 * - `"common-list"`: it is, or its core is, an entry of the common-password lists;
 * - `"banned-word"`: it is built on a banned word (a common base word, season, month, day, keyboard walk, …);
 * - `"personal-info"`: it contains the person's own name, email address or organisation.
 */
export type CommonPasswordReason = "common-list" | "banned-word" | "personal-info";

/** The detector's answer. */
export interface CommonPasswordResult {
  /** True when the password scores fewer than {@link MIN_SCORE} points. */
  common: boolean;
  /**
   * Entra-style points: 1 for each banned term, personal term, list entry or predictable pattern (year, date,
   * sequence, repeat) the password is made of, and 1 for each other character. The cheapest description counts.
   */
  score: number;
  /**
   * For a common password, the kinds of what was found, most specific first (`personal-info`, `common-list`,
   * `banned-word`). Empty for a password that is not common, and for one that is common only because it is short or
   * made of predictable patterns.
   */
  reasons: CommonPasswordReason[];
}

/** Points a password needs to pass, as in Microsoft Entra Password Protection. */
export const MIN_SCORE = 5;
