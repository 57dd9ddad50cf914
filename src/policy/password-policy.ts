import type { BreachedPasswordChecker } from "./breach";
import type { CommonPasswordResult, PasswordContext } from "./common";
import type { PasswordHasher } from "./password-hasher";
import { characterCount, checkText, describeRule, NHSMAIL_LIMITS, RULES } from "./rules";
import type { LengthLimits, RuleFailure, RuleId } from "./rules";

/** Finds common passwords (Entra-style); see `src/policy/common`. */
export interface CommonPasswordCheck {
  check(password: string, context?: PasswordContext): CommonPasswordResult;
  /** Loads the check's data ahead of the first check, when it is loaded on first use. */
  prepare?(): Promise<void>;
}

/** What the policy needs. */
export interface PasswordPolicyOptions {
  common: CommonPasswordCheck;
  hasher: PasswordHasher;
  /** Breach source; none means the rule is reported as not checked. */
  breach?: BreachedPasswordChecker;
  limits?: LengthLimits;
  /** How many previous passwords may not be used again (the current one never may). NHSmail: 4. */
  historyLength?: number;
}

/** A candidate password and what it is checked against. */
export interface PasswordCandidate {
  password: string;
  /** The person's own details: a password built from them is refused. */
  context?: PasswordContext;
  /** Hash of the current password, if any. */
  currentHash?: string;
  /** Hashes of earlier passwords, most recent first; only the first `historyLength` count. */
  previousHashes?: readonly string[];
}

/** One line of the checklist. */
export interface RuleOutcome {
  rule: RuleId;
  /** What the rule asks for. */
  description: string;
  /** "pass", "fail", or "not-checked" (too long to check further, or no data to check against). */
  status: "pass" | "fail" | "not-checked";
  /** For a failure: what to change. */
  message?: string;
}

/** The policy's answer: every rule with its outcome, and the failures on their own. */
export interface PolicyVerdict {
  ok: boolean;
  rules: RuleOutcome[];
  failures: RuleFailure[];
}

const COMMON_MESSAGES: Record<Exclude<CommonPasswordResult["reasons"][number], "personal-info">, string> = {
  "common-list": "This is one of the passwords people use most often, so it's among the first that criminals try.",
  "banned-word": "It's built on a common word or pattern (like Password123 or Winter2018). Add words that aren't an obvious pattern.",
};
const PERSONAL_MESSAGE = "Don't use your own name, email address or organisation in your password.";

/** True when the context names the person at all, so that a password built on their details can be found. */
function hasPersonalDetails(context: PasswordContext | undefined): boolean {
  return Boolean(context && [context.email, context.firstName, context.lastName, context.displayName, context.organisation].some((v) => v?.trim()));
}

/**
 * The NHSmail password policy: the text rules, history, the person's own details, common passwords and breached
 * passwords, all reported.
 */
export class PasswordPolicy {
  private readonly limits: LengthLimits;
  private readonly historyLength: number;

  constructor(private readonly options: PasswordPolicyOptions) {
    this.limits = options.limits ?? NHSMAIL_LIMITS;
    this.historyLength = options.historyLength ?? 4;
  }

  /** The checklist before anything is typed, for cards. */
  describe(): Array<{ rule: RuleId; description: string }> {
    return RULES.map((rule) => ({ rule, description: describeRule(rule, this.limits, this.historyLength) }));
  }

  /**
   * Loads what the checks need and is loaded on first use (the common-password data), so that the first check does
   * not wait for it: call it when a journey that will ask for a password starts. Safe to call any number of times.
   */
  prepare(): Promise<void> {
    return this.options.common.prepare?.() ?? Promise.resolve();
  }

  /**
   * Everything but history and breaches: synchronous, no I/O once loaded, well under a millisecond. The first call
   * loads the common-password data if {@link PasswordPolicy.prepare} has not.
   */
  checkLocal(password: string, context?: PasswordContext): RuleFailure[] {
    const failures = checkText(password, this.limits);
    if (!this.tooLongToCheck(password)) {
      const common = this.options.common.check(password, context);
      if (common.common) {
        // The person's own details have a rule (and a checklist line) of their own, so the ✗ lands where the message
        // points; the common-password rule fails too when a common word or list entry played its part, or nothing
        // else explains the low score (short, or only predictable patterns).
        const personal = common.reasons.includes("personal-info");
        const other = common.reasons.find((reason) => reason !== "personal-info");
        if (personal) failures.push({ rule: "not-personal", message: PERSONAL_MESSAGE });
        if (other || !personal) failures.push({ rule: "not-common", message: COMMON_MESSAGES[other ?? "banned-word"] });
      }
    }
    return failures;
  }

  /** Checks a candidate against every rule. */
  async check(candidate: PasswordCandidate): Promise<PolicyVerdict> {
    await this.prepare();
    const { password } = candidate;
    const failures = this.checkLocal(password, candidate.context);
    const notChecked = new Set<RuleId>();
    if (this.tooLongToCheck(password)) notChecked.add("not-common");
    if (this.tooLongToCheck(password) || !hasPersonalDetails(candidate.context)) notChecked.add("not-personal");

    const history = [candidate.currentHash, ...(candidate.previousHashes ?? []).slice(0, this.historyLength)].filter(
      (hash): hash is string => typeof hash === "string",
    );
    const [reused, breach] = await Promise.all([
      history.length > 0 && !this.tooLongToCheck(password) ? this.options.hasher.matchesAny(password, history) : Promise.resolve(false),
      this.options.breach && !this.tooLongToCheck(password) ? this.options.breach.check(password) : Promise.resolve(undefined),
    ]);
    if (history.length === 0 || this.tooLongToCheck(password)) notChecked.add("not-recent");
    if (reused) {
      failures.push({
        rule: "not-recent",
        message: `You've used this password before. Choose one that isn't your current password or one of your previous ${this.historyLength}.`,
      });
    }
    if (breach === undefined) notChecked.add("not-breached");
    if (breach === "breached") {
      failures.push({ rule: "not-breached", message: "This password has appeared in a data breach, so criminals may try it. Choose a different one." });
    } else if (breach === "unavailable") {
      failures.push({ rule: "not-breached", message: "We couldn't check this password against breach data just now. Please try again in a minute." });
    }
    return { ok: failures.length === 0, failures, rules: this.outcomes(failures, notChecked) };
  }

  private outcomes(failures: RuleFailure[], notChecked: Set<RuleId>): RuleOutcome[] {
    return RULES.map((rule) => {
      const failure = failures.find((f) => f.rule === rule);
      const description = describeRule(rule, this.limits, this.historyLength);
      if (failure) return { rule, description, status: "fail", message: failure.message };
      return { rule, description, status: notChecked.has(rule) ? "not-checked" : "pass" };
    });
  }

  // Past the maximum the password is refused anyway; the costly checks are skipped so a huge input costs nothing.
  private tooLongToCheck(password: string): boolean {
    return password.length > this.limits.maxLength * 2 || characterCount(password) > this.limits.maxLength;
  }
}
