import { EventFactory } from "botbuilder";
import type { Activity, TurnContext } from "botbuilder";
import type { HandoffRecord } from "../src/handoff/ports";

/** The channel where the bot relays messages itself: Teams refuses `handoff.initiate` events. */
const TEAMS = "msteams";

/**
 * On channels other than Teams that connect to an engagement hub, also announces the request with a
 * `handoff.initiate` event (Bot Framework's EventFactory), carrying the request's id, why it was made, and the
 * redacted transcript. In Teams the desk relays messages itself, so nothing is sent.
 */
export async function emitHandoffInitiation(context: TurnContext, record: HandoffRecord): Promise<void> {
  if (context.activity.channelId === TEAMS) return;
  const activities = record.transcript.map(
    (line): Partial<Activity> => ({ type: "message", text: line.text, timestamp: new Date(line.at), from: { id: line.from, name: line.from } }),
  );
  const event = EventFactory.createHandoffInitiation(
    context,
    { handoffId: record.id, trigger: record.trigger, failedStep: record.failedStep },
    { activities: activities as Activity[] },
  );
  await context.sendActivity(event);
}
