import { Prompt } from "botbuilder-dialogs";
import type { PromptOptions, PromptRecognizerResult, PromptValidator } from "botbuilder-dialogs";
import type { TurnContext } from "botbuilder";

/** What a person submitted from a card: the button's verb plus the card's inputs, as Teams sends them. */
export type CardSubmission = Readonly<Record<string, unknown>> & { verb: string };

/** Options for a card prompt: the card to show, and the verbs that answer it. */
export interface CardPromptOptions extends PromptOptions {
  validations: { verbs: readonly string[] };
}

/**
 * Waits for a press on one of the card's buttons. The card is the prompt; a typed message or another card's button
 * is not an answer (the validator decides what to say, e.g. not to type a password in the chat).
 */
export class CardSubmitPrompt extends Prompt<CardSubmission> {
  constructor(dialogId: string, validator?: PromptValidator<CardSubmission>) {
    super(dialogId, validator);
  }

  protected override async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const prompt = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (prompt) await context.sendActivity(prompt);
  }

  protected override onRecognize(context: TurnContext, _state: object, options: PromptOptions): Promise<PromptRecognizerResult<CardSubmission>> {
    const value: unknown = context.activity.value;
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

/** A string input from a card submission, trimmed of nothing; undefined when missing, not a string, or too long. */
export function cardText(submission: CardSubmission, field: string, maxLength = 1024): string | undefined {
  const value = submission[field];
  return typeof value === "string" && value.length <= maxLength ? value : undefined;
}
