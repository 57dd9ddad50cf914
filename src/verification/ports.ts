/** Outcome of checking a one-time code. */
export type CodeCheck = "ok" | "wrong" | "expired" | "none";

/**
 * One-time codes sent by text or voice: at least 6 random digits, single use, valid 5 minutes, stored only as a
 * keyed hash and compared in constant time. Keyed by a subject (e.g. the reset session).
 */
export interface OneTimeCodes {
  /** Makes a new code for the subject (replacing any earlier one) and returns it, to be sent. */
  issue(subject: string): Promise<string>;
  /** Checks a code; a correct code is consumed atomically, so it works once even when two requests race. */
  verify(subject: string, code: string): Promise<CodeCheck>;
}

/** Authenticator-app codes (TOTP, 30 s step, ±1 step); a code that worked is refused for its whole window. */
export interface TotpVerifier {
  /** True once per (account, code): a replay, even concurrent, is refused. */
  verify(account: string, secretBase32: string, code: string): Promise<boolean>;
}

/** A throttle decision. */
export interface ThrottleDecision {
  allowed: boolean;
  /** When blocked: when it ends. */
  retryAt?: Date;
  /** From check(), when allowed: how many more events the window allows before the key is blocked. */
  remaining?: number;
}

/** Named limits shared by every instance and kept across restarts. */
export type ThrottleName = "codeSent" | "callMade" | "codeChecked" | "identityFailed" | "userAttempts" | "resetCompleted" | "notifyCalls" | "webchatTokens";

/** Rate limits per key (account email or Teams user). */
export interface Throttles {
  /** Counts one event against the limit; returns whether it was allowed. */
  consume(name: ThrottleName, key: string): Promise<ThrottleDecision>;
  /** Whether the key is currently blocked for that limit, without counting. */
  check(name: ThrottleName, key: string): Promise<ThrottleDecision>;
  /** Clears the counters for a key (after a successful reset). */
  reset(key: string): Promise<void>;
}

/** An image captcha. */
export interface CaptchaChallenge {
  /** The image as a data URI (PNG) an Adaptive Card can show. */
  imageDataUri: string;
  /** A keyed hash of the answer; the answer itself is never stored. */
  answerHash: string;
}

/** Makes and checks captchas; answers are case-insensitive. */
export interface Captcha {
  create(): Promise<CaptchaChallenge>;
  check(answer: string, answerHash: string): boolean;
}
