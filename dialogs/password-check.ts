import type { Account } from "../src/directory/account";
import type { Directory, PasswordChange } from "../src/directory/directory";
import { DirectoryUnavailableError, PasswordRefusedError } from "../src/directory/errors";
import type { DirectoryFailure } from "../src/directory/errors";
import type { PasswordHasher, PasswordPolicy, RuleOutcome } from "../src/policy";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { inSpan } from "../src/telemetry/spans";
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
  const verdict = await inSpan("policy.check", {}, () => policy.check({ password, context, currentHash: account.passwordHash, previousHashes: account.previousPasswordHashes }));
  if (verdict.ok) return { ok: true };
  return {
    ok: false,
    problems: verdict.failures.map((f) => f.message),
    rules: verdict.rules,
    failedRules: verdict.failures.map((f) => f.rule).join(","),
  };
}

/** Said when the account service's own rules (an Entra tenant's password policy) refuse a password the bot accepted. */
export const ORGANISATION_REFUSED =
  "Your organisation's own password rules don't accept that password. Choose a different one: longer, with a mix of capital and small letters, numbers and symbols, and without any part of your name or email address.";

/** What the card says when the account service could not take the new password, by what went wrong. */
export const NOT_CHANGED: Record<DirectoryFailure, string> = {
  permission: "I can't change passwords just now because of a problem on our side, so nothing has changed. The helpdesk can help: type **talk to a person**.",
  throttled: "The account service is busy, so your password hasn't changed yet. Please wait a minute, then type your new password in both boxes again.",
  unreachable: "I couldn't reach the account service, so your password hasn't changed. Please wait a minute, then type your new password in both boxes again.",
  uncertain:
    "I couldn't confirm whether your password changed. Try signing in with your new password at portal.nhs.net. If it doesn't work, type your new password in both boxes again, or type **talk to a person**.",
};

/** What setting a new password came to: changed, or refused with the line for the card and an audit detail. */
export type NewPasswordOutcome = PasswordChange | { refused: string; detail: string };

/**
 * Sends a new password (already checked against the policy) to the account service, with its hash for the history.
 * A refusal by the service's own rules, or a service that could not be used, comes back as a line for the card, so
 * the person stays on the card and can try again; nothing else is caught.
 */
export async function setNewPassword(
  services: { directory: Directory; hasher: PasswordHasher; clock: () => Date },
  email: string,
  password: string,
): Promise<NewPasswordOutcome> {
  try {
    return await services.directory.setPassword(email, { password, hash: await services.hasher.hash(password) }, services.clock());
  } catch (error) {
    if (error instanceof PasswordRefusedError) return { refused: ORGANISATION_REFUSED, detail: "organisation-rules" };
    if (error instanceof DirectoryUnavailableError) return { refused: NOT_CHANGED[error.failure], detail: `directory-${error.failure}` };
    throw error;
  }
}
