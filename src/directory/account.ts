/** An NHSmail account as the bot knows it. Secrets are only ever held hashed (passwords) or encrypted (TOTP). */
export interface Account {
  /** Lower-case @nhs.net address; the account's key. */
  email: string;
  /** The Entra object id, when the account lives in Entra ID. */
  id?: string;
  displayName?: string;
  firstName?: string;
  lastName?: string;
  organisation?: string;
  /** e.g. "NHS Trust", "Pharmacy", "Optometry", "Dentistry", "Social Care", "GP Practice". */
  organisationType?: string;
  /** True when the account is managed by the National Administration Service. */
  nasManaged?: boolean;
  /** When the mailbox was created (ISO 8601). */
  createdAt: string;
  /** Registered mobile in E.164 form (+447…), if any. */
  mobile?: string;
  /** Registered authenticator app secret, encrypted at rest (see {@link SecretBox}); absent when none. */
  totpSecretEncrypted?: string;
  /** scrypt hash of the current password. */
  passwordHash: string;
  /** scrypt hashes of earlier passwords, most recent first. */
  previousPasswordHashes: string[];
  passwordChangedAt: string;
  passwordExpiresAt: string;
  /** True while the password is a temporary one an administrator issued. */
  temporaryPassword: boolean;
  /** When the Acceptable Use Policy was accepted, and which version (first login, task 2). */
  aupAcceptedAt?: string;
  aupVersion?: string;
  /** Profile details the person keeps up to date (first login, task 3). */
  jobTitle?: string;
  department?: string;
  /** Work phone in the form the person typed it (any UK number). */
  workPhone?: string;
  profileUpdatedAt?: string;
  /** scrypt hash of the account secret: the word the helpdesk asks for to check identity. Never held in clear. */
  accountSecretHash?: string;
  /** How the account enrolled for multi-factor authentication, and when (first login, task 4). */
  mfaMethod?: MfaMethod;
  mfaEnrolledAt?: string;
}

/** A multi-factor authentication method. */
export type MfaMethod = "app" | "sms";

/** Profile details set at first login (task 3). */
export interface ProfileDetails {
  displayName: string;
  jobTitle: string;
  department: string;
  organisation: string;
  /** Optional: empty when none. */
  workPhone?: string;
}

/** An MFA enrolment: an authenticator app (its secret already sealed) or texts to a mobile (E.164). */
export type MfaEnrolment = { method: "app"; totpSecretEncrypted: string } | { method: "sms"; mobile: string };

/** The ways an account can prove who it is, without revealing the details. */
export interface RegisteredMethods {
  sms: boolean;
  voice: boolean;
  app: boolean;
}

/** The methods an account has registered. */
export function methodsOf(account: Account | undefined): RegisteredMethods {
  const phone = Boolean(account?.mobile);
  return { sms: phone, voice: phone, app: Boolean(account?.totpSecretEncrypted) };
}

/** How long a new password lasts (the NHSmail policy). */
export const PASSWORD_LIFETIME_DAYS = 365;
