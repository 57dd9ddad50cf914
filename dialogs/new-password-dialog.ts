import { MessageFactory } from "botbuilder";
import type { Activity } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { newPasswordCard, submittedCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import type { RuleOutcome } from "../src/policy";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardPromptOptions, CardSubmission } from "./prompts/card-submit-prompt";
import { BOTH_BOXES, DONT_TYPE_PASSWORDS, checkNewPassword, policyChecklist, readNewPassword, setNewPassword } from "./password-check";
import { audit, replaceSubmittedCard } from "./reset-services";
import type { ResetServices } from "./reset-services";

/** The messages about the password boxes, which the password change shares (see `password-check.ts`). */
export { BOTH_BOXES, DONT_TYPE_PASSWORDS, MISMATCH } from "./password-check";

/** Options for {@link NewPasswordDialog}. */
export interface NewPasswordOptions {
  email: string;
}

/** The result: when the new password expires, and whether every session was signed out. */
export interface NewPasswordResult {
  expiresAt: string;
  signedOutEverywhere: boolean;
}

/** Steps 9 and 14 of the guide: choose a new password, typed twice into masked inputs, checked against the policy. */
export class NewPasswordDialog extends HelpdeskDialog {
  protected readonly helpText = "You've proved it's you: now choose your new password. Type it into both boxes on the card (twice, so a typing mistake can't lock you out) and press **Finish**. The card lists the rules it must meet.";

  constructor(private readonly services: ResetServices) {
    super(DialogId.NewPassword);
    this.addDialog(new CardSubmitPrompt(PromptId.NewPassword, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.NewPassword, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.NewPassword;
  }

  private async askStep(step: WaterfallStepContext<NewPasswordOptions>): Promise<DialogTurnResult> {
    // The common-password data loads while the person types (the first check would otherwise wait for it).
    void this.services.policy.prepare?.().catch(() => undefined);
    const card = this.card([]);
    const options: CardPromptOptions & { validations: { email: string } } = { prompt: card, retryPrompt: card, inPlace: true, validations: { verbs: [Verb.SubmitNewPassword], email: step.options.email } };
    return step.prompt(PromptId.NewPassword, options);
  }

  private async doneStep(step: WaterfallStepContext<NewPasswordOptions>): Promise<DialogTurnResult> {
    return step.endDialog(step.result as NewPasswordResult);
  }

  private card(problems: string[], rules?: RuleOutcome[]): Partial<Activity> {
    return MessageFactory.attachment(newPasswordCard({ problems, rules: policyChecklist(this.services.policy, rules) }));
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as { retryPrompt?: Partial<Activity>; validations: { email: string } };
    const submission = prompt.recognized.value;
    if (!prompt.recognized.succeeded || !submission) {
      // Whatever was typed is neither kept nor logged: the warning goes back once, above a fresh card.
      options.retryPrompt = prompt.context.activity.text ? { ...this.card([]), text: DONT_TYPE_PASSWORDS } : this.card([]);
      return false;
    }
    // A refused password replaces the pressed card in place with the card again, its boxes empty (see `inPlace`);
    // an accepted one replaces it with a note, so the password never stays on screen either way.
    const reading = readNewPassword(submission);
    (prompt.recognized as { value: unknown }).value = undefined;
    if (!reading.ok) return this.refuse(options, [reading.problem]);

    const account = await this.services.directory.findByEmail(options.validations.email);
    if (!account) return this.refuse(options, [BOTH_BOXES]);
    const verdict = await checkNewPassword(this.services.policy, account, reading.password);
    if (!verdict.ok) {
      await audit(prompt.context, this.services, { type: "reset.password", outcome: "failed", email: account.email, detail: verdict.failedRules });
      return this.refuse(options, verdict.problems, verdict.rules);
    }
    const set = await setNewPassword(this.services, account.email, reading.password);
    if ("refused" in set) {
      await audit(prompt.context, this.services, { type: "reset.password", outcome: "failed", email: account.email, detail: set.detail });
      return this.refuse(options, [set.refused]);
    }
    await replaceSubmittedCard(prompt.context, [submittedCard({ title: "New password set", note: "For your security, the boxes have been cleared." })]);
    const result: NewPasswordResult = { expiresAt: set.account.passwordExpiresAt, signedOutEverywhere: set.signedOutEverywhere };
    (prompt.recognized as { value: unknown }).value = result;
    return true;
  }

  private refuse(options: { retryPrompt?: Partial<Activity> }, problems: string[], rules?: RuleOutcome[]): boolean {
    options.retryPrompt = this.card(problems, rules);
    return false;
  }
}
