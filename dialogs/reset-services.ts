import { randomUUID } from "node:crypto";
import { TurnContext } from "botbuilder";
import type { ConversationReference } from "botbuilder";
import type { Account } from "../src/directory/account";
import type { Directory } from "../src/directory/directory";
import type { MessageSender, OutboundMessage } from "../src/messaging/message-sender";
import type { UndeliveredNotices } from "../src/messaging/undelivered-notices";
import type { Telemetry } from "../src/telemetry/telemetry";
import { markBlocked } from "./reset-telemetry";
import type { AuditLog, AuditEvent } from "../src/audit/audit-log";
import type { Captcha, OneTimeCodes, Throttles, TotpVerifier } from "../src/verification/ports";
import type { PasswordHasher, PasswordPolicy } from "../src/policy";
import { handoffOfferCard } from "../cards/render";
import type { HandoffTrigger } from "../src/handoff/ports";
import type { HelpdeskContact } from "./handoff-dialog";

/** Everything the reset journey needs, as ports: the dialogs never see an adapter. */
export interface ResetServices {
  directory: Directory;
  codes: OneTimeCodes;
  totp: TotpVerifier;
  throttles: Throttles;
  /** Absent when the captcha is switched off (automated tests only). */
  captcha?: Captcha;
  sender: MessageSender;
  audit: AuditLog;
  policy: PasswordPolicy;
  hasher: PasswordHasher;
  /** The masked hint for the registered mobile (`*****18`); a stable made-up one when there is none. */
  mobileHint(email: string, account: Account | undefined): string;
  /** A pseudonymous, stable id for a Teams user, for audit and throttles. */
  pseudonym(userId: string): string;
  clock: () => Date;
  helpdesk: HelpdeskContact;
  /** A reset session ends after this long without activity. */
  sessionMinutes: number;
  /** Counts what happens for the metrics and the daily summary; absent in some tests. */
  telemetry?: Telemetry;
  /** Tells a conversation when a message sent from it in the background failed; absent in some tests. */
  undelivered?: UndeliveredNotices<Partial<ConversationReference>>;
  /** Remembers which account a conversation is about (for the helpdesk's request card); absent in some tests. */
  rememberAccount?: (conversationId: string, email: string) => Promise<void>;
}

/** Said when a throttle blocks the journey: the same words whether or not the account exists. */
export const BLOCKED_MESSAGE =
  "For your security, I can't continue with this account right now because there have been too many attempts. " +
  "This lasts up to 24 hours. If you need to get in sooner, the helpdesk can help.";

/**
 * Said, once the person has proved who they are, when the account's password was already reset as often as an hour
 * allows (Entra's limit: 5). Only the account's owner can get this far, so it can say what happened.
 */
export const TOO_MANY_RESETS_MESSAGE =
  "This account's password has already been reset 5 times in the last hour, which is the most allowed. " +
  "Please try again later, or the helpdesk can help.";

/**
 * Tells the person they are blocked, with the helpdesk's details and an offer to talk to it here. The offer names
 * the step that failed on this turn, if one did (see {@link failedStepOf}).
 */
export async function sayBlocked(context: TurnContext, services: ResetServices, text = BLOCKED_MESSAGE): Promise<void> {
  markBlocked(context);
  const offer = { title: "Talk to the helpdesk", reason: "Someone from the helpdesk can chat with you here, or you can contact them:" };
  await context.sendActivity({
    text,
    attachments: [handoffOfferCard({ ...offer, trigger: "locked-out" satisfies HandoffTrigger, step: failedStepOf(context) ?? "", ...services.helpdesk, primary: true })],
  });
}

/** Offers "Talk to the helpdesk" without the contact details, for a person who seems stuck. */
export async function offerHandoff(context: TurnContext, offer: { title: string; reason: string; trigger: HandoffTrigger; step?: string }): Promise<void> {
  await context.sendActivity({ attachments: [handoffOfferCard({ ...offer, step: offer.step ?? "", phone: "", email: "", primary: false })] });
}

/**
 * The gates whose failure the person is told of, in words for the helpdesk. Not the mobile number: whether it matched
 * is never shown, so nothing (an offer, or the words in its button) may depend on it.
 */
const FAILED_STEPS: Readonly<Record<string, string>> = {
  "reset.code": "the verification code",
  "firstLogin.signIn": "signing in with the temporary password",
  "password.change": "the current password",
  "mfa.code": "the code when setting up MFA",
};
const FAILED_STEP = Symbol("failedStep");

