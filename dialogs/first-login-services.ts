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
