import type { Account, MfaEnrolment, ProfileDetails } from "./account";

/** A new password on its way to the account service: the password itself, and its hash for the bot's history. */
export interface NewPassword {
  password: string;
  hash: string;
}

/** What setting a password came to. */
export interface PasswordChange {
  account: Account;
  /** True when every session of the account was signed out, so the old password stops working on every device now. */
  signedOutEverywhere: boolean;
}

/**
 * How a person proves at first login that an account is theirs: with its password (the embedded directory keeps
 * password hashes), or by being signed in to Teams as that account (Entra ID: the password never reaches the bot,
 * and Entra itself makes a person change a temporary password when they first sign in).
 */
export type SignInProof = "password" | "teams-identity";

/**
 * Where accounts live: the embedded directory (the zero-set-up default) or Microsoft Entra ID through Microsoft
 * Graph. Every method may throw `DirectoryUnavailableError` when the service cannot be used; `setPassword` may
 * throw `PasswordRefusedError` when the service's own rules refuse the password.
 */
export interface Directory {
  readonly signInProof: SignInProof;
  /** The account for a lower-case @nhs.net address, or undefined. */
  findByEmail(email: string): Promise<Account | undefined>;
  /** The account of a signed-in Entra user (Teams' `aadObjectId`), or undefined (always, for the embedded directory). */
  findByUserId(objectId: string): Promise<Account | undefined>;
  /**
   * Sets a new password: the old hash goes to the front of the history, the expiry becomes now + 365 days and the
   * temporary-password flag is cleared. The password itself goes only to the account service.
   */
  setPassword(email: string, password: NewPassword, now: Date): Promise<PasswordChange>;
  /** The decrypted TOTP secret (base32) of an account, or undefined; only verification code should ask. */
  totpSecretOf(account: Account): string | undefined;
  /** Seals a new TOTP secret (base32) for an account, for an MFA enrolment; only enrolment code should ask. */
  sealTotpSecret(email: string, secretBase32: string): string;
  /** Records acceptance of the Acceptable Use Policy (time and version). Returns the updated account. */
  acceptAup(email: string, version: string, at: Date): Promise<Account>;
  /** Saves profile details and the account secret's hash. Returns the updated account. */
  updateProfile(email: string, profile: ProfileDetails, accountSecretHash: string, at: Date): Promise<Account>;
  /** Records an MFA enrolment (an app secret, or the mobile texts go to). Returns the updated account. */
  enrolMfa(email: string, enrolment: MfaEnrolment, at: Date): Promise<Account>;
}
