import { MessageFactory } from "botbuilder";
import { TextPrompt, WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { readNhsmailAddress } from "../src/directory/email";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";

/** The first question of a reset. */
export const ASK_EMAIL = "Let's get you back into your account. What's your **@nhs.net** email address?";
/** Said when the answer is not an email address at all. */
export const NOT_AN_ADDRESS = "That doesn't look like an email address. Please type your full address, like **jane.smith@nhs.net**.";
/** Said when the address is not an NHSmail one. */
export const NOT_NHSMAIL = "I can only reset **@nhs.net** accounts. Please type your NHSmail address, like **jane.smith@nhs.net**.";

/** Checks the typed address and sets the retry prompt to say exactly what was wrong. */
export function nhsmailAddressValidator(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const reading = readNhsmailAddress(prompt.recognized.value ?? "");
  if (reading.ok) {
    prompt.recognized.value = reading.email;
    return Promise.resolve(true);
  }
  prompt.options.retryPrompt = MessageFactory.text(reading.reason === "not-nhsmail" ? NOT_NHSMAIL : NOT_AN_ADDRESS);
  return Promise.resolve(false);
}

/** Self-service password reset, following the NHSmail guide step by step. */
export class ResetPasswordDialog extends HelpdeskDialog {
  protected readonly helpText = "We're resetting your NHSmail password. Type your @nhs.net email address to carry on, or **cancel** to stop.";

  constructor() {
    super(DialogId.ResetPassword);
    this.addDialog(new TextPrompt(PromptId.Email, nhsmailAddressValidator));
    this.addDialog(new WaterfallDialog(WaterfallId.ResetPassword, [this.emailStep.bind(this), this.portalStep.bind(this)]));
    this.initialDialogId = WaterfallId.ResetPassword;
  }

  private async emailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.prompt(PromptId.Email, { prompt: ASK_EMAIL });
  }

  private async portalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(
      "Thank you. To prove it's you, open **https://portal.nhs.net**, choose **Self-Service Password Reset Portal**, " +
        "enter that address and the captcha, then use a text or call to your registered mobile, or a code from your authenticator app.",
    );
    return step.endDialog();
  }
}
