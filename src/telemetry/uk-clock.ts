/**
 * UK wall-clock arithmetic for the daily summary: when the next 8am in the UK falls (correct across BST and GMT),
 * which UK day an instant belongs to, and short hour labels for the chart.
 *
 * @packageDocumentation
 */

const UK = "Europe/London";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Made on first use: the UK time zone's data costs start-up time and memory that a bot with no summary never needs. */
let wallClock: Intl.DateTimeFormat | undefined;
const wallClockFormat = (): Intl.DateTimeFormat =>
  (wallClock ??= new Intl.DateTimeFormat("en-GB", {
    timeZone: UK,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }));

/** A time of day as written in settings: `HH:MM` on the 24-hour clock. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** What a clock in the UK reads at `at`. */
function ukWallClock(at: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const part of wallClockFormat().formatToParts(at)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
}

/** How far UK time is ahead of UTC at `at`, in milliseconds: 0 in winter (GMT), one hour in summer (BST). */
function ukOffset(at: number): number {
  const wall = ukWallClock(new Date(at));
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return asUtc - Math.floor(at / MINUTE) * MINUTE;
}

/** The instant a UK clock reads this date and time (months from 1; a day past the month's end rolls over). */
function ukInstant(year: number, month: number, day: number, hour: number, minute: number): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - ukOffset(asUtc);
  // Near a clock change the offset at the guess may differ from the offset at the answer: take the answer's.
  return new Date(asUtc - ukOffset(first));
}

/**
 * The first instant strictly after `after` at which a UK clock reads `time`.
 *
 * @param time - `HH:MM` on the 24-hour clock, e.g. "08:00"
 * @throws RangeError when `time` is not `HH:MM`
 */
export function nextUkTime(after: Date, time: string): Date {
  const match = TIME_OF_DAY.exec(time);
  if (!match) throw new RangeError(`A time of day must be HH:MM on the 24-hour clock, e.g. 08:00 (got "${time}").`);
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  const today = ukWallClock(after);
  for (let days = 0; ; days++) {
    const candidate = ukInstant(today.year, today.month, today.day + days, hour, minute);
    if (candidate.getTime() > after.getTime()) return candidate;
  }
}

/** The UK date of an instant, as `YYYY-MM-DD` (for job ids). */
export function ukDay(at: Date): string {
  const { year, month, day } = ukWallClock(at);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The hour a UK clock shows at `at`, 0 to 23. */
export function ukHour(at: Date): number {
  return ukWallClock(at).hour;
}

/** A short label for the hour starting at `at`, in UK time: "midnight", "3am", "midday", "9pm". */
export function ukHourLabel(at: Date): string {
  const hour = ukHour(at);
  if (hour === 0) return "midnight";
  if (hour === 12) return "midday";
  return hour < 12 ? `${hour}am` : `${hour - 12}pm`;
}

/** The start of the UTC hour that holds `at`. */
export function hourStart(at: Date | number): Date {
  const ms = typeof at === "number" ? at : at.getTime();
  return new Date(Math.floor(ms / HOUR) * HOUR);
}
