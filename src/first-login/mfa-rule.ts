import type { Account } from "../directory/account";

/** Mailboxes created from this moment (5 October 2023, UK time) have MFA on by default. */
export const MFA_DEFAULT_FROM = "2023-10-04T23:00:00Z";

/** Organisation types whose users are exempt from MFA by default when the National Administration Service manages them. */
export const NAS_EXEMPT_TYPES: readonly string[] = ["Pharmacy", "Optometry", "Dentistry", "Social Care"];

/** Whether an account must enrol for MFA, and why, in words the card can show. */
export interface MfaRequirement {
  required: boolean;
  reason: string;
}

/**
 * The NHSmail rule: MFA is on by default for mailboxes created from 5 October 2023, except Pharmacy, Optometry,
 * Dentistry and Social Care users managed by the National Administration Service. Older mailboxes are not forced.
 */
export function mfaRequirement(account: Pick<Account, "createdAt" | "organisationType" | "nasManaged">): MfaRequirement {
  const created = Date.parse(account.createdAt);
  // An unreadable creation date is treated as new: when in doubt, MFA is required.
  if (created < Date.parse(MFA_DEFAULT_FROM)) {
    return { required: false, reason: "MFA is optional for your account (created before 5 October 2023), but we strongly recommend it." };
  }
  const type = NAS_EXEMPT_TYPES.find((t) => t.toLowerCase() === (account.organisationType ?? "").trim().toLowerCase());
  if (type && account.nasManaged === true) {
    return { required: false, reason: `MFA is optional for ${type} users managed by the National Administration Service, but we strongly recommend it.` };
  }
  return { required: true, reason: "MFA is required for your account: until you enrol, you'll be asked at every login." };
}
