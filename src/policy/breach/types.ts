/** The answer of a breached-password check. */
export type BreachStatus = "breached" | "clear" | "unavailable";

/**
 * The port: is this password known from a breach? `"unavailable"` means the source could not answer (for example
 * a range API that timed out while configured to fail closed); callers decide what that means for the user.
 */
export interface BreachedPasswordChecker {
  /** Checks one password exactly as typed (SHA-1 of its UTF-8 bytes, as Have I Been Pwned hashes them). */
  check(password: string): Promise<BreachStatus>;
  /** Releases files or sockets the checker holds. */
  close?(): Promise<void>;
}

/** The little of a logger that the breach checkers need (pino's `warn(obj, msg)` fits). */
export interface BreachLogger {
  warn(obj: object, msg: string): void;
}
