import { MessageFactory } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { chooseMethodCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import { methodsOf } from "../src/directory/account";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import type { ResetServices } from "./reset-services";

/** How a person proves who they are, as in the NHSmail guide. */
export type Method = "sms" | "voice" | "app";

/** Options for {@link VerifyIdentityDialog}. */
export interface VerifyIdentityOptions {
  email: string;
}

/** Said when the choice is typed rather than pressed and cannot be read. */
export const CHOOSE_A_METHOD = "Please choose one of the options on the card: a text, a call, or your authenticator app.";

const TYPED: ReadonlyArray<[RegExp, Method]> = [
  [/\b(text|sms)\b/i, "sms"],
  [/\b(call|phone me|ring)\b/i, "voice"],
  [/\b(app|authenticator)\b/i, "app"],
];

/** Reads a method from a button press or from what was typed. */
export function methodFrom(submission: CardSubmission | undefined, text: string | undefined): Method | undefined {
  const method = submission?.method;
  if (method === "sms" || method === "voice" || method === "app") return method;
  return text ? TYPED.find(([pattern]) => pattern.test(text))?.[1] : undefined;
}

/**
 * Verification step 1 of the guide: choose a method, then prove it. Only the account's registered methods are
 * offered; for an unknown address, or one with no method, all three are offered so the two cannot be told apart.
 * Ends with `true` when the person proved who they are.
 */
export class VerifyIdentityDialog extends HelpdeskDialog {
  protected readonly helpText = "Choose how I should check it's you: a text or a call to your registered mobile, or a code from your authenticator app.";

  constructor(private readonly services: ResetServices) {
    super(DialogId.VerifyIdentity);
    this.addDialog(new CardSubmitPrompt(PromptId.Method, chooseValidator));
    this.addDialog(new WaterfallDialog(WaterfallId.VerifyIdentity, [this.chooseStep.bind(this), this.proveStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.VerifyIdentity;
  }

  private async chooseStep(step: WaterfallStepContext<VerifyIdentityOptions>): Promise<DialogTurnResult> {
    const account = await this.services.directory.findByEmail(step.options.email);
    const methods = methodsOf(account);
    const offered = methods.sms || methods.voice || methods.app ? methods : { sms: true, voice: true, app: true };
    const card = MessageFactory.attachment(chooseMethodCard(offered));
    return step.prompt(PromptId.Method, { prompt: card, retryPrompt: MessageFactory.text(CHOOSE_A_METHOD), validations: { verbs: [Verb.ChooseMethod] } });
  }

  private async proveStep(step: WaterfallStepContext<VerifyIdentityOptions>): Promise<DialogTurnResult> {
    const method = step.result as Method;
    if (method === "app") return step.beginDialog(DialogId.AppCode, { email: step.options.email });
    return step.beginDialog(DialogId.PhoneCode, { email: step.options.email, channel: method });
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result === true);
  }
}

function chooseValidator(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
  const method = methodFrom(prompt.recognized.value, prompt.context.activity.text);
  if (!method) return Promise.resolve(false);
  (prompt.recognized as { value: unknown }).value = method;
  return Promise.resolve(true);
}
