import type * as Otplib from "otplib";
import type { ClaimStore } from "./claim-store";
import type { TotpVerifier } from "./ports";

/** The authenticator-app parameters NHSmail uses (RFC 6238 defaults, as every authenticator app expects). */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = "sha1";

/**
 * otplib refuses secrets under 16 bytes by default; authenticator secrets issued by Microsoft (16 base32
 * characters) are 10 bytes, the RFC 4226 floor used across the industry, so those must still verify.
 */
const MIN_SECRET_BYTES = 10;

/** otplib and the guardrails it is used with, loaded with the first code rather than when the service starts. */
let loaded: { otp: typeof Otplib; guardrails: ReturnType<typeof Otplib.createGuardrails> } | undefined;

function otplib(): NonNullable<typeof loaded> {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
    const otp = require("otplib") as typeof Otplib;
    loaded = { otp, guardrails: otp.createGuardrails({ MIN_SECRET_BYTES }) };
  }
  return loaded;
}

/** Options for {@link OtplibTotpVerifier}. */
export interface TotpVerifierOptions {
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
  /** Claim namespace marking (account, time step) pairs that have been used. Default `totp_used`. */
  usedNamespace?: string;
}

/**
 * Verifies authenticator-app codes with otplib: 30 s steps, 6 digits, SHA-1, accepting the previous, current and
 * next step (±30 s of clock drift). A code that verified claims `(account, matched step)` in the shared store,
 * so it is refused for the rest of its window, even when the same code arrives twice at once on two instances.
 */
export class OtplibTotpVerifier implements TotpVerifier {
  private readonly now: () => Date;
  private readonly usedNamespace: string;

  /**
   * @param claims - the state store's atomic claims
   * @param options - optional clock and namespace
   */
  constructor(
    private readonly claims: ClaimStore,
    options: TotpVerifierOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.usedNamespace = options.usedNamespace ?? "totp_used";
  }

  /**
   * True once per (account, time step) for a code of the secret within ±1 step of now; spaces in the code are
   * ignored (apps show "123 456").
   *
   * @throws Error when the stored secret is not usable base32 of 10 to 64 bytes (a data problem, not a wrong code)
   */
  async verify(account: string, secretBase32: string, code: string): Promise<boolean> {
    const token = code.replace(/\s/g, "");
    if (!/^\d{6}$/.test(token)) return false;
    const epoch = Math.floor(this.now().getTime() / 1000);
    const { otp, guardrails } = otplib();
    let matched: Awaited<ReturnType<typeof Otplib.verify>>;
    try {
      matched = await otp.verify({
        secret: normaliseSecret(secretBase32),
        token,
        epoch,
        epochTolerance: PERIOD_SECONDS,
        period: PERIOD_SECONDS,
        digits: DIGITS,
        algorithm: ALGORITHM,
        guardrails,
      });
    } catch (error) {
      throw new Error("The registered authenticator secret cannot be used.", { cause: error });
    }
    if (!matched.valid || !("timeStep" in matched)) return false;
    // A code for step s is accepted until step s + 1 ends: at most 3 steps from now; one more covers clock skew
    // between instances.
    const ttlMs = 4 * PERIOD_SECONDS * 1000;
    return this.claims.claim(this.usedNamespace, `${account.trim().toLowerCase()}:${matched.timeStep}`, ttlMs);
  }
}

/** Upper case, without spaces or `=` padding: how apps and people write base32 secrets vary. */
function normaliseSecret(secretBase32: string): string {
  return secretBase32.replace(/[\s=-]/g, "").toUpperCase();
}

/** A new authenticator secret: 20 random bytes (160 bits), base32 without padding (32 characters). */
export function generateTotpSecret(): string {
  return otplib().otp.generateSecret({ length: 20 });
}

/**
 * The `otpauth://totp/…` URI an authenticator app reads from a QR code.
 *
 * @param secret - base32 secret
 * @param email - the account, shown in the app under the issuer
 * @param issuer - shown in the app; default "NHSmail"
 */
export function otpauthUri(secret: string, email: string, issuer = "NHSmail"): string {
  return otplib().otp.generateURI({
    issuer,
    label: email,
    secret: normaliseSecret(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
  });
}

/**
 * The code an authenticator app shows for `secret` at a time (default now). For tests and development tools.
 *
 * @throws Error when the secret is not base32 of 10 to 64 bytes
 */
export function currentTotp(secret: string, at: Date = new Date()): string {
  const { otp, guardrails } = otplib();
  return otp.generateSync({
    secret: normaliseSecret(secret),
    epoch: Math.floor(at.getTime() / 1000),
    period: PERIOD_SECONDS,
    digits: DIGITS,
    algorithm: ALGORITHM,
    guardrails,
  });
}
