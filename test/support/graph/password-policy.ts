/** The tenant's password rules the Graph stand-in applies to a password change, and the check against them. */
import type { StandInUser } from "./users";

/** The tenant's password rules the stand-in applies to a password change. */
export interface StandInPasswordPolicy {
  minLength: number;
  maxLength: number;
  /** How many of the four classes (lower case, upper case, digits, symbols) a password needs. */
  minCharacterClasses: number;
  /** Refuse a password containing the given name, surname or the UPN's local part (parts of 3+ characters). */
  refuseNameParts: boolean;
  /** Words a password must not contain (case-insensitive). */
  bannedWords: string[];
}

/** The default rules: Entra's complexity requirement, with no banned words. */
export const DEFAULT_PASSWORD_POLICY: StandInPasswordPolicy = {
  minLength: 8,
  maxLength: 256,
  minCharacterClasses: 3,
  refuseNameParts: true,
  bannedWords: [],
};

function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** Whether `password` meets the tenant's rules for `user`. */
export function meetsPolicy(password: string, user: StandInUser, policy: StandInPasswordPolicy): boolean {
  if (password.length < policy.minLength || password.length > policy.maxLength) return false;
  if (characterClasses(password) < policy.minCharacterClasses) return false;
  const lower = password.toLowerCase();
  if (policy.refuseNameParts) {
    const parts = [user.givenName, user.surname, user.userPrincipalName.split("@")[0] ?? ""];
    if (parts.some((part) => part.length >= 3 && lower.includes(part.toLowerCase()))) return false;
  }
  return !policy.bannedWords.some((word) => word && lower.includes(word.toLowerCase()));
}
