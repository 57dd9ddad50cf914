import type { MfaEnrolment, ProfileDetails } from "./account";

/**
 * What first-login progress changes on an account, the same for every directory (the embedded one stores it on the
 * account; the Entra one in its own record, as Graph cannot hold it).
 */
export const progressChanges = {
  /** The Acceptable Use Policy accepted: when, and which version. */
  aupAccepted: (version: string, at: Date) => ({ aupAcceptedAt: at.toISOString(), aupVersion: version }),
  /** Profile details saved with the account secret's hash (an empty work phone is none). */
  profileUpdated: (profile: ProfileDetails, accountSecretHash: string, at: Date) => ({
    ...profile,
    workPhone: profile.workPhone || undefined,
    accountSecretHash,
    profileUpdatedAt: at.toISOString(),
  }),
  /** An MFA enrolment: an app enrolment replaces the TOTP secret, an SMS one the mobile. */
  mfaEnrolled: (enrolment: MfaEnrolment, at: Date) => ({
    ...(enrolment.method === "app" ? { totpSecretEncrypted: enrolment.totpSecretEncrypted } : { mobile: enrolment.mobile }),
    mfaMethod: enrolment.method,
    mfaEnrolledAt: at.toISOString(),
  }),
};
