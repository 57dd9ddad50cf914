import type { Account } from "./account";

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
}
