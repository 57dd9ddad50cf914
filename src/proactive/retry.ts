/** Teams statuses worth another try: throttled (429), precondition failed (412), bad gateway (502), timeout (504). */
export const RETRIABLE_STATUSES: ReadonlySet<number> = new Set([429, 412, 502, 504]);

/** How {@link withBackoff} waits and how often it tries. */
export interface BackoffOptions {
  /** Attempts in all, at least 1. Default 3. */
  tries?: number;
  /** The first wait in milliseconds; each later wait doubles. Default 500. */
  baseMs?: number;
  /** Waits `ms` milliseconds; tests pass one that does not sleep. */
  delay?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
}

/** Waits for real. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The HTTP status a failed Bot Framework connector call carries (`RestError.statusCode`), if any. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const { statusCode, status } = err as { statusCode?: unknown; status?: unknown };
  if (typeof statusCode === "number") return statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * Runs `operation`, retrying when it fails with a retriable Teams status, with exponential back-off and full
 * jitter (a random wait between half and all of base × 2^attempt). Other failures, and the last one, are thrown.
 */
export async function withBackoff<T>(operation: () => Promise<T>, options: BackoffOptions = {}): Promise<T> {
  const tries = Math.max(1, options.tries ?? 3);
  const baseMs = options.baseMs ?? 500;
  const delay = options.delay ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      const status = statusOf(err);
      if (attempt + 1 >= tries || status === undefined || !RETRIABLE_STATUSES.has(status)) throw err;
      const ceiling = baseMs * 2 ** attempt;
      await delay(Math.round(ceiling / 2 + (random() * ceiling) / 2));
    }
  }
}
