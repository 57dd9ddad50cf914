import type { ThrottleName } from "./ports";

/** One named limit: at most `points` events per window for one key. */
export interface ThrottleLimit {
  /** Events allowed in one window; the next one is refused. */
  readonly points: number;
  /** Window length in whole seconds. A window starts with the first event counted after the previous one ended. */
  readonly windowSeconds: number;
  /** Once a key goes over the limit, how long it is refused, in whole seconds; 0 means until its window ends. */
  readonly blockSeconds: number;
  /** What the key is: an account's email (compared trimmed and lower-cased), or a Teams user id or client address (as given). */
  readonly keyKind: "account" | "teamsUser" | "client";
  /** Whether {@link StoreThrottles.reset} clears this limit after a successful reset. */
  readonly clearedByReset: boolean;
}

/** Every limit, by name. */
export type ThrottleLimits = Readonly<Record<ThrottleName, ThrottleLimit>>;

/** Changes to some limits; whatever is not given keeps its default. */
export type ThrottleLimitOverrides = Partial<Record<ThrottleName, Partial<ThrottleLimit>>>;

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * The limits of Microsoft Entra self-service password reset, which this bot is measured against:
 * - per account, known or unknown alike: codes sent, calls made and codes checked at most 5 an hour each, then
 *   blocked 24 hours; 5 failed identity proofs in 24 hours, then blocked 24 hours; 5 completed resets an hour;
 * - per Teams user: at most 10 reset journeys started an hour, then blocked 24 hours, so that one person cannot
 *   walk through many accounts;
 * - per client address: calls to the first-login notify API, 60 a minute (`NOTIFY_RATE_PER_MINUTE`), and web chat
 *   tokens, 120 per 10 minutes (many ward PCs share one address), shared by every instance.
 *
 * A successful reset clears an account's counters, except `resetCompleted`: that one counts successful resets,
 * so clearing it on each success would make it count nothing.
 */
export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  codeSent: { points: 5, windowSeconds: HOUR, blockSeconds: DAY, keyKind: "account", clearedByReset: true },
  callMade: { points: 5, windowSeconds: HOUR, blockSeconds: DAY, keyKind: "account", clearedByReset: true },
  codeChecked: { points: 5, windowSeconds: HOUR, blockSeconds: DAY, keyKind: "account", clearedByReset: true },
  identityFailed: { points: 5, windowSeconds: DAY, blockSeconds: DAY, keyKind: "account", clearedByReset: true },
  resetCompleted: { points: 5, windowSeconds: HOUR, blockSeconds: 0, keyKind: "account", clearedByReset: false },
  userAttempts: { points: 10, windowSeconds: HOUR, blockSeconds: DAY, keyKind: "teamsUser", clearedByReset: true },
  notifyCalls: { points: 60, windowSeconds: 60, blockSeconds: 0, keyKind: "client", clearedByReset: false },
  // Generous: a hospital's PCs often share one public address.
  webchatTokens: { points: 120, windowSeconds: 600, blockSeconds: 0, keyKind: "client", clearedByReset: false },
};

/**
 * The defaults with `overrides` applied, checked.
 *
 * @throws RangeError when a number is not a whole number in range (points and windows at least 1, blocks at least 0)
 */
export function throttleLimits(overrides: ThrottleLimitOverrides = {}): ThrottleLimits {
  const merged = {} as Record<ThrottleName, ThrottleLimit>;
  for (const name of Object.keys(DEFAULT_THROTTLE_LIMITS) as ThrottleName[]) {
    const limit = { ...DEFAULT_THROTTLE_LIMITS[name], ...overrides[name] };
    wholeNumber(`${name}.points`, limit.points, 1);
    wholeNumber(`${name}.windowSeconds`, limit.windowSeconds, 1);
    wholeNumber(`${name}.blockSeconds`, limit.blockSeconds, 0);
    merged[name] = limit;
  }
  return merged;
}

function wholeNumber(what: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Throttle limit ${what} must be a whole number of at least ${min}.`);
  }
}
