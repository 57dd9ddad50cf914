import type { TurnContext } from "botbuilder";
import { verbOf } from "./activity-facts";
import { pressedLine } from "./handoff/transcript";
import type { TranscriptLine } from "./handoff/ports";
import { MAX_TEXT_CHARS } from "./intents";
import { turnStateOf } from "./turn-state";

/** Kept instead of a message typed while a card asked for a secret: it may be the secret itself. */
export const WITHHELD = "(typed a message while a box for a password or secret was open: not kept)";
const TOO_LONG_LINE = "(sent a message too long to keep)";

/** The transcript lines of the turn in progress, added to the conversation's state after it. */
const TURN_LINES = Symbol("transcriptLines");

/**
 * Starts the turn's transcript: the person's message (a card press only as "pressed …", never its inputs) and every
 * text the bot sends back, kept for the helpdesk's request card and added to the conversation state after the turn.
 */
export function startTranscript(context: TurnContext, secretBoxOpen: boolean): void {
  const lines: TranscriptLine[] = [];
  const verb = verbOf(context);
  const text = (context.activity.text ?? "").trim();
  const said = verb ? pressedLine(verb, context.activity.value) : text && secretBoxOpen ? WITHHELD : text.length > MAX_TEXT_CHARS ? TOO_LONG_LINE : text;
  if (said) lines.push({ from: "user", text: said, at: new Date().toISOString() });
  context.turnState.set(TURN_LINES, lines);
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const activity of activities) {
      const text = activity.text ?? firstCardText(activity.attachments);
      if (text) lines.push({ from: "bot", text, at: new Date().toISOString() });
    }
    return next();
  });
}

/** The chat so far for a helpdesk request: the kept transcript, then this turn's lines (redacted when stored). */
export function transcriptSoFar(context: TurnContext): TranscriptLine[] {
  return [...(turnStateOf(context).conversation.transcript ?? []), ...(context.turnState.get<TranscriptLine[] | undefined>(TURN_LINES) ?? [])];
}

/** The first text of a card (its title), so the transcript says which card the bot showed. */
function firstCardText(attachments: Array<{ content?: unknown }> | undefined): string | undefined {
  const body = (attachments?.[0]?.content as { body?: Array<{ text?: unknown }> } | undefined)?.body;
  const first = body?.find((item) => typeof item.text === "string");
  return typeof first?.text === "string" ? `[card] ${first.text}` : undefined;
}

/** This turn's transcript lines, if one was started, to add to the conversation's state after the turn. */
export function turnLinesOf(context: TurnContext): TranscriptLine[] | undefined {
  return context.turnState.get<TranscriptLine[] | undefined>(TURN_LINES);
}
