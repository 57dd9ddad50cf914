import type { TurnContext } from "botbuilder";
import type { DialogContext } from "botbuilder-dialogs";
import { DialogId, PromptId } from "./ids";

/** A reset's steps, as the metrics name them. */
export type ResetStep = "address" | "captcha" | "method" | "number" | "code" | "new_password";

/** How a reset ended, as its instance state remembers it. */
export type ResetEnd = "completed" | "blocked" | "timed_out" | "cancelled" | "failed_verification";

/** The innermost dialog or prompt in progress → the step it asks for. */
const STEP_OF: Readonly<Record<string, ResetStep>> = {
  [PromptId.Email]: "address",
  [DialogId.Captcha]: "captcha",
  [PromptId.Captcha]: "captcha",
  [PromptId.Method]: "method",
  [PromptId.MobileNumber]: "number",
  [PromptId.PhoneCode]: "code",
  [PromptId.AppCode]: "code",
  [PromptId.NewPassword]: "new_password",
};

/** The step a reset is at: its innermost dialog with a step name (the address, before anything else). */
export function resetStepOf(dc: DialogContext | undefined): ResetStep {
  let step: ResetStep = "address";
  for (let inner = dc; inner; inner = inner.child) {
    const named = inner.activeDialog ? STEP_OF[inner.activeDialog.id] : undefined;
    if (named) step = named;
  }
  return step;
}

const BLOCKED = Symbol("blockedThisTurn");

/** Marks this turn as one where the person was blocked (too many attempts), for how the reset ended. */
export function markBlocked(context: TurnContext): void {
  context.turnState.set(BLOCKED, true);
}

/** True when the person was blocked on this turn. */
export function wasBlocked(context: TurnContext): boolean {
  return context.turnState.get<boolean | undefined>(BLOCKED) === true;
}
