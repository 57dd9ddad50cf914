import { ActivityTypes } from "botbuilder";
import type { TurnContext } from "botbuilder";
import type { HandoffParty } from "./ports";

/**
 * Reading what arrives from the agents' side: which kind of Teams activity it is, who sent it, and what a card press
 * on an agent's card carries. Nothing here acts on it (that is `agent-desk.ts`).
 *
 * @packageDocumentation
 */

/** What an agent's button carries (only `handoffId`, `outcome` and `note` are read; the rest is ignored). */
export interface AgentSubmit {
  verb: string;
  handoffId?: string;
  outcome?: string;
  note?: string;
}

/** True when the message @mentions the bot. */
export function mentionsBot(context: TurnContext): boolean {
  const { entities = [], recipient } = context.activity;
  return entities.some((e) => e.type === "mention" && (e as { mentioned?: { id?: unknown } }).mentioned?.id === recipient?.id);
}

/**
 * True for a message in a team's channel that does not @mention the bot and is no card press: Teams sends those only
 * under the permission to read every channel message of the team, and nobody was talking to the bot.
 */
export function isOverheard(context: TurnContext): boolean {
  const { type, conversation } = context.activity;
  const value: unknown = context.activity.value;
  return type === (ActivityTypes.Message as string) && conversation?.conversationType === "channel" && value === undefined && !mentionsBot(context);
}

/** True for Teams' notice that a message was edited or deleted. */
export function isEditOrDelete(context: TurnContext): boolean {
  const type = context.activity.type;
  return type === (ActivityTypes.MessageUpdate as string) || type === (ActivityTypes.MessageDelete as string);
}

/** True when this activity says the bot itself was just added to the conversation (installed in the team). */
export function isBotAdded(context: TurnContext): boolean {
  const { type, membersAdded = [], recipient } = context.activity;
  return type === (ActivityTypes.ConversationUpdate as string) && membersAdded.some((m) => m.id === recipient?.id);
}

/** The sender of the turn, for the audit of a refused press. */
export function senderOf(context: TurnContext): HandoffParty {
  const from = context.activity.from;
  return { id: from?.id ?? "unknown", aadObjectId: from?.aadObjectId };
}

/** A card submit's verb and the fields agents' cards send; undefined for a message without a submit. */
export function submitOf(context: TurnContext): AgentSubmit | undefined {
  const value: unknown = context.activity.value;
  if (typeof value !== "object" || value === null) return undefined;
  const { verb, handoffId, outcome, note } = value as Record<string, unknown>;
  if (typeof verb !== "string") return undefined;
  const text = (field: unknown, max: number): string | undefined => (typeof field === "string" && field.length <= max ? field : undefined);
  return { verb, handoffId: text(handoffId, 100), outcome: text(outcome, 40), note: typeof note === "string" ? note : undefined };
}
