import { MessageFactory } from "botbuilder";
import type { Activity, TurnContext } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { changePasswordCard, submittedCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import { ukDateTime } from "../src/uk-time";
import type { RuleOutcome } from "../src/policy";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import type { ChangePasswordOptions, ChangePasswordResult, FirstLoginServices } from "./first-login-services";
import { DONT_TYPE_PASSWORDS, MAX_PASSWORD_INPUT, checkNewPassword, policyChecklist, readNewPassword } from "./password-check";
import { CardSubmitPrompt, cardText } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { audit, recordFailedProof, replaceSubmittedCard, sayBlocked } from "./reset-services";

/** Said when the current-password box is empty or unreadable. */
export const OLD_MISSING = "Type your current password in the first box.";
/** Said when the current password is wrong. */
export const OLD_WRONG = "Your current password isn't right. Check it and try again: capital and small letters count.";

/** What the card says for each reason. */
const CARD_TEXT: Record<ChangePasswordOptions["reason"], { title: string; intro: string }> = {
  temporary: {
    title: "Change your temporary password",
    intro: "Type the temporary password your local administrator gave you, then choose a new password that only you know. Once it's changed, the temporary password stops working.",
  },
  expiring: {
    title: "Change your password",
    intro: "Type your current password, then choose a new one. Once it's changed, the old password stops working.",
  },
};

/** What to say once the password is changed: what stopped working, until when the new one lasts, and what next. */
export function passwordChangedMessage(reason: ChangePasswordOptions["reason"], expiresAt: string): string {
  const until = ukDateTime(new Date(expiresAt));
  return reason === "temporary"
    ? `Your password has been changed, and your temporary password no longer works. Sign in at **portal.nhs.net** with your new password. It lasts until ${until}.`
    : `Your password has been changed. It lasts until ${until}. Sign in again with your new password, and update it on every device where you use NHSmail: mail apps on your phone, Teams, Outlook and so on.`;
}

interface ChangePromptOptions {
  retryPrompt?: Partial<Activity>;
  validations: { email: string; reason: ChangePasswordOptions["reason"] };
}

/**
 * Step 2 of the guide (and the change before a password expires): the current password, then the new one typed
 * twice, checked against the whole policy. A wrong current password counts against the account like a failed proof
 * of identity. Setting the password clears the temporary flag, so a temporary password stops working.
 */
export class ChangePasswordDialog extends HelpdeskDialog {
  protected readonly helpText =
    "Type your current password in the first box, then your new password in the other two, and press Change password. The card lists the rules the new one must meet.";

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.ChangePassword);
    this.addDialog(new CardSubmitPrompt(PromptId.ChangePassword, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.ChangePassword, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.ChangePassword;
  }

  private async askStep(step: WaterfallStepContext<ChangePasswordOptions>): Promise<DialogTurnResult> {
    const { email, reason } = step.options;
    if (!(await this.services.throttles.check("identityFailed", email)).allowed) {
      await sayBlocked(step.context, this.services);
      return step.endDialog({ changed: false } satisfies ChangePasswordResult);
    }
    const card = this.card(reason, []);
    return step.prompt(PromptId.ChangePassword, { prompt: card, retryPrompt: card, validations: { verbs: [Verb.SubmitPasswordChange], email, reason } });
  }

  private async doneStep(step: WaterfallStepContext<ChangePasswordOptions>): Promise<DialogTurnResult> {
    const result = step.result as ChangePasswordResult;
    if (result.changed && result.expiresAt) await step.context.sendActivity(passwordChangedMessage(step.options.reason, result.expiresAt));
    return step.endDialog(result);
  }

  private card(reason: ChangePasswordOptions["reason"], problems: string[], rules?: RuleOutcome[]): Partial<Activity> {
    return MessageFactory.attachment(changePasswordCard({ ...CARD_TEXT[reason], problems, rules: policyChecklist(this.services.policy, rules) }));
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as ChangePromptOptions;
    const { reason } = options.validations;
    const submission = prompt.recognized.value;
    if (!prompt.recognized.succeeded || !submission) {
      // Whatever was typed is neither kept nor logged: only this warning goes back.
      options.retryPrompt = prompt.context.activity.text ? { ...this.card(reason, []), text: DONT_TYPE_PASSWORDS } : this.card(reason, []);
      return false;
    }
    await replaceSubmittedCard(prompt.context, [submittedCard({ title: "Password change submitted", note: "For your security, the boxes have been cleared." })]);
    (prompt.recognized as { value: unknown }).value = undefined;
    const outcome = await this.change(prompt.context, submission, options.validations);
    if ("problems" in outcome) {
      options.retryPrompt = this.card(reason, outcome.problems, outcome.rules);
      return false;
    }
    (prompt.recognized as { value: unknown }).value = outcome;
    return true;
  }

  /** Checks the three boxes and changes the password; returns the result, or what to show on the card again. */
  private async change(context: TurnContext, submission: CardSubmission, { email, reason }: ChangePromptOptions["validations"]): Promise<ChangePasswordResult | { problems: string[]; rules?: RuleOutcome[] }> {
    const old = cardText(submission, "oldPassword", MAX_PASSWORD_INPUT);
    const reading = readNewPassword(submission);
    const boxes = [...(old ? [] : [OLD_MISSING]), ...(reading.ok ? [] : [reading.problem])];
    if (!old || !reading.ok) return { problems: boxes };

    const blocked = async (): Promise<ChangePasswordResult> => {
      await sayBlocked(context, this.services);
      await audit(context, this.services, { type: "password.change", outcome: "blocked", email });
      return { changed: false };
    };
    if (!(await this.services.throttles.check("identityFailed", email)).allowed) return blocked();
    const account = await this.services.directory.findByEmail(email);
    if (!account || !(await this.services.hasher.verify(old, account.passwordHash))) {
      await audit(context, this.services, { type: "password.change", outcome: "failed", email, detail: "wrong-password" });
      return (await recordFailedProof(this.services, email)) ? { problems: [OLD_WRONG] } : blocked();
    }

    const verdict = await checkNewPassword(this.services.policy, account, reading.password);
    if (!verdict.ok) {
      await audit(context, this.services, { type: "password.change", outcome: "failed", email, detail: verdict.failedRules });
      return { problems: verdict.problems, rules: verdict.rules };
    }
    const updated = await this.services.directory.setPassword(email, await this.services.hasher.hash(reading.password), this.services.clock());
    await audit(context, this.services, { type: "password.change", outcome: "passed", email, detail: reason });
    return { changed: true, expiresAt: updated.passwordExpiresAt };
  }
}
