import { createHash } from "node:crypto";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { StateStore } from "../state";
import type { ThrottleDecision, ThrottleName, Throttles } from "./ports";
import type { LimiterSet } from "./throttle-limiters";
import { limitersFor } from "./throttle-limiters";
import type { ThrottleLimitOverrides, ThrottleLimits } from "./throttle-limits";
import { throttleLimits } from "./throttle-limits";

export { DEFAULT_THROTTLE_LIMITS, throttleLimits } from "./throttle-limits";
export type { ThrottleLimit, ThrottleLimitOverrides, ThrottleLimits } from "./throttle-limits";

/** Every this many consumes, expired counters are deleted where the backend keeps them (SQLite). */
const SWEEP_EVERY = 1000;

/**
 * {@link Throttles} kept in the bot's state store with rate-limiter-flexible, so every bot instance on the same
 * SQLite file or Redis shares the counts, and they survive a restart. Each limit is a fixed window per key
 * (see {@link DEFAULT_THROTTLE_LIMITS}); the limits are independent, so sending a new code never clears the count
 * of wrong codes. Keys are stored as SHA-256 digests, so the store holds no email addresses or user ids.
 *
 * A store error (for instance Redis unreachable) is thrown, not taken as "allowed": the caller decides.
 */
export class StoreThrottles implements Throttles {
  /** The limits in force, defaults with overrides applied. */
  readonly limits: ThrottleLimits;
  private readonly limiterSet: LimiterSet;
  private consumed = 0;

  /**
   * @param store - the bot's state store; counters live in its namespace `throttles`
   * @param limits - changes to {@link DEFAULT_THROTTLE_LIMITS}
   * @throws RangeError for a bad limit; Error when the store is closed or `throttles` is used through keyv()
   */
  constructor(store: StateStore, limits: ThrottleLimitOverrides = {}) {
    this.limits = throttleLimits(limits);
    this.limiterSet = limitersFor(store, this.limits);
  }

  /**
   * Counts one event for `key` under the limit `name`. Allowed while the window's count is within the limit;
   * the first event over it blocks the key for the limit's block time, and events while blocked are refused
   * (and still counted, which does not extend the block).
   *
   * @returns allowed, or refused with `retryAt`, when an event would be allowed again
   */
  async consume(name: ThrottleName, key: string): Promise<ThrottleDecision> {
    await this.limiterSet.ready;
    this.consumed += 1;
    if (this.consumed % SWEEP_EVERY === 0) {
      // Housekeeping only: a failure here must not refuse or fail the event being counted.
      await this.limiterSet.run(async () => this.limiterSet.sweep()).catch(() => undefined);
    }
    const limiter = this.limiterSet.limiters[name];
    try {
      await this.limiterSet.run(async () => limiter.consume(this.storedKey(name, key)));
      return { allowed: true };
    } catch (outcome: unknown) {
      // The library rejects with its result object when the limit is exceeded, and with an Error otherwise.
      if (outcome instanceof RateLimiterRes) return { allowed: false, retryAt: this.after(outcome.msBeforeNext) };
      throw outcome;
    }
  }

  /**
   * Whether an event for `key` would be allowed now, without counting one. Refused when the key is blocked or
   * its window's count has reached the limit; `retryAt` is then when the block or the window ends.
   */
  async check(name: ThrottleName, key: string): Promise<ThrottleDecision> {
    await this.limiterSet.ready;
    const limiter = this.limiterSet.limiters[name];
    const state = await this.limiterSet.run(async () => limiter.get(this.storedKey(name, key)));
    const { points } = this.limits[name];
    if (state === null || state.msBeforeNext <= 0) return { allowed: true, remaining: points };
    if (state.consumedPoints < points) return { allowed: true, remaining: points - state.consumedPoints };
    return { allowed: false, retryAt: this.after(state.msBeforeNext) };
  }

  /**
   * Clears every limit for `key` whose `clearedByReset` is set (all but `resetCompleted` by default), e.g. an
   * account's counters after its password was reset. Pass a Teams user id to clear that user's limits.
   */
  async reset(key: string): Promise<void> {
    await this.limiterSet.ready;
    const names = (Object.keys(this.limits) as ThrottleName[]).filter((name) => this.limits[name].clearedByReset);
    const { limiters } = this.limiterSet;
    await Promise.all(
      names.map(async (name) => this.limiterSet.run(async () => limiters[name].delete(this.storedKey(name, key)))),
    );
  }

  private storedKey(name: ThrottleName, key: string): string {
    const normal = this.limits[name].keyKind === "account" ? key.trim().toLowerCase() : key;
    return createHash("sha256").update(normal).digest("base64url");
  }

  private after(ms: number): Date {
    return new Date(Date.now() + Math.max(ms, 0));
  }
}
