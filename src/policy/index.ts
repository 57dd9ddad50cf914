/**
 * The NHSmail password policy: text rules, password history, common passwords (Entra-style) and breached
 * passwords. A pure service: no bot code.
 *
 * @packageDocumentation
 */
export { PasswordPolicy } from "./password-policy";
export type { PasswordCandidate, PolicyVerdict, RuleOutcome, CommonPasswordCheck } from "./password-policy";
export { PasswordHasher, DEFAULT_SCRYPT_COST } from "./password-hasher";
export type { ScryptCost } from "./password-hasher";
export { RULES, NHSMAIL_LIMITS, describeRule, characterCount, checkText } from "./rules";
export type { RuleId, RuleFailure, LengthLimits } from "./rules";
export { createPasswordPolicy } from "./create-policy";
export type { BreachSource, PolicySettings, PolicyHandle } from "./create-policy";
export type { PasswordContext } from "./common";
