import crypto from "node:crypto";
import { RangeCache, hasSuffix, parseRange } from "./range-cache";
import type { BreachLogger, BreachStatus, BreachedPasswordChecker } from "./types";

/** Options for {@link HibpRangeChecker}. */
export interface HibpRangeCheckerOptions {
  /** The Pwned Passwords API root; `https://api.pwnedpasswords.com` by default. */
  baseUrl?: string;
  /** Time allowed for the whole request, body included (3000 ms by default). */
  timeoutMs?: number;
  /**
   * What an unanswered check returns. `"open"`: `"clear"` (the password is accepted as far as breaches go) and a
   * warning is logged; `"closed"`: `"unavailable"` (the caller refuses or retries), also logged.
   */
  failMode: "open" | "closed";
  /** Prefixes whose answers are kept (100 by default, ~3 MB at most; 0 turns the cache off). */
  cacheSize?: number;
  /** How long an answer is kept (15 minutes by default). */
  cacheTtlMs?: number;
  /** Receives one warning per check that fell back to the fail mode; never given the password or its hash. */
  logger?: BreachLogger;
  /** The fetch to use (the global one by default). */
  fetch?: typeof fetch;
  /** Sent as `User-Agent`, which the API asks clients to set. */
  userAgent?: string;
  /** The clock for cache expiry and back-off (`Date.now` by default). */
  now?: () => number;
}

const DEFAULT_BASE_URL = "https://api.pwnedpasswords.com";
const MAX_BACKOFF_MS = 60_000;
const DEFAULT_BACKOFF_MS = 5_000;

/** A non-200 answer. */
class RangeHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/**
 * Have I Been Pwned's range API with k-anonymity: only the first 5 hex digits of the password's SHA-1 leave the
 * machine; the answer lists every known suffix under that prefix, padded (`Add-Padding: true`) with `:0` lines
 * that hide the true size of the answer and are ignored here. Answers are cached by prefix for a short time, and
 * concurrent checks of one prefix share one request.
 */
export class HibpRangeChecker implements BreachedPasswordChecker {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly failMode: "open" | "closed";
  private readonly cache: RangeCache;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly inFlight = new Map<string, Promise<string>>();
  private backoffUntil = 0;

  constructor(private readonly opts: HibpRangeCheckerOptions) {
    if (opts.failMode !== "open" && opts.failMode !== "closed") {
      throw new Error(`failMode must be "open" or "closed" (got ${String(opts.failMode)})`);
    }
    this.failMode = opts.failMode;
    this.baseUrl = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 3000;
    if (!(this.timeoutMs > 0)) throw new Error("timeoutMs must be a positive number of milliseconds");
    this.cache = new RangeCache(opts.cacheSize ?? 100, opts.cacheTtlMs ?? 15 * 60_000);
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.now = opts.now ?? Date.now;
  }

  /** `"breached"` if the API lists the password's hash with a count above 0; see `failMode` for failures. */
  async check(password: string): Promise<BreachStatus> {
    const hash = crypto.createHash("sha1").update(password, "utf8").digest("hex").toUpperCase();
    const prefix = hash.slice(0, 5);
    const suffix = hash.slice(5);
    const cached = this.cache.get(prefix, this.now());
    if (cached !== undefined) return hasSuffix(cached, suffix) ? "breached" : "clear";
    if (this.now() < this.backoffUntil) return this.fail("rate limited, backing off");
    let suffixes: string;
    try {
      suffixes = await this.range(prefix);
    } catch (error) {
      return this.fail(this.reason(error));
    }
    return hasSuffix(suffixes, suffix) ? "breached" : "clear";
  }

  private range(prefix: string): Promise<string> {
    let pending = this.inFlight.get(prefix);
    if (pending === undefined) {
      pending = this.request(prefix).finally(() => this.inFlight.delete(prefix));
      this.inFlight.set(prefix, pending);
    }
    return pending;
  }

  private async request(prefix: string): Promise<string> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException("timed out", "TimeoutError")), this.timeoutMs);
    try {
      const headers: Record<string, string> = { "Add-Padding": "true" };
      headers["User-Agent"] = this.opts.userAgent ?? "password-breach-check";
      const response = await this.fetch(`${this.baseUrl}/range/${prefix}`, { headers, signal: controller.signal });
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        if (response.status === 429 || response.status === 503) this.backOff(response.headers.get("retry-after"));
        throw new RangeHttpError(response.status);
      }
      const suffixes = parseRange(await response.text());
      this.cache.set(prefix, suffixes, this.now());
      return suffixes;
    } finally {
      clearTimeout(timer);
    }
  }

  private backOff(retryAfter: string | null): void {
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_BACKOFF_MS;
    this.backoffUntil = this.now() + Math.min(ms, MAX_BACKOFF_MS);
  }

  private reason(error: unknown): string {
    if (error instanceof RangeHttpError) return error.message;
    if (error instanceof Error && error.message === "malformed range response") return "malformed response";
    const name = error instanceof Error || error instanceof DOMException ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") return `timed out after ${this.timeoutMs} ms`;
    return "network error";
  }

  private fail(reason: string): BreachStatus {
    const status: BreachStatus = this.failMode === "open" ? "clear" : "unavailable";
    this.opts.logger?.warn(
      { breachSource: "hibp-range", failMode: this.failMode, reason, result: status },
      `breached-password range check failed (${reason}); failing ${this.failMode}`,
    );
    return status;
  }
}
