import type { Account } from "../src/directory/account";
import type { PasswordPolicy, RuleOutcome } from "../src/policy";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { cardText } from "./prompts/card-submit-prompt";

/** Said when a password is typed as a chat message. */
export const DONT_TYPE_PASSWORDS =
  "Please don't type a password in the chat: messages stay in the chat history. Use the masked boxes on the card. " +
  "If what you typed was the password you meant to use, choose a different one.";
/** Said when the new-password boxes are empty or unreadable. */
export const BOTH_BOXES = "Type your new password in both boxes.";
/** Said when the two new-password boxes differ. */
export const MISMATCH = "The two passwords don't match. Type the same password in both boxes.";

/** The longest input read from a password box; anything longer is treated as unreadable. */
export const MAX_PASSWORD_INPUT = 1024;

/** One line of a card's password checklist. */
export interface ChecklistLine {
  mark: string;
  text: string;
}

const MARKS = { pass: "✓", fail: "✗", "not-checked": "•" } as const;

/** The policy checklist for a card: every rule with a bullet, or with ✓/✗ once a password has been checked. */
export function policyChecklist(policy: PasswordPolicy, rules?: readonly RuleOutcome[]): ChecklistLine[] {
  return rules
    ? rules.map((r) => ({ mark: MARKS[r.status], text: r.description }))
    : policy.describe().map((r) => ({ mark: "•", text: r.description }));
}

/** The new password typed twice, or what was wrong with the boxes. */
export type NewPasswordReading = { ok: true; password: string } | { ok: false; problem: string };

/**
 * Reads the new password from `newPassword` and `confirmPassword`: both must be strings of a sane length, and
 * equal. The message never repeats what was typed.
 */
export function readNewPassword(submission: CardSubmission): NewPasswordReading {
  const password = cardText(submission, "newPassword", MAX_PASSWORD_INPUT);
  const confirm = cardText(submission, "confirmPassword", MAX_PASSWORD_INPUT);
  if (!password || !confirm) return { ok: false, problem: BOTH_BOXES };
  if (password !== confirm) return { ok: false, problem: MISMATCH };
  return { ok: true, password };
}

/** The policy's answer for a new password: fine, or the problems to list and the checklist to show. */
export type NewPasswordVerdict =
  | { ok: true }
  | {
      ok: false;
      /** One plain-English line per failed rule (never echoing the password). */
      problems: string[];
      /** Every rule with its outcome, for the ✓/✗ checklist. */
      rules: RuleOutcome[];
      /** The failed rules' ids, comma-separated, for the audit log. */
      failedRules: string;
    };

/**
 * Checks a new password for an account against the full policy: the text rules, the person's own details (name,
 * address, organisation), their current and previous passwords, common and breached passwords.
 */
export async function checkNewPassword(policy: PasswordPolicy, account: Account, password: string): Promise<NewPasswordVerdict> {
  const context = {
    email: account.email,
    firstName: account.firstName,
    lastName: account.lastName,
    displayName: account.displayName,
    organisation: account.organisation,
  };
  const verdict = await policy.check({ password, context, currentHash: account.passwordHash, previousHashes: account.previousPasswordHashes });
  if (verdict.ok) return { ok: true };
  return {
    ok: false,
    problems: verdict.failures.map((f) => f.message),
    rules: verdict.rules,
    failedRules: verdict.failures.map((f) => f.rule).join(","),
  };
}
