import { randomUUID } from "node:crypto";
import { MessageFactory } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { captchaCard, submittedCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CardSubmitPrompt, cardText } from "./prompts/card-submit-prompt";
import type { CardPromptOptions, CardSubmission } from "./prompts/card-submit-prompt";
import { countVerification, replaceSubmittedCard } from "./reset-services";
import type { ResetServices } from "./reset-services";

/** Said when the typed characters do not match the picture. */
export const CAPTCHA_WRONG = "Those characters didn't match the picture. Here's a new one to try.";
/** Said when a press comes from a picture that a newer one replaced. */
export const CAPTCHA_REPLACED = "That picture was replaced by a newer one. Please type the characters from the newest picture.";
/** Said when a message is typed instead of using the card. */
export const CAPTCHA_USE_CARD = "Please type the characters into the box on the card, then press **Next**.";

/** The captcha: proves a person is at the keyboard before any account is looked at. Ends with `true` when passed. */
export class CaptchaDialog extends HelpdeskDialog {
  protected readonly helpText = "I'm checking that a person, not a program, is asking: type the characters in the picture into the box, then press **Next**. Press **New image** if you can't read them.";

  constructor(private readonly services: ResetServices) {
    super(DialogId.Captcha);
    this.addDialog(new CardSubmitPrompt(PromptId.Captcha, (prompt) => this.validate(prompt)));
    this.addDialog(new WaterfallDialog(WaterfallId.Captcha, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.Captcha;
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.prompt(PromptId.Captcha, await this.challenge(""));
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(true);
  }

  /**
   * A fresh picture; its answer is kept only as a keyed hash inside the prompt's options. Each picture has an id that
   * its card's buttons carry, so a press on a picture that a newer one replaced is recognised as such.
   */
  private async challenge(error: string): Promise<CaptchaPromptOptions> {
    const captcha = this.services.captcha;
    if (!captcha) throw new Error("The captcha dialog needs a captcha service");
    const { imageDataUri, answerHash } = await captcha.create();
    const challengeId = randomUUID();
    const card = MessageFactory.attachment(captchaCard({ image: imageDataUri, error, challengeId }));
    // One copy of the card (its picture is most of the conversation's state while the captcha is open): a retry
    // shows the prompt itself when there is no retry prompt.
    return { prompt: card, validations: { verbs: [Verb.SubmitCaptcha, Verb.RefreshCaptcha] }, answerHash, challengeId, inPlace: true };
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as CaptchaPromptOptions;
    const submission = prompt.recognized.value;
    if (!prompt.recognized.succeeded || !submission) {
      if (prompt.context.activity.text) await prompt.context.sendActivity(CAPTCHA_USE_CARD);
      return false;
    }
    if (submission.challengeId !== options.challengeId) {
      // A press on a picture that a newer one replaced (the channel could not update the old card): the newest
      // picture stands, nothing is counted, and the old card says so. (Having answered, the prompt asks nothing more.)
      await replaceSubmittedCard(prompt.context, [submittedCard({ title: "This picture was replaced", note: "Use the newest picture, further down." })]);
      await prompt.context.sendActivity(CAPTCHA_REPLACED);
      return false;
    }
    const answer = cardText(submission, "captchaAnswer", 64) ?? "";
    if (submission.verb === Verb.SubmitCaptcha && this.services.captcha?.check(answer, options.answerHash)) {
      countVerification(this.services, "captcha", "passed");
      await replaceSubmittedCard(prompt.context, [submittedCard({ title: "Characters checked", note: "Thank you." })]);
      return true;
    }
    // A wrong answer or a request for a new image: every new picture gets a new answer.
    if (submission.verb === Verb.SubmitCaptcha) countVerification(this.services, "captcha", "failed");
    const next = await this.challenge(submission.verb === Verb.SubmitCaptcha ? CAPTCHA_WRONG : "");
    Object.assign(options, next);
    return false;
  }
}

/** The captcha prompt's options: the current picture's answer (as a keyed hash) and id. */
type CaptchaPromptOptions = CardPromptOptions & { answerHash: string; challengeId: string };
