import { MessageFactory } from "botbuilder";
import type { TurnContext } from "botbuilder";
import { TextPrompt, WaterfallDialog } from "botbuilder-dialogs";
import { DialogReason } from "botbuilder-dialogs";
import type { DialogContext, DialogInstance, DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { resetSuccessCard } from "../cards/render";
import { readNhsmailAddress } from "../src/directory/email";
import { HelpdeskDialog } from "./base-dialog";
import { ukDate } from "../src/uk-time";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CaptchaDialog } from "./captcha-dialog";
import { VerifyIdentityDialog } from "./verify-identity-dialog";
import { PhoneCodeDialog } from "./phone-code-dialog";
import { AppCodeDialog } from "./app-code-dialog";
import { NewPasswordDialog } from "./new-password-dialog";
import type { NewPasswordResult } from "./new-password-dialog";
import { audit, deliver, sayBlocked, TOO_MANY_RESETS_MESSAGE, userKey } from "./reset-services";
import type { ResetServices } from "./reset-services";
import { resetStepOf, wasBlocked } from "./reset-telemetry";
import type { ResetEnd, ResetStep } from "./reset-telemetry";

/** What the reset's instance keeps besides its inner dialogs: when it was last active, its step and how it ended. */
interface ResetInstanceState {
  lastActivityAt?: number;
  step?: ResetStep;
  ended?: ResetEnd;
}

/** The first question of a reset. */
export const ASK_EMAIL = "Let's get you back into your account. What's your **@nhs.net** email address?";
/** Said when the answer is not an email address at all. */
export const NOT_AN_ADDRESS = "That doesn't look like an email address. Please type your full address, like **jane.smith@nhs.net**.";
/** Said when the address is not an NHSmail one. */
export const NOT_NHSMAIL = "I can only reset **@nhs.net** accounts. Please type your NHSmail address, like **jane.smith@nhs.net**.";
/** Said when a reset session has been idle too long. */
export const SESSION_EXPIRED = "Your reset session timed out after a period without activity, so I've stopped it. Nothing was changed. Type **reset my password** to start again.";

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

interface ResetValues {
  email?: string;
}


/**
 * Self-service password reset, as the NHSmail guide describes it: address, captcha, verification (text, call or
 * authenticator app), new password, confirmation. An unknown address goes through the same steps with the same
 * words and never succeeds. The session ends after `sessionMinutes` without activity.
 */
export class ResetPasswordDialog extends HelpdeskDialog {
  protected readonly helpText = "I'm asking for your **@nhs.net** email address so I can find the account to reset. Type the whole address, like jane.smith@nhs.net.";

  constructor(private readonly services: ResetServices) {
    super(DialogId.ResetPassword);
    this.addDialog(new TextPrompt(PromptId.Email, nhsmailAddressValidator));
    this.addDialog(new CaptchaDialog(services));
    this.addDialog(new VerifyIdentityDialog(services.sender.channels.has("voice")));
    this.addDialog(new PhoneCodeDialog(services));
    this.addDialog(new AppCodeDialog(services));
    this.addDialog(new NewPasswordDialog(services));
    this.addDialog(
      new WaterfallDialog(WaterfallId.ResetPassword, [
        this.emailStep.bind(this),
        this.captchaStep.bind(this),
        this.verifyStep.bind(this),
        this.passwordStep.bind(this),
        this.successStep.bind(this),
      ]),
    );
    this.initialDialogId = WaterfallId.ResetPassword;
  }

