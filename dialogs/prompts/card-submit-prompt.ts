import { Prompt } from "botbuilder-dialogs";
import type { PromptOptions, PromptRecognizerResult, PromptValidator } from "botbuilder-dialogs";
import type { Activity, TurnContext } from "botbuilder";

/** What a person submitted from a card: the button's verb plus the card's inputs, as Teams sends them. */
export type CardSubmission = Readonly<Record<string, unknown>> & { verb: string };

/** Options for a card prompt: the card to show, and the verbs that answer it. */
export interface CardPromptOptions extends PromptOptions {
  validations: { verbs: readonly string[] };
  /**
   * When a press on the card is not accepted, show the retry card in place of the pressed one (its boxes emptied),
   * so the chat keeps one live card that reads as one story; a message in the retry prompt is still sent. Falls back
   * to posting the retry card when the channel cannot update a message or the answer was typed.
   */
  inPlace?: boolean;
}

/**
 * Waits for a press on one of the card's buttons. The card is the prompt; a typed message or another card's button
 * is not an answer (the validator decides what to say, e.g. not to type a password in the chat).
 */
export class CardSubmitPrompt extends Prompt<CardSubmission> {
  constructor(dialogId: string, validator?: PromptValidator<CardSubmission>) {
    super(dialogId, validator);
  }

  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const prompt = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (!prompt) return;
    if (isRetry && (options as CardPromptOptions).inPlace && typeof prompt !== "string" && (await replacePressedCard(context, prompt))) return;
    const sent = await context.sendActivity(prompt);
    if (sent?.id) (state as CardPromptState).cardActivityId = sent.id;
  }

  protected override onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<CardSubmission>> {
    const value: unknown = context.activity.value;
    // Teams says which card a press came from (replyToId); a channel that does not (the web chat, as the edge marks
    // it) has a press taken to answer this prompt's own card: the one that is then cleared or replaced.
    const cardId = (state as CardPromptState).cardActivityId;
    const unnamed = context.turnState.get<boolean | undefined>(PRESSES_NAME_NO_CARD) === true && !context.activity.replyToId;
    if (unnamed && cardId && typeof value === "object" && value !== null) context.activity.replyToId = cardId;
    const verbs = (options as CardPromptOptions).validations?.verbs ?? [];
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const verb = (value as { verb?: unknown }).verb;
      if (typeof verb === "string" && verbs.includes(verb)) {
        return Promise.resolve({ succeeded: true, value: value as CardSubmission });
      }
    }
    return Promise.resolve({ succeeded: false });
  }
}

/** Set on a turn by the edge when its channel does not say which card a button was pressed on (Direct Line). */
export const PRESSES_NAME_NO_CARD = Symbol("pressesNameNoCard");

/** What a card prompt keeps between turns: the id of the card it last sent. */
interface CardPromptState {
  cardActivityId?: string;
}

/** A string input from a card submission, trimmed of nothing; undefined when missing, not a string, or too long. */
export function cardText(submission: CardSubmission, field: string, maxLength = 1024): string | undefined {
  const value = submission[field];
  return typeof value === "string" && value.length <= maxLength ? value : undefined;
}

/**
 * Replaces the card a person pressed a button on with `prompt`'s card, then sends the prompt's text (if any) as a
 * message. False, having changed nothing, when the turn is not a press on a card or the channel refuses the update.
 */
export async function replacePressedCard(context: TurnContext, prompt: Partial<Activity>): Promise<boolean> {
  const id = context.activity.replyToId;
  const value: unknown = context.activity.value;
  if (!id || typeof value !== "object" || value === null || !prompt.attachments?.length) return false;
  try {
    await context.updateActivity({ id, type: "message", attachments: prompt.attachments });
  } catch {
    return false;
  }
  if (prompt.text) await context.sendActivity(prompt.text);
  return true;
}