/** The step whose failure was audited on this turn, in words, if one failed. */
export function failedStepOf(context: TurnContext): string | undefined {
  return context.turnState.get<string | undefined>(FAILED_STEP);
}

/**
 * Records an audit event for the current Teams user. A failed gate is also noted on the turn, so the journey around
 * it can offer the helpdesk (after a lockout, or repeated failures) naming the step that failed.
 */
export async function audit(context: TurnContext, services: ResetServices, event: Omit<AuditEvent, "actor" | "at">): Promise<void> {
  const user = context.activity.from?.aadObjectId ?? context.activity.from?.id ?? "unknown";
  await services.audit.record({ ...event, actor: services.pseudonym(user), at: services.clock().toISOString() });
  const conversationId = context.activity.conversation?.id;
  if (event.email && conversationId) await services.rememberAccount?.(conversationId, event.email);
  const step = event.type === "reset.code" && event.detail === "app" ? "the authenticator app code" : FAILED_STEPS[event.type];
  if (event.outcome === "failed" && step) context.turnState.set(FAILED_STEP, step);
}

/**
 * Counts a failed proof of identity for the account. False once the account has reached its limit: the failure
 * that reaches it blocks straight away, rather than the attempt after it.
 */
export async function recordFailedProof(services: ResetServices, email: string): Promise<boolean> {
  const counted = await services.throttles.consume("identityFailed", email);
  return counted.allowed && (await services.throttles.check("identityFailed", email)).allowed;
}

/** The Teams user's key for per-user throttles. */
export function userKey(context: TurnContext, services: ResetServices): string {
  // On the web chat a visitor gets a new user id with every page load, so the limit follows the client's address
  // (bound to the turn at the edge, see `bindClientKey`) rather than the id.
  const client = context.turnState.get<string | undefined>(CLIENT_KEY);
  return client ?? services.pseudonym(context.activity.from?.aadObjectId ?? context.activity.from?.id ?? "unknown");
}

const CLIENT_KEY = Symbol("clientKey");

/** Binds to the turn the pseudonymous key of the web client (its address) that the per-user limits then count. */
export function bindClientKey(context: TurnContext, key: string): void {
  context.turnState.set(CLIENT_KEY, key);
}

/** Replaces a submitted card with one that shows no inputs, so a typed secret does not stay on screen. Best effort. */
export async function replaceSubmittedCard(context: TurnContext, card: Parameters<TurnContext["updateActivity"]>[0]["attachments"]): Promise<void> {
  const id = context.activity.replyToId;
  if (!id) return;
  try {
    await context.updateActivity({ id, type: "message", attachments: card });
  } catch {
    // The channel may not support updates (or the card is gone); the secret was never echoed anyway.
  }
}

/**
 * How many more failed proofs the account has before the 24-hour block, in words for the person ("You can try 3
 * more times…"). The count is per address, so an unknown address reads the same as a real one. `hidden` failures
 * (a typed mobile number that did not match, which is never shown) are left out of the figure, so the figure cannot
 * tell whether the number matched, or whether the address exists.
 */
export async function triesLeftText(services: ResetServices, email: string, hidden = 0): Promise<string> {
  const checked = (await services.throttles.check("identityFailed", email)).remaining;
  if (checked === undefined) return "";
  const remaining = checked + hidden;
  if (remaining <= 1) return "You can try once more before this account is blocked from resetting for 24 hours.";
  return `You can try ${remaining} more times before this account is blocked from resetting for 24 hours.`;
}

/**
 * Sends a message on behalf of this conversation: it carries a fresh reference (no personal data) to the provider,
 * and if it fails after the turn has been answered, the person is told here and offered the helpdesk.
 */
export async function deliver(context: TurnContext, services: ResetServices, message: OutboundMessage): Promise<void> {
  const reference = randomUUID();
  services.undelivered?.watch(reference, TurnContext.getConversationReference(context.activity));
  await services.sender.send({ ...message, reference });
}

/** Counts an identity check for the metrics: the method that was checked and how it went. */
export function countVerification(services: ResetServices, method: "captcha" | "number" | "sms" | "voice" | "app" | "password" | "secret", outcome: "passed" | "failed" | "blocked"): void {
  services.telemetry?.count("helpdesk_verifications", { method, outcome });
}

/** Counts a first-login task done, for the metrics. */
export function countTask(services: ResetServices, task: "password" | "aup" | "profile" | "mfa"): void {
  services.telemetry?.count("helpdesk_first_login_tasks_completed", { task });
}
