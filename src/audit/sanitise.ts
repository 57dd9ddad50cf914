import type { AuditEvent } from "./audit-log";

/** The longest `detail` kept, in characters. */
export const MAX_DETAIL_LENGTH = 100;

/** Four or more digits, possibly split by spaces, dashes or brackets: a code, a phone number, a date of birth. */
const DIGIT_RUN = /\+?\d(?:[\s()-]*\d){3,}/g;

const cap = (text: string, length: number): string =>
  text.length <= length ? text : `${text.slice(0, length - 1)}…`;

/**
 * An event fit to keep: trimmed and length-capped fields, the email lower-cased, `at` filled in (or replaced when
 * it is not a time), and every run of four or more digits in `detail` replaced by `####` before it is capped at
 * {@link MAX_DETAIL_LENGTH} characters — so a code or phone number passed by mistake is not kept. The `actor` is
 * left as it is (it is a keyed hash).
 */
export function sanitiseEvent(event: AuditEvent, now: Date): AuditEvent {
  const at = event.at !== undefined && !Number.isNaN(Date.parse(event.at)) ? new Date(event.at).toISOString() : now.toISOString();
  const clean: AuditEvent = { type: cap(event.type.trim(), 64), outcome: event.outcome };
  const email = event.email?.trim().toLowerCase();
  if (email) clean.email = cap(email, 254);
  const actor = event.actor?.trim();
  if (actor) clean.actor = cap(actor, 128);
  const detail = event.detail?.trim();
  if (detail) clean.detail = cap(detail.replace(DIGIT_RUN, "####"), MAX_DETAIL_LENGTH);
  clean.at = at;
  return clean;
}
