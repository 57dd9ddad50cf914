import { randomBytes, randomInt } from "node:crypto";
import type Keyv from "keyv";
import type { KeyedHash, VerificationStore } from "./claim-store";
import { sameDigest } from "./claim-store";
import type { CodeCheck, OneTimeCodes } from "./ports";

/** Options for {@link StoredOneTimeCodes}. */
export interface OneTimeCodeOptions {
  /** Keyed hash used to store codes (e.g. `SecretBox.hmac`). */
  hmac: KeyedHash;
  /** Digits per code, 6 to 12. Default 6 (NIST SP 800-63B: at least 6). */
  digits?: number;
  /** How long a code is valid, in milliseconds. Default 5 minutes (as Entra's SSPR). */
  validForMs?: number;
  /**
   * How long a record is kept after it stops being valid, so that a late answer gets "expired" rather than
   * "none". Default: as long as `validForMs`.
   */
  keepExpiredForMs?: number;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
  /** keyv namespace holding the hashed codes. Default `one_time_codes`. */
  namespace?: string;
  /** Claim namespace marking codes that have been used. Default `codes_used`. */
  usedNamespace?: string;
}

/** What is kept for a subject: never the code, only its keyed hash. */
interface CodeRecord {
  /** Random per issue, so that the same digits issued twice hash differently (and claim separately). */
  nonce: string;
  /** Keyed hash of subject, nonce and code. */
  hash: string;
  /** Epoch milliseconds after which the code is refused. */
  expiresAt: number;
}

const MINUTE = 60_000;

/**
 * One-time codes for text and voice messages, kept in the shared state store: random digits from
 * `crypto.randomInt`, stored only as a keyed hash with a TTL, compared in constant time, and used at most once,
 * even when two requests (on two instances) submit the right code together. A wrong code does not consume the
 * code; limiting wrong attempts is the throttles' job.
 */
export class StoredOneTimeCodes implements OneTimeCodes {
  private readonly codes: Keyv<CodeRecord>;
  private readonly hmac: KeyedHash;
  private readonly digits: number;
  private readonly validForMs: number;
  /** How long a record and its used-marker live in the store: valid time plus the time "expired" is reported. */
  private readonly recordTtlMs: number;
  private readonly now: () => Date;
  private readonly usedNamespace: string;

  /**
   * @param store - the state store (keyv namespaces and atomic claims)
   * @param options - the keyed hash, and optional length, lifetime, clock and namespaces
   * @throws Error when `digits` is not an integer from 6 to 12, or a duration is not positive
   */
  constructor(
    private readonly store: VerificationStore,
    options: OneTimeCodeOptions,
  ) {
    this.digits = options.digits ?? 6;
    this.validForMs = options.validForMs ?? 5 * MINUTE;
    const keepMs = options.keepExpiredForMs ?? this.validForMs;
    if (!Number.isInteger(this.digits) || this.digits < 6 || this.digits > 12) {
      throw new Error("One-time codes must have 6 to 12 digits.");
    }
    if (!(this.validForMs > 0) || !(keepMs >= 0)) throw new Error("One-time code durations must be positive.");
    this.recordTtlMs = Math.ceil(this.validForMs + keepMs);
    this.hmac = options.hmac;
    this.now = options.now ?? (() => new Date());
    this.codes = store.keyv<CodeRecord>(options.namespace ?? "one_time_codes");
    this.usedNamespace = options.usedNamespace ?? "codes_used";
  }

  /** Makes a new code for the subject, replacing any earlier one, and returns it to be sent. */
  async issue(subject: string): Promise<string> {
    const code = randomInt(0, 10 ** this.digits).toString().padStart(this.digits, "0");
    const nonce = randomBytes(16).toString("hex");
    const record: CodeRecord = {
      nonce,
      hash: this.hashOf(subject, nonce, code),
      expiresAt: this.now().getTime() + this.validForMs,
    };
    await this.codes.set(subject, record, this.recordTtlMs);
    return code;
  }

  /**
   * Checks a code (spaces and dashes ignored). "ok" at most once per issued code; "wrong" leaves the code usable;
   * "expired" once its time has passed (a replaced code is simply "wrong"); "none" when no code is outstanding:
   * never issued, already used, or expired long enough ago (`keepExpiredForMs`) to be forgotten.
   */
  async verify(subject: string, code: string): Promise<CodeCheck> {
    const record = await this.codes.get(subject);
    if (!record) return "none";
    if (this.now().getTime() >= record.expiresAt) return "expired";
    const typed = code.replace(/[\s-]/g, "");
    if (!new RegExp(`^\\d{${this.digits}}$`).test(typed)) return "wrong";
    const hash = this.hashOf(subject, record.nonce, typed);
    if (!sameDigest(hash, record.hash)) return "wrong";
    // The claim, not the read above, decides: of any number of racing correct answers exactly one wins.
    const won = await this.store.claim(this.usedNamespace, `${subject}:${hash}`, this.recordTtlMs);
    if (!won) return "none";
    await this.forgetIfUnchanged(subject, hash);
    return "ok";
  }

  /** Removes the used record unless a new code has replaced it meanwhile (the claim already blocks reuse). */
  private async forgetIfUnchanged(subject: string, hash: string): Promise<void> {
    const current = await this.codes.get(subject);
    if (current && current.hash === hash) await this.codes.delete(subject);
  }

  private hashOf(subject: string, nonce: string, code: string): string {
    return this.hmac(JSON.stringify(["one-time-code", subject, nonce, code]));
  }
}
