import { MessageFactory } from "botbuilder";
import type { Activity } from "botbuilder";
import type { PromptValidatorContext } from "botbuilder-dialogs";
import { enterCodeCard, submittedCard } from "../../cards/render";
import { Verb } from "../../cards/verbs";
import { cardText } from "./card-submit-prompt";
import type { CardSubmission } from "./card-submit-prompt";
import { replaceSubmittedCard } from "../reset-services";

/** The buttons that answer a code card. */
export const CODE_VERBS: readonly string[] = [Verb.SubmitCode, Verb.ResendCode];

/** A code card: the message, an error if any, a masked box, and (for texts and calls) "Send a new code". */
export function codeCard(message: string, error: string, canResend: boolean): Partial<Activity> {
  return MessageFactory.attachment(enterCodeCard({ message, error, canResend }));
}

/**
 * What was entered: the masked box of the card (the submitted card is then cleared, so the code does not stay on
 * screen), or, for people who type it, the chat message. `resend` when "Send a new code" was pressed.
 */
export async function readCode(prompt: PromptValidatorContext<CardSubmission>): Promise<{ code: string; resend: boolean }> {
  const submission = prompt.recognized.succeeded ? prompt.recognized.value : undefined;
  if (!submission) return { code: (prompt.context.activity.text ?? "").trim(), resend: false };
  await replaceSubmittedCard(prompt.context, [submittedCard({ title: "Code submitted", note: "For your security, the box has been cleared." })]);
  return { code: (cardText(submission, "code", 64) ?? "").trim(), resend: submission.verb === Verb.ResendCode };
}
