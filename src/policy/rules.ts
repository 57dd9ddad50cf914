/** Every rule of the NHSmail password policy, in the order a checklist shows them. */
export const RULES = [
  "min-length",
  "max-length",
  "no-pound-sign",
  "no-control-characters",
  "no-edge-spaces",
  "not-recent",
  "not-personal",
  "not-common",
  "not-breached",
] as const;

/** One rule of the policy. */
export type RuleId = (typeof RULES)[number];

/** Limits the text rules use. */
export interface LengthLimits {
  minLength: number;
  maxLength: number;
}

/** The NHSmail limits: at least 10 characters with no mix of types required, and a generous maximum. */
export const NHSMAIL_LIMITS: LengthLimits = { minLength: 10, maxLength: 256 };

/** How each rule is described on a checklist, before any password is typed. */
export function describeRule(rule: RuleId, limits: LengthLimits = NHSMAIL_LIMITS, historyLength = 4): string {
  switch (rule) {
    case "min-length":
      return `At least ${limits.minLength} characters (any mix of letters, numbers, spaces and symbols)`;
    case "max-length":
      return `No more than ${limits.maxLength} characters`;
    case "no-pound-sign":
      return "No '£' sign";
    case "no-control-characters":
      return "No invisible control characters such as tabs or line breaks";
    case "no-edge-spaces":
      return "No space at the very start or end";
    case "not-recent":
      return `Not your current password or one of your previous ${historyLength}`;
    case "not-personal":
      return "Not based on your name, email address or organisation";
    case "not-common":
      return "Not a common password or an easy-to-guess pattern, such as Password123 or Winter2018";
    case "not-breached":
      return "Not a password that has appeared in a data breach";
  }
}

/** Counts characters as a person does: Unicode code points after NFC normalisation (é typed as e + ◌́ is one). */
export function characterCount(password: string): number {
  let count = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- iterating a string walks code points
  for (const _ of password.normalize("NFC")) count++;
  return count;
}

const CONTROL = /\p{Cc}/u;
// Spaces a person would not see at the edges, including zero-width ones and the byte-order mark.
const EDGE_SPACE = /^[\s\u200B\u2060\uFEFF]|[\s\u200B\u2060\uFEFF]$/u;

/** A rule that failed, with a plain-English message saying what to change. */
export interface RuleFailure {
  rule: RuleId;
  message: string;
}

/** The rules that need nothing but the password itself. Returns every failure, not only the first. */
export function checkText(password: string, limits: LengthLimits = NHSMAIL_LIMITS): RuleFailure[] {
  const failures: RuleFailure[] = [];
  const length = characterCount(password);
  if (length < limits.minLength) {
    const more = limits.minLength - length;
    failures.push({
      rule: "min-length",
      message: `Use at least ${limits.minLength} characters: add ${more} more. A short phrase of three or four words is easy to remember.`,
    });
  }
  if (length > limits.maxLength) {
    failures.push({ rule: "max-length", message: `Use no more than ${limits.maxLength} characters.` });
  }
  if (password.includes("£")) {
    failures.push({ rule: "no-pound-sign", message: "Don't use the '£' sign: some email programs can't handle it." });
  }
  if (CONTROL.test(password)) {
    failures.push({ rule: "no-control-characters", message: "Remove invisible characters such as tabs or line breaks." });
  }
  if (EDGE_SPACE.test(password)) {
    failures.push({ rule: "no-edge-spaces", message: "Remove the space at the start or end: it's easy to forget when you sign in." });
  }
  return failures;
}
