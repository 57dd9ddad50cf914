/** How people in the UK read dates and times, in UK time (Europe/London), the same everywhere in the bot. */
const UK = "Europe/London";

/** A date as a person in the UK reads it: "Tuesday 23 November 2027". */
export function ukDate(at: Date | string): string {
  return new Date(at).toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: UK }).replace(",", "");
}

/** A short date, as a chart's axis shows it: "Mon 7 Dec". */
export function ukShortDate(at: Date | string): string {
  return new Date(at).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: UK }).replace(",", "");
}

/** A time of day: "2:35pm", "12:05pm". */
export function ukTime(at: Date | string): string {
  return new Date(at).toLocaleTimeString("en-GB", { hour: "numeric", minute: "2-digit", hourCycle: "h12", timeZone: UK }).replace(/\s/g, "");
}

/** Both: "Monday 13 December 2027 at 10:00am". */
export function ukDateTime(at: Date | string): string {
  return `${ukDate(at)} at ${ukTime(at)}`;
}
