/**
 * Rule 4 of the password policy, "not a common password", the way Microsoft Entra Password Protection does it.
 * A pure service: no bot code, no I/O after loading.
 *
 * @packageDocumentation
 */
export { CommonPasswordDetector, FUZZY_MIN_LENGTH, findProjectRoot } from "./detector";
export type { DetectorOptions } from "./detector";
export { ensureBannedTerms, BANNED_TERMS_FILE, COMMON_LIST_FILE, TERM_TRIE_FILE } from "./data-files";
export { LazyCommonPasswordDetector } from "./lazy-detector";
export type { LoadedDetector } from "./lazy-detector";
export type { DataFileOptions, EnsureResult } from "./data-files";
export { CURATED_TERMS } from "./curated-terms";
export { MIN_SCORE } from "./types";
export type { PasswordContext, CommonPasswordResult, CommonPasswordReason } from "./types";
