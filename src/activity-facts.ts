import { ActivityTypes } from "botbuilder";
import type { TurnContext } from "botbuilder";
import { AGENT_VERBS, GLOBAL_VERBS } from "../cards/verbs";
import { FIRST_LOGIN_TASKS } from "./first-login";
import type { FirstLoginTask } from "./first-login";
import type { HandoffTrigger } from "./handoff/ports";

/* What a turn's activity says, read safely once at the edge: its kind, its card verb and data, its conversation. */

/** The card verb of a submit, if any (verbs are constants, safe to log). */
export function verbOf(context: TurnContext): string | undefined {
  const value: unknown = context.activity.value;
  if (typeof value !== "object" || value === null) return undefined;
  const verb = (value as { verb?: unknown }).verb;
  return typeof verb === "string" && verb.length <= 64 ? verb : undefined;
}

/** True for a press of a button only helpdesk agents use. */
export function isAgentVerb(context: TurnContext): boolean {
  return AGENT_VERBS.has(verbOf(context) ?? "");
}

/** True for a message (typed, or a card press). */
export function isMessage(context: TurnContext): boolean {
  return context.activity.type === (ActivityTypes.Message as string);
}

/**
 * True for a one-to-one conversation: a Teams personal chat, or a channel without group conversations (Direct Line,
 * where each conversation has one person). Decided here, once, for every journey.
 */
export function isPrivate(context: TurnContext): boolean {
  const { conversationType, isGroup } = context.activity.conversation ?? {};
  return isGroup !== true && (conversationType === undefined || conversationType === "personal");
}

/** A message in a one-to-one conversation. */
export function isPersonalMessage(context: TurnContext): boolean {
  return isMessage(context) && isPrivate(context);
}

const TRIGGERS: readonly HandoffTrigger[] = ["asked", "locked-out", "repeated-failures", "no-method", "first-login", "service-problem"];

/** The trigger and failed step an offer button carries ("Talk to the helpdesk" after a lockout, say). */
export function handoffOptionsOf(context: TurnContext): { trigger: HandoffTrigger; failedStep?: string } {
  const value = (context.activity.value ?? {}) as { trigger?: unknown; step?: unknown };
  const trigger = TRIGGERS.find((t) => t === value.trigger) ?? "asked";
  const step = typeof value.step === "string" && value.step.length <= 80 ? value.step : undefined;
  return { trigger, failedStep: step };
}

/** The first-login task a checklist button names, if it is one. */
export function taskOf(context: TurnContext): FirstLoginTask | undefined {
  const task = (context.activity.value as { task?: unknown } | undefined)?.task;
  return FIRST_LOGIN_TASKS.find((t) => t === task);
}

/** True for a press of a button that starts a journey from anywhere. */
export function isGlobalVerb(context: TurnContext): boolean {
  return GLOBAL_VERBS.has(verbOf(context) ?? "");
}
