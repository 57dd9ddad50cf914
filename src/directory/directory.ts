import type { Account, MfaEnrolment, ProfileDetails } from "./account";

/** Where accounts live: the embedded store in development, later Microsoft Graph. */
export interface Directory {
  /** The account for a lower-case @nhs.net address, or undefined. */
  findByEmail(email: string): Promise<Account | undefined>;
  /**
   * Sets a new password hash: the old hash goes to the front of the history, the expiry becomes now + 365 days
   * and the temporary-password flag is cleared. Returns the updated account.
   */
  setPassword(email: string, passwordHash: string, now: Date): Promise<Account>;
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
