import { timingSafeEqual } from "node:crypto";
import type Keyv from "keyv";

/**
 * Atomic create-if-absent markers with a time to live, shared by every instance of the bot. The state store
 * provides them; verification uses them so that a code works once even when two requests race.
 */
export interface ClaimStore {
  /**
   * Creates the marker `(namespace, key)` unless it exists; it lasts `ttlMs` milliseconds.
   *
   * @returns true for exactly one of any number of concurrent callers, across instances
   */
  claim(namespace: string, key: string, ttlMs: number): Promise<boolean>;
  /** Removes the marker, so the key can be claimed again. */
  release(namespace: string, key: string): Promise<void>;
}

/** What the one-time code store needs from the state store: claims and a keyv namespace. */
export interface VerificationStore extends ClaimStore {
  /** A keyv namespace on the shared backend (see `StateStore.keyv`). */
  keyv<Value = unknown>(namespace: string): Keyv<Value>;
}

/**
 * A keyed hash: HMAC-SHA256 of `text` under a secret key, as lower-case hex (e.g. `SecretBox.hmac`). Codes and
 * captcha answers are kept only in this form.
 */
export type KeyedHash = (text: string) => string;

const HEX = /^[0-9a-f]+$/i;

/**
 * Compares two hex digests in constant time (for equal lengths).
 *
 * @returns false when either is not hex or their lengths differ
 */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length || a.length % 2 !== 0 || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}
