import { MessageFactory } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { mfaChooseCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import type { MfaMethod } from "../src/directory/account";
import { isDone } from "../src/first-login/checklist";
import { mfaRequirement } from "../src/first-login/mfa-rule";
import { HelpdeskDialog } from "./base-dialog";
import type { FirstLoginServices, TaskOptions, TaskResult } from "./first-login-services";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { MfaAppDialog } from "./mfa-app-dialog";
import { MfaSmsDialog } from "./mfa-sms-dialog";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";

/** Said when the choice is typed and cannot be read. */
export const CHOOSE_MFA_METHOD = "Please choose one of the options on the card: an authenticator app, or text messages to your mobile.";
/** Said when the account is already enrolled. */
export const ALREADY_ENROLLED = "You're already set up for multi-factor authentication (MFA), so there's nothing more to do here.";
/** Said when the account cannot be read (it was removed while the person was busy). */
export const ACCOUNT_UNAVAILABLE = "Sorry, I can't find your account just now, so I can't set up MFA. Please try again later, or type **talk to a person**.";

const TYPED: ReadonlyArray<[RegExp, MfaMethod]> = [
  [/\b(app|authenticator)\b/i, "app"],
  [/\b(text|sms|mobile)\b/i, "sms"],
];

/** Reads the chosen MFA method from a button press or from what was typed. */
export function mfaMethodFrom(submission: CardSubmission | undefined, text: string | undefined): MfaMethod | undefined {
  const method = submission?.method;
  if (method === "app" || method === "sms") return method;
  return text ? TYPED.find(([pattern]) => pattern.test(text))?.[1] : undefined;
}

/**
 * First-login task 4: enrol for MFA. The card says whether MFA is required for this account and why, then the
 * person sets up an authenticator app or texts to a mobile. Ends `{ done: true }` once enrolled (or if already).
 */
export class EnrolMfaDialog extends HelpdeskDialog {
  protected readonly helpText = "Choose how you'd like to get your sign-in codes: an authenticator app on your phone, or text messages.";

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.EnrolMfa);
    this.addDialog(new CardSubmitPrompt(PromptId.MfaMethod, chooseMfaValidator));
    this.addDialog(new MfaAppDialog(services));
    this.addDialog(new MfaSmsDialog(services));
    this.addDialog(new WaterfallDialog(WaterfallId.EnrolMfa, [this.chooseStep.bind(this), this.enrolStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.EnrolMfa;
  }

  private async chooseStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const account = await this.services.directory.findByEmail(step.options.email);
    if (!account) {
      await step.context.sendActivity(ACCOUNT_UNAVAILABLE);
      return step.endDialog({ done: false } satisfies TaskResult);
    }
    if (isDone(account, "mfa")) {
      await step.context.sendActivity(ALREADY_ENROLLED);
      return step.endDialog({ done: true } satisfies TaskResult);
    }
    const card = MessageFactory.attachment(mfaChooseCard(mfaRequirement(account)));
    return step.prompt(PromptId.MfaMethod, { prompt: card, retryPrompt: MessageFactory.text(CHOOSE_MFA_METHOD), validations: { verbs: [Verb.ChooseMfaMethod] } });
  }

  private async enrolStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const options: TaskOptions = { email: step.options.email };
    return step.beginDialog((step.result as MfaMethod) === "app" ? DialogId.MfaApp : DialogId.MfaSms, options);
  }

  private async doneStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const result = step.result as TaskResult | undefined;
    return step.endDialog({ done: result?.done === true } satisfies TaskResult);
  }
}

/** Accepts a press of either method button, or the method typed in words ("app", "text"). */
function chooseMfaValidator(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
  const method = mfaMethodFrom(prompt.recognized.value, prompt.context.activity.text);
  if (!method) return Promise.resolve(false);
  (prompt.recognized as { value: unknown }).value = method;
  return Promise.resolve(true);
}
