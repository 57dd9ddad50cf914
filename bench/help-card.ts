/**
 * The turn `npm run bench:turn` measures, as a {@link Target}: text the bot does not recognise, answered with the
 * "didn't understand" line and the help Adaptive Card (`bench:turn` and `bench:journey` both use it).
 */
import type { ReplyActivity, Target } from "./load";

/** The bot's reply to text it does not recognise (src/app.ts NOT_UNDERSTOOD), above the help card. */
const NOT_UNDERSTOOD_PREFIX = "Sorry, I didn't understand that";
const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
/** The start of the bot's apology for a turn that failed (src/turn-errors.ts TURN_ERROR). */
const TURN_FAILED_PREFIX = "Sorry, something went wrong on my side";
/** What every help-card turn says. */
export const UNKNOWN_TEXT = "what is the weather";

/** The bot's answer to unknown text: the "didn't understand" line with the help Adaptive Card attached. */
export function isHelpCardReply(activity: ReplyActivity): boolean {
  return (
    typeof activity.text === "string" &&
    activity.text.startsWith(NOT_UNDERSTOOD_PREFIX) &&
    Array.isArray(activity.attachments) &&
    activity.attachments.some((a: unknown) => (a as { contentType?: unknown } | null)?.contentType === ADAPTIVE_CARD)
  );
}

/**
 * Help-card turns against the bot at `url`, shown in the output as `name`. A reply that carries the help card but
 * also the bot's apology for a failed turn (its state could not be saved, say) counts as an error.
 */
export function helpCardTarget(name: string, url: string): Target {
  const failed = (activity: ReplyActivity): boolean => typeof activity.text === "string" && activity.text.startsWith(TURN_FAILED_PREFIX);
  return { name, url, text: UNKNOWN_TEXT, isExpectedReply: (activities) => activities.some(isHelpCardReply) && !activities.some(failed) };
}
