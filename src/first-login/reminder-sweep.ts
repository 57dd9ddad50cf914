import { mfaReminderCard, passwordExpiryCard } from "../../cards/render";
import type { Account } from "../directory/account";
import type { Logger } from "../logger";
import type { ProactiveOutcome, UserMessenger } from "../proactive/user-messenger";
import type { StateStore } from "../state";
import { mfaRequirement } from "./mfa-rule";
import { expiryReminderThreshold, needsMfaReminder, whenInDays } from "./reminder-rules";
import { ukDateTime } from "../uk-time";
import type { UserLinks } from "./user-links";

/** When each address was last reminded about MFA (ISO time, by the sweep's clock). */
const MFA_LAST_SENT = "mfa_reminded_at";
/** Claims on sends: MFA per (address, last reminder), expiry per (address, expiry, threshold). */
const MFA_SENDS = "mfa_reminder_sends";
const EXPIRY_SENDS = "expiry_reminder_sends";
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** What the reminder sweep needs. */
export interface ReminderSweepDependencies {
  /** Every account (the embedded directory's `list`). */
  listAccounts(): Promise<Account[]>;
  links: Pick<UserLinks, "userOf">;
  messenger: Pick<UserMessenger, "send">;
  /** Remembers sends, across instances: atomic claims, and the time of the last MFA reminder. */
  store: Pick<StateStore, "claim" | "release" | "keyv">;
  clock: () => Date;
  logger: Logger;
  /** At most one MFA reminder per account in this many hours (MFA_REMINDER_HOURS). */
  mfaReminderHours: number;
  /** Password-expiry thresholds in days (PASSWORD_EXPIRY_REMINDER_DAYS), e.g. [14, 7, 1]. */
  expiryReminderDays: readonly number[];
}

/** What one sweep did. */
export interface SweepSummary {
  /** Accounts linked to a Teams user. */
  linked: number;
  mfaReminders: number;
  expiryReminders: number;
  /** Reminders not delivered because the person has no usable conversation with the bot. */
  unreachable: number;
  /** Reminders or accounts that failed; tried again at the next sweep. */
  failed: number;
}

/** A rendered card (cards/render's attachment type). */
type Card = ReturnType<typeof mfaReminderCard>;

type Sent = "sent" | "skipped" | "unreachable" | "failed";

/**
 * One walk over the accounts linked to a Teams user, sending the MFA reminder and the password-expiry reminder
 * where due. Each send is first claimed in the store for as long as it must not repeat, so two instances (or two
 * sweeps) never send the same reminder twice; a send that did not go out gives its claim back.
 */
export class ReminderSweep {
  constructor(private readonly deps: ReminderSweepDependencies) {}

  /** Sends the reminders that are due now. Never throws for one account: it is counted and logged. */
  async run(): Promise<SweepSummary> {
    const summary: SweepSummary = { linked: 0, mfaReminders: 0, expiryReminders: 0, unreachable: 0, failed: 0 };
    const count = (result: Sent, sent: "mfaReminders" | "expiryReminders"): void => {
      if (result === "sent") summary[sent] += 1;
      else if (result !== "skipped") summary[result] += 1;
    };
    for (const account of await this.deps.listAccounts()) {
      try {
        const user = await this.deps.links.userOf(account.email);
        if (!user) continue;
        summary.linked += 1;
        count(await this.remindMfa(user, account), "mfaReminders");
        count(await this.remindExpiry(user, account), "expiryReminders");
      } catch (err) {
        summary.failed += 1;
        this.deps.logger.warn({ err: { message: (err as Error).message } }, "reminders for an account not sent");
      }
    }
    this.deps.logger.info({ ...summary }, "reminder sweep done");
    return summary;
  }

  private async remindMfa(user: string, account: Account): Promise<Sent> {
    if (!needsMfaReminder(account)) return "skipped";
    const now = this.deps.clock();
    const every = this.deps.mfaReminderHours * HOUR_MS;
    const lastSent = this.deps.store.keyv<string>(MFA_LAST_SENT);
    const last = await lastSent.get(account.email);
    if (last && now.getTime() - Date.parse(last) < every) return "skipped";
    // Keyed by the last reminder, so only one sweep moves on from it; the next reminder is a new key.
    const card = mfaReminderCard({ reason: mfaRequirement(account).reason });
    const result = await this.sendOnce(MFA_SENDS, `${account.email}|${last ?? "never"}`, every, user, card);
    if (result === "sent") await lastSent.set(account.email, now.toISOString());
    return result;
  }

  private async remindExpiry(user: string, account: Account): Promise<Sent> {
    const now = this.deps.clock();
    const threshold = expiryReminderThreshold(account, now, this.deps.expiryReminderDays);
    if (threshold === undefined) return "skipped";
    const expires = new Date(account.passwordExpiresAt);
    const card = passwordExpiryCard({ when: whenInDays(expires, now), expires: ukDateTime(expires) });
    // Remembered until a day after the expiry: after it no expiry reminder is sent, and a new password is a new key.
    const keep = Math.ceil(expires.getTime() - now.getTime() + DAY_MS);
    return this.sendOnce(EXPIRY_SENDS, `${account.email}|${account.passwordExpiresAt}|${threshold}`, keep, user, card);
  }

  /** Claims the send for `keepMs`, sends, and gives the claim back when nothing was delivered. */
  private async sendOnce(namespace: string, key: string, keepMs: number, user: string, card: Card): Promise<Sent> {
    if (!(await this.deps.store.claim(namespace, key, keepMs))) return "skipped";
    let outcome: ProactiveOutcome | undefined;
    try {
      outcome = await this.deps.messenger.send(user, { type: "message", attachments: [card] });
    } finally {
      if (outcome?.status !== "sent") await this.deps.store.release(namespace, key);
    }
    if (outcome.status === "sent") return "sent";
    return outcome.status === "failed" ? "failed" : "unreachable";
  }
}