  override async beginDialog(outerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    this.touch(outerDc.activeDialog);
    return this.noteStep(outerDc, await super.beginDialog(outerDc, options));
  }

  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    const instance = outerDc.activeDialog as DialogInstance<ResetInstanceState> | undefined;
    const last = instance?.state.lastActivityAt ?? 0;
    if (this.services.clock().getTime() - last > this.services.sessionMinutes * 60_000) {
      await outerDc.context.sendActivity(SESSION_EXPIRED);
      if (instance) instance.state.ended = "timed_out";
      return outerDc.endDialog({ expired: true });
    }
    this.touch(instance);
    return this.noteStep(outerDc, await super.continueDialog(outerDc));
  }

  /** Remembers the step the reset waits at (for the metrics of a reset that ends early). */
  private noteStep(outerDc: DialogContext, result: DialogTurnResult): DialogTurnResult {
    const instance = outerDc.activeDialog as DialogInstance<ResetInstanceState> | undefined;
    if (instance?.id === this.id) instance.state.step = resetStepOf(this.createChildContext(outerDc));
    return result;
  }

  /** Counts how the reset ended: completed, or early with the reason and the step it was at. */
  protected override async onEndDialog(context: TurnContext, instance: DialogInstance<ResetInstanceState>, reason: DialogReason): Promise<void> {
    const telemetry = this.services.telemetry;
    const ended = reason === DialogReason.cancelCalled ? "cancelled" : (instance.state.ended ?? (wasBlocked(context) ? "blocked" : "failed_verification"));
    if (ended !== "completed") telemetry?.count("helpdesk_resets_ended", { reason: ended, step: instance.state.step ?? "address" });
    await super.onEndDialog(context, instance, reason);
  }

  private markCompleted(step: WaterfallStepContext): void {
    // The waterfall runs inside this component: its parent context holds the reset's own instance.
    const instance = step.parent?.activeDialog as DialogInstance<ResetInstanceState> | undefined;
    if (instance?.id === this.id) instance.state.ended = "completed";
  }

  private touch(instance: DialogInstance | undefined): void {
    if (instance) (instance.state as { lastActivityAt?: number }).lastActivityAt = this.services.clock().getTime();
  }

  private async emailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.prompt(PromptId.Email, { prompt: ASK_EMAIL });
  }

  private async captchaStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = String(step.result);
    (step.values as ResetValues).email = email;
    if (!(await this.services.throttles.consume("userAttempts", userKey(step.context, this.services))).allowed) return this.blocked(step, "too-many-journeys");
    await audit(step.context, this.services, { type: "reset.started", outcome: "info", email });
    this.services.telemetry?.count("helpdesk_resets_started");
    return this.services.captcha ? step.beginDialog(DialogId.Captcha) : step.next(true);
  }

  private async verifyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = (step.values as ResetValues).email ?? "";
    if (step.result !== true) return step.endDialog();
    await audit(step.context, this.services, { type: "reset.captcha", outcome: "passed", email });
    if (!(await this.services.throttles.check("identityFailed", email)).allowed) return this.blocked(step, "identity-failures");
    return step.beginDialog(DialogId.VerifyIdentity, { email });
  }

  private async passwordStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== true) return step.endDialog();
    // Checked once the person has proved who they are, so the answer tells nobody else anything about the account.
    if (!(await this.services.throttles.check("resetCompleted", (step.values as ResetValues).email ?? "")).allowed) {
      return this.blocked(step, "too-many-resets", TOO_MANY_RESETS_MESSAGE);
    }
    return step.beginDialog(DialogId.NewPassword, { email: (step.values as ResetValues).email });
  }

  private async successStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = (step.values as ResetValues).email ?? "";
    const { expiresAt, signedOutEverywhere } = step.result as NewPasswordResult;
    await this.services.throttles.reset(email);
    await this.services.throttles.consume("resetCompleted", email);
    const notified = await this.notify(step.context, email);
    await step.context.sendActivity({ attachments: [resetSuccessCard({ expires: ukDate(expiresAt), notified, signedOutEverywhere })] });
    await audit(step.context, this.services, { type: "reset.completed", outcome: "passed", email });
    this.services.telemetry?.count("helpdesk_resets_completed");
    this.markCompleted(step);
    return step.endDialog();
  }

  /** Tells the account's registered contacts that the password changed (never including it). */
  private async notify(context: TurnContext, email: string): Promise<string> {
    const account = await this.services.directory.findByEmail(email);
    const text = "Your NHSmail password was just changed using the helpdesk bot in Microsoft Teams. If this wasn't you, contact the helpdesk straight away.";
    await deliver(context, this.services, { channel: "email", to: email, subject: "Your NHSmail password was changed", text });
    if (account?.mobile) await deliver(context, this.services, { channel: "sms", to: account.mobile, text });
    return account?.mobile ? "email and a text to your mobile" : "email";
  }

  private async blocked(step: WaterfallStepContext, reason: string, text?: string): Promise<DialogTurnResult> {
    await sayBlocked(step.context, this.services, text);
    await audit(step.context, this.services, { type: "reset.blocked", outcome: "blocked", email: (step.values as ResetValues).email, detail: reason });
    return step.endDialog();
  }
}
