import type { TurnContext } from "botbuilder";
import type { ResetServices } from "./reset-services";

/** Links between Teams users and NHSmail addresses (see `src/first-login/user-links.ts`). */
export interface UserLinkPort {
  link(user: string, email: string): Promise<void>;
  emailOf(user: string): Promise<string | undefined>;
}

/** Where each address's checklist card was posted, so it can be updated in place. */
export interface ChecklistMessagePort {
  remember(email: string, message: { activityId: string; conversationId: string }): Promise<void>;
  find(email: string): Promise<{ activityId: string; conversationId: string } | undefined>;
}

/**
 * Everything the first-login journey needs, as ports: the reset services (directory, codes, TOTP, throttles,
 * sender, audit, policy, hasher, clock) plus the first-login ones.
 */
export interface FirstLoginServices extends ResetServices {
  links: UserLinkPort;
  checklistMessages: ChecklistMessagePort;
  /** Minutes of account synchronisation after the AUP is accepted (120 for NHSmail). */
  syncMinutes: number;
  /**
   * Called once the AUP is accepted: schedules the durable "email should work now" follow-up for the address at
   * `readyAt`. Idempotent per address.
   */
  scheduleSyncFollowUp(email: string, readyAt: Date): Promise<void>;
  /** A PNG data URI of a QR code for the text (an otpauth URI). */
  qrCode(text: string): Promise<string>;
  /** A fresh authenticator secret (base32). */
  newTotpSecret(): string;
}

/** Options of the sign-in step (none). */
export type SignInOptions = Record<string, never>;
/** The sign-in result: the proved address, or undefined when the person stopped or was blocked. */
export interface SignInResult {
  email?: string;
}

/** Options of a password change: whose, and why (a temporary password, or one about to expire). */
export interface ChangePasswordOptions {
  email: string;
  reason: "temporary" | "expiring";
  /**
   * Set only by the first-login journey, when the person signed in with this account's password earlier in the same
   * journey: that sign-in is the proof they know it, so the card doesn't ask for it again. A flag, never the
   * password: it carries only the account's `passwordChangedAt` at the sign-in, so it stops counting if the password
   * changes in the meantime.
   */
  signedIn?: SignedInFlag;
}

/** "Signed in with the account's password in this journey", while the password is still the one signed in with. */
export interface SignedInFlag {
  /** The account's `passwordChangedAt` when the person signed in. */
  passwordChangedAt: string;
}
/** The change result. */
export interface ChangePasswordResult {
  changed: boolean;
  /** The new password's expiry (ISO), when changed. */
  expiresAt?: string;
}

/** Options of a first-login task (AUP, profile, MFA): whose account. */
export interface TaskOptions {
  email: string;
}
/** The result of a first-login task: done, or left for later. */
export interface TaskResult {
  done: boolean;
}

/** The Teams user of a turn: the Entra object id when known, else the channel's user id. */
export function teamsUserOf(context: TurnContext): string {
  return context.activity.from?.aadObjectId ?? context.activity.from?.id ?? "unknown";
}

/** Phone platforms in Teams' `clientInfo` entity. */
const PHONE_PLATFORMS: ReadonlySet<string> = new Set(["android", "ios"]);

/**
 * True when the turn came from Teams on a phone: Teams names the client in a `clientInfo` entity
 * (`platform: "android" | "ios" | "web" | "windows" | "mac"`). False when it doesn't say (another channel).
 */
export function isOnPhone(context: TurnContext): boolean {
  const info = context.activity.entities?.find((entity) => entity.type === "clientInfo") as { platform?: unknown } | undefined;
  return typeof info?.platform === "string" && PHONE_PLATFORMS.has(info.platform.toLowerCase());
}
