/**
 * Breached-password checks: the {@link BreachedPasswordChecker} port, the offline exact index and its builders,
 * the Have I Been Pwned range-API adapter, and a combination of both.
 */
export type { BreachLogger, BreachStatus, BreachedPasswordChecker } from "./types";
export { BreachIndexError, DEFAULT_BREACH_MEMORY_MB, OfflineBreachIndex } from "./offline";
export type { OfflineIndexOptions } from "./offline";
export { HibpRangeChecker } from "./hibp-range";
export type { HibpRangeCheckerOptions } from "./hibp-range";
export { CombinedBreachChecker } from "./combined";
export { buildIndex } from "./build";
export type { BuildIndexOptions, BuildIndexResult } from "./build";
export type { BuildInput } from "./lines";
export { DEFAULT_INDEX_FILE, DEFAULT_INDEX_SOURCES, buildDefaultIndex } from "./default-index";
export type { DefaultIndexResult, DefaultIndexSource } from "./default-index";
export { ensureDefaultIndex, openDefaultIndex } from "./install";
