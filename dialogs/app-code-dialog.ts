import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { HelpdeskDialog } from "./base-dialog";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardPromptOptions, CardSubmission } from "./prompts/card-submit-prompt";
import { CODE_VERBS, codeCard, readCode } from "./prompts/code-entry";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { audit, countVerification, recordFailedProof, sayBlocked, triesLeftText } from "./reset-services";
import type { ResetServices } from "./reset-services";

/** Options for {@link AppCodeDialog}. */
export interface AppCodeOptions {
  email: string;
}

/** The question. */
export const ASK_APP_CODE = "Open your authenticator app, find your **@nhs.net** account and type the 6-digit code it shows. A new code appears every 30 seconds.";
/** Said when the typed text is not a 6-digit code. */
export const NOT_AN_APP_CODE = "The code is the 6 digits your authenticator app shows, like 123456. Please type it here.";
/** Said when the code did not verify. */
export const APP_CODE_WRONG = "That code didn't work. Codes change every 30 seconds: open your app and type the one it shows now.";

// A fixed secret to check against when the account has none, so both cases do the same work.
const STAND_IN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** Steps 11–13 of the guide: a code from the authenticator app. Ends with `true` when verified. */
export class AppCodeDialog extends HelpdeskDialog {
  protected readonly helpText = "To check it's you, type the 6-digit code your authenticator app shows for your **@nhs.net** account. If it has just changed, use the new one.";

  constructor(private readonly services: ResetServices) {
    super(DialogId.AppCode);
    this.addDialog(new CardSubmitPrompt(PromptId.AppCode, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.AppCode, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.AppCode;
  }

  private async askStep(step: WaterfallStepContext<AppCodeOptions>): Promise<DialogTurnResult> {
    const options: CardPromptOptions = { prompt: codeCard(ASK_APP_CODE, "", false), inPlace: true, validations: { ...step.options, verbs: CODE_VERBS } };
    return step.prompt(PromptId.AppCode, options);
  }

  private async doneStep(step: WaterfallStepContext<AppCodeOptions>): Promise<DialogTurnResult> {
    const { email } = step.options;
    if (step.result !== "verified") {
      await sayBlocked(step.context, this.services);
      await audit(step.context, this.services, { type: "reset.blocked", outcome: "blocked", email, detail: "app" });
      countVerification(this.services, "app", "blocked");
      return step.endDialog(false);
    }
    await audit(step.context, this.services, { type: "reset.identity", outcome: "passed", email, detail: "app" });
    countVerification(this.services, "app", "passed");
    return step.endDialog(true);
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const { email } = prompt.options.validations as AppCodeOptions;
    const code = (await readCode(prompt)).code.replace(/[\s-]/g, "");
    const retry = (error: string): boolean => ((prompt.options.retryPrompt = codeCard(ASK_APP_CODE, error, false)), false);
    const outcome = (value: "verified" | "blocked"): boolean => (((prompt.recognized as { value: unknown }).value = value), true);
    if (!/^\d{6}$/.test(code)) return retry(NOT_AN_APP_CODE);
    if (!(await this.services.throttles.consume("codeChecked", email)).allowed) return outcome("blocked");
    const account = await this.services.directory.findByEmail(email);
    const secret = account ? this.services.directory.totpSecretOf(account) : undefined;
    const verified = await this.services.totp.verify(email, secret ?? STAND_IN_SECRET, code);
    if (verified && secret) return outcome("verified");
    await audit(prompt.context, this.services, { type: "reset.code", outcome: "failed", email, detail: "app" });
    countVerification(this.services, "app", "failed");
    if (!(await recordFailedProof(this.services, email))) return outcome("blocked");
    return retry(`${APP_CODE_WRONG} ${await triesLeftText(this.services, email)}`.trim());
  }
}
