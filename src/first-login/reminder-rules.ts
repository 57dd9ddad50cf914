import type { Account } from "../directory/account";
import { checklistOf } from "./checklist";

const DAY_MS = 24 * 60 * 60 * 1000;
const UK = "Europe/London";

/**
 * True when an account should be reminded to enrol for MFA: MFA is required for it, it has not enrolled, and the
 * MFA task is ready on its checklist — the temporary password is changed and the Acceptable Use Policy accepted,
 * which first login asks for before MFA.
 */
export function needsMfaReminder(account: Account): boolean {
  const checklist = checklistOf(account, 0);
  return checklist.mfa.required && checklist.tasks.some((t) => t.task === "mfa" && t.status === "ready");
}

/**
 * The password-expiry reminder threshold that applies to an account now: the smallest of `days` that the time
 * left is within, so a reminder missed at 14 days is not sent late once 7 apply. None for a temporary password,
 * one that has already expired, or one further off than every threshold.
 *
 * @param days - thresholds in whole days, e.g. [14, 7, 1]
 */
export function expiryReminderThreshold(account: Account, now: Date, days: readonly number[]): number | undefined {
  if (account.temporaryPassword) return undefined;
  const left = Date.parse(account.passwordExpiresAt) - now.getTime();
  if (!(left > 0)) return undefined;
  const within = days.filter((d) => left <= d * DAY_MS);
  return within.length === 0 ? undefined : Math.min(...within);
}

/** When a time falls, in words counted in UK calendar days: "today", "tomorrow" or "in 7 days". */
export function whenInDays(at: Date, now: Date): string {
  const days = Math.round((ukDay(at) - ukDay(now)) / DAY_MS);
  if (days <= 0) return "today";
  return days === 1 ? "tomorrow" : `in ${days} days`;
}

/** Midnight UTC of the UK calendar date of a moment, so two moments compare by UK date. */
function ukDay(at: Date): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: UK, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(at);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part("year"), part("month") - 1, part("day"));
}
