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
import type { ChangePasswordOptions, ChangePasswordResult, FirstLoginServices, SignedInFlag } from "./first-login-services";
import { DONT_TYPE_PASSWORDS, MAX_PASSWORD_INPUT, checkNewPassword, policyChecklist, readNewPassword, setNewPassword } from "./password-check";
import { CardSubmitPrompt, cardText } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { audit, countTask, recordFailedProof, replaceSubmittedCard, sayBlocked } from "./reset-services";

/** Said when the current-password box is empty or unreadable. */
export const OLD_MISSING = "Type your current password in the first box.";
/** Said when the current password is wrong. */
export const OLD_WRONG = "Your current password isn't right. Check it and try again: capital and small letters count.";
/** Said when the password changed (somewhere else) after the person signed in: the sign-in no longer proves it. */
export const CHANGED_SINCE_SIGN_IN = "Your password has been changed since you signed in here. Type your current password in the first box.";

/** What the card says for each reason, when it asks for the current password. */
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

/** What the card says for each reason when the person signed in with the password in this journey (it isn't asked again). */
const SIGNED_IN_INTRO: Record<ChangePasswordOptions["reason"], string> = {
  temporary:
    "Choose a new password that only you know. You've already signed in with your temporary password here, so there's no need to type it again. Once it's changed, the temporary password stops working.",
  expiring: "Choose a new password. You've already signed in with your current password here, so there's no need to type it again. Once it's changed, the old password stops working.",
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
  validations: { email: string; reason: ChangePasswordOptions["reason"]; signedIn?: SignedInFlag };
}

/**
 * Step 2 of the guide (and the change before a password expires): the current password, then the new one typed
 * twice, checked against the whole policy. A wrong current password counts against the account like a failed proof
 * of identity. When the person signed in with the password earlier in the same journey, that sign-in is the proof
 * and only the new password is asked for. Setting the password clears the temporary flag, so a temporary password
 * stops working.
 */
export class ChangePasswordDialog extends HelpdeskDialog {
  protected readonly helpText =
    "Type your new password in both boxes (and your current password first, if the card asks for it), then press Change password. The card lists the rules the new one must meet.";

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.ChangePassword);
    this.addDialog(new CardSubmitPrompt(PromptId.ChangePassword, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.ChangePassword, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.ChangePassword;
  }

  private async askStep(step: WaterfallStepContext<ChangePasswordOptions>): Promise<DialogTurnResult> {
    const { email, reason, signedIn } = step.options;
    if (!(await this.services.throttles.check("identityFailed", email)).allowed) {
      await sayBlocked(step.context, this.services);
      return step.endDialog({ changed: false } satisfies ChangePasswordResult);
    }
    const card = this.card({ reason, signedIn }, []);
    // The common-password data loads while the person types (the first check would otherwise wait for it).
    void this.services.policy.prepare?.().catch(() => undefined);
    return step.prompt(PromptId.ChangePassword, { prompt: card, retryPrompt: card, validations: { verbs: [Verb.SubmitPasswordChange], email, reason, signedIn } });
  }

  private async doneStep(step: WaterfallStepContext<ChangePasswordOptions>): Promise<DialogTurnResult> {
    const result = step.result as ChangePasswordResult;
    if (result.changed && result.expiresAt) await step.context.sendActivity(passwordChangedMessage(step.options.reason, result.expiresAt));
    return step.endDialog(result);
  }

  /** The card: without the current-password box when the person signed in with it in this journey. */
  private card({ reason, signedIn }: Pick<ChangePasswordOptions, "reason" | "signedIn">, problems: string[], rules?: RuleOutcome[]): Partial<Activity> {
    const text = signedIn ? { title: CARD_TEXT[reason].title, intro: SIGNED_IN_INTRO[reason] } : CARD_TEXT[reason];
    return MessageFactory.attachment(changePasswordCard({ ...text, askCurrent: !signedIn, problems, rules: policyChecklist(this.services.policy, rules) }));
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as ChangePromptOptions;
    const submission = prompt.recognized.value;
    if (!prompt.recognized.succeeded || !submission) {
      // Whatever was typed is neither kept nor logged: only this warning goes back.
      const card = this.card(options.validations, []);
      options.retryPrompt = prompt.context.activity.text ? { ...card, text: DONT_TYPE_PASSWORDS } : card;
      return false;
    }
    await replaceSubmittedCard(prompt.context, [submittedCard({ title: "Password change submitted", note: "For your security, the boxes have been cleared." })]);
    (prompt.recognized as { value: unknown }).value = undefined;
    const outcome = await this.change(prompt.context, submission, options.validations);
    if ("problems" in outcome) {
      // Read after the change: a sign-in that no longer counts brings the current-password box back.
      options.retryPrompt = this.card(options.validations, outcome.problems, outcome.rules);
      return false;
    }
    (prompt.recognized as { value: unknown }).value = outcome;
    return true;
  }

  /**
   * Checks the boxes and changes the password; returns the result, or what to show on the card again. The current
   * password is read only when the card asked for it: after a sign-in in this journey, a current-password value in
   * the submission is ignored, and the sign-in counts only while the password is still the one signed in with.
   */
  private async change(context: TurnContext, submission: CardSubmission, validations: ChangePromptOptions["validations"]): Promise<ChangePasswordResult | { problems: string[]; rules?: RuleOutcome[] }> {
    const { email, reason, signedIn } = validations;
    const old = signedIn ? undefined : cardText(submission, "oldPassword", MAX_PASSWORD_INPUT);
    const reading = readNewPassword(submission);
    const oldMissing = !signedIn && !old;
    const boxes = [...(oldMissing ? [OLD_MISSING] : []), ...(reading.ok ? [] : [reading.problem])];
    if (oldMissing || !reading.ok) return { problems: boxes };

    const blocked = async (): Promise<ChangePasswordResult> => {
      await sayBlocked(context, this.services);
      await audit(context, this.services, { type: "password.change", outcome: "blocked", email });
      return { changed: false };
    };
    if (!(await this.services.throttles.check("identityFailed", email)).allowed) return blocked();
    const account = await this.services.directory.findByEmail(email);
    const proved = account && (signedIn ? signedIn.passwordChangedAt === account.passwordChangedAt : await this.services.hasher.verify(old ?? "", account.passwordHash));
    if (!account || !proved) {
      if (signedIn) {
        // The password changed after the sign-in: the current one must be typed after all (the card shows its box).
        delete validations.signedIn;
        await audit(context, this.services, { type: "password.change", outcome: "failed", email, detail: "changed-since-sign-in" });
        return { problems: [CHANGED_SINCE_SIGN_IN] };
      }
      await audit(context, this.services, { type: "password.change", outcome: "failed", email, detail: "wrong-password" });
      return (await recordFailedProof(this.services, email)) ? { problems: [OLD_WRONG] } : blocked();
    }

    const verdict = await checkNewPassword(this.services.policy, account, reading.password);
    if (!verdict.ok) {
      await audit(context, this.services, { type: "password.change", outcome: "failed", email, detail: verdict.failedRules });
      return { problems: verdict.problems, rules: verdict.rules };
    }
    const set = await setNewPassword(this.services, email, reading.password);
    if ("refused" in set) {
      await audit(context, this.services, { type: "password.change", outcome: "failed", email, detail: set.detail });
      return { problems: [set.refused] };
    }
    await audit(context, this.services, { type: "password.change", outcome: "passed", email, detail: reason });
    if (reason === "temporary") countTask(this.services, "password");
    return { changed: true, expiresAt: set.account.passwordExpiresAt };
  }
}
