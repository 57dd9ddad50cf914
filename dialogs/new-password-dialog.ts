import { MessageFactory } from "botbuilder";
import type { Activity } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { newPasswordCard, submittedCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import type { RuleOutcome } from "../src/policy";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CardSubmitPrompt, cardText } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { audit, replaceSubmittedCard } from "./reset-services";
import type { ResetServices } from "./reset-services";

/** Options for {@link NewPasswordDialog}. */
export interface NewPasswordOptions {
  email: string;
}

/** The result: when the new password expires. */
export interface NewPasswordResult {
  expiresAt: string;
}

/** Said when a password is typed as a chat message. */
export const DONT_TYPE_PASSWORDS =
  "Please don't type a password in the chat: messages stay in the chat history. Use the masked boxes on the card. " +
  "If what you typed was the password you meant to use, choose a different one.";
/** Said when the boxes are empty or unreadable. */
export const BOTH_BOXES = "Type your new password in both boxes.";
/** Said when the two boxes differ. */
export const MISMATCH = "The two passwords don't match. Type the same password in both boxes.";
const MAX_INPUT = 1024;

/** Steps 9 and 14 of the guide: choose a new password, typed twice into masked inputs, checked against the policy. */
export class NewPasswordDialog extends HelpdeskDialog {
  protected readonly helpText = "Type a new password into both boxes on the card and press Finish. The card lists the rules it must meet.";

  constructor(private readonly services: ResetServices) {
    super(DialogId.NewPassword);
    this.addDialog(new CardSubmitPrompt(PromptId.NewPassword, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.NewPassword, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.NewPassword;
  }

  private async askStep(step: WaterfallStepContext<NewPasswordOptions>): Promise<DialogTurnResult> {
    const card = this.card([]);
    return step.prompt(PromptId.NewPassword, { prompt: card, retryPrompt: card, validations: { verbs: [Verb.SubmitNewPassword], email: step.options.email } });
  }

  private async doneStep(step: WaterfallStepContext<NewPasswordOptions>): Promise<DialogTurnResult> {
    return step.endDialog(step.result as NewPasswordResult);
  }

  private card(problems: string[], rules?: RuleOutcome[]): Partial<Activity> {
    const marks = { pass: "✓", fail: "✗", "not-checked": "•" } as const;
    const checklist = rules
      ? rules.map((r) => ({ mark: marks[r.status], text: r.description }))
      : this.services.policy.describe().map((r) => ({ mark: "•", text: r.description }));
    return MessageFactory.attachment(newPasswordCard({ problems, rules: checklist }));
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as { retryPrompt?: Partial<Activity>; validations: { email: string } };
    const submission = prompt.recognized.value;
    if (!prompt.recognized.succeeded || !submission) {
      // Whatever was typed is neither kept nor logged: only this warning goes back.
      options.retryPrompt = prompt.context.activity.text ? { ...this.card([DONT_TYPE_PASSWORDS]), text: DONT_TYPE_PASSWORDS } : this.card([]);
      return false;
    }
    await replaceSubmittedCard(prompt.context, [submittedCard({ title: "New password submitted", note: "For your security, the boxes have been cleared." })]);
    const password = cardText(submission, "newPassword", MAX_INPUT);
    const confirm = cardText(submission, "confirmPassword", MAX_INPUT);
    (prompt.recognized as { value: unknown }).value = undefined;
    if (!password || !confirm) return this.refuse(options, [BOTH_BOXES]);
    if (password !== confirm) return this.refuse(options, [MISMATCH]);

    const account = await this.services.directory.findByEmail(options.validations.email);
    if (!account) return this.refuse(options, [BOTH_BOXES]);
    const context = { email: account.email, firstName: account.firstName, lastName: account.lastName, organisation: account.organisation };
    const verdict = await this.services.policy.check({ password, context, currentHash: account.passwordHash, previousHashes: account.previousPasswordHashes });
    if (!verdict.ok) {
      await audit(prompt.context, this.services, { type: "reset.password", outcome: "failed", email: account.email, detail: verdict.failures.map((f) => f.rule).join(",") });
      return this.refuse(options, verdict.failures.map((f) => f.message), verdict.rules);
    }
    const updated = await this.services.directory.setPassword(account.email, await this.services.hasher.hash(password), this.services.clock());
    const result: NewPasswordResult = { expiresAt: updated.passwordExpiresAt };
    (prompt.recognized as { value: unknown }).value = result;
    return true;
  }

  private refuse(options: { retryPrompt?: Partial<Activity> }, problems: string[], rules?: RuleOutcome[]): boolean {
    options.retryPrompt = this.card(problems, rules);
    return false;
  }
}
