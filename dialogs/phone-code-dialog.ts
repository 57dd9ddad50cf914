import { MessageFactory } from "botbuilder";
import type { TurnContext } from "botbuilder";
import { TextPrompt, WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardPromptOptions, CardSubmission } from "./prompts/card-submit-prompt";
import { CODE_VERBS, codeCard, readCode } from "./prompts/code-entry";
import { normaliseUkMobile, phoneMatches } from "../src/verification/phone";
import { HelpdeskDialog } from "./base-dialog";
import { isOneOf } from "../src/intents";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { audit, countVerification, deliver, recordFailedProof, sayBlocked, triesLeftText } from "./reset-services";
import type { ResetServices } from "./reset-services";

/** Options for {@link PhoneCodeDialog}. */
export interface PhoneCodeOptions {
  email: string;
  channel: "sms" | "voice";
}

/** Said when the typed text is not a UK mobile number. */
export const NOT_A_MOBILE = "That doesn't look like a UK mobile number. Type the whole number starting with +44, +440 or 0, like 07700 900118.";
/** Said when the code is not 6 digits. */
export const NOT_A_CODE = "The code is 6 digits, like 123456. Type it here, or type **try again** for a new one.";
/** Said when the code is wrong. */
export const WRONG_CODE = "That code isn't right. Check the message and type it again, or type **try again** for a new code.";
/** Said when the code has expired. */
export const EXPIRED_CODE = "That code has expired: codes last 5 minutes. Type **try again** and I'll send a new one.";

const TRY_AGAIN: ReadonlySet<string> = new Set(["try again", "resend", "send again", "send it again", "new code", "another code"]);
type Outcome = "verified" | "blocked";
type CodePromptOptions = CardPromptOptions & { matched: boolean; hint: string; subject: string; validations: PhoneCodeOptions & { verbs: readonly string[] } };

/** The card's message after a wrong or expired code: where the code went, without claiming a new one was sent. */
export function codeAskMessage(channel: "sms" | "voice", hint: string): string {
  const where = channel === "sms" ? `the text I sent to ${hint}` : `the call to ${hint}`;
  return `Type the 6-digit code from ${where}, or type **try again** for a new one.`;
}

/** The wording after a number is typed: identical whether or not it matched, so it reveals nothing. */
export function codeSentMessage(channel: "sms" | "voice", hint: string, again = false): string {
  const what = channel === "sms" ? `a text with a 6-digit code is on its way to ${hint}` : `I'm calling ${hint} now: answer to hear your 6-digit code`;
  return `${again ? "Done: " : ""}If that's the number registered to your account, ${what}. It can take up to 20 seconds. ` +
    "Type the code here, or type **try again** if it doesn't arrive.";
}

/**
 * Steps 5–8 of the guide for a text or a call: type the complete mobile number (the hint shows its last two
 * digits), get a code on it, type the code; "try again" sends a new one. Ends with `true` when verified.
 */
export class PhoneCodeDialog extends HelpdeskDialog {
  protected readonly helpText = "To check it's you, I need your complete mobile number (the one registered to your account), then the 6-digit code I send to it. Type **try again** if the code doesn't arrive.";

  constructor(private readonly services: ResetServices) {
    super(DialogId.PhoneCode);
    this.addDialog(new TextPrompt(PromptId.MobileNumber, (p) => this.validateNumber(p)));
    this.addDialog(new CardSubmitPrompt(PromptId.PhoneCode, (p) => this.validateCode(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.PhoneCode, [this.numberStep.bind(this), this.sendStep.bind(this), this.codeStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.PhoneCode;
  }

  private async numberStep(step: WaterfallStepContext<PhoneCodeOptions>): Promise<DialogTurnResult> {
    const account = await this.services.directory.findByEmail(step.options.email);
    const hint = this.services.mobileHint(step.options.email, account);
    const verb = step.options.channel === "sms" ? "text" : "call";
    const prompt = `To protect your account, type your complete mobile number (${hint}). I'll then ${verb} it with a verification code.`;
    return step.prompt(PromptId.MobileNumber, { prompt, validations: { hint } });
  }

  private async sendStep(step: WaterfallStepContext<PhoneCodeOptions>): Promise<DialogTurnResult> {
    const { email, channel } = step.options;
    const account = await this.services.directory.findByEmail(email);
    const hint = this.services.mobileHint(email, account);
    const matched = Boolean(account?.mobile && phoneMatches(String(step.result), account.mobile));
    (step.values as { matched?: boolean }).matched = matched;
    if (!(await this.sendCode(step.context, email, channel, matched ? account?.mobile : undefined, this.subject(step)))) return this.blocked(step);
    if (!matched && !(await recordFailedProof(this.services, email))) return this.blocked(step);
    await audit(step.context, this.services, { type: "reset.mobile", outcome: matched ? "passed" : "failed", email, detail: channel });
    countVerification(this.services, "number", matched ? "passed" : "failed");
    return step.next(hint);
  }

  private async codeStep(step: WaterfallStepContext<PhoneCodeOptions>): Promise<DialogTurnResult> {
    const options: CodePromptOptions = {
      prompt: codeCard(codeSentMessage(step.options.channel, String(step.result)), "", true),
      matched: Boolean((step.values as { matched?: boolean }).matched),
      hint: String(step.result),
      subject: this.subject(step),
      inPlace: true,
      validations: { ...step.options, verbs: CODE_VERBS },
    };
    return step.prompt(PromptId.PhoneCode, options);
  }

  private async doneStep(step: WaterfallStepContext<PhoneCodeOptions>): Promise<DialogTurnResult> {
    if ((step.result as Outcome) === "blocked") return this.blocked(step);
    await audit(step.context, this.services, { type: "reset.identity", outcome: "passed", email: step.options.email, detail: step.options.channel });
    countVerification(this.services, step.options.channel, "passed");
    return step.endDialog(true);
  }

  private async blocked(step: WaterfallStepContext<PhoneCodeOptions>): Promise<DialogTurnResult> {
    await sayBlocked(step.context, this.services);
    await audit(step.context, this.services, { type: "reset.blocked", outcome: "blocked", email: step.options.email, detail: step.options.channel });
    countVerification(this.services, step.options.channel, "blocked");
    return step.endDialog(false);
  }

  /**
   * Issues a code and sends it to `to`, the registered number when the typed one matched; counts the send either
   * way. A code is issued (and never sent) when there is no match too, so the steps cost the same for every
   * address. False when throttled.
   */
  private async sendCode(context: TurnContext, email: string, channel: "sms" | "voice", to: string | undefined, subject: string): Promise<boolean> {
    if (!(await this.services.throttles.consume(channel === "sms" ? "codeSent" : "callMade", email)).allowed) return false;
    const code = await this.services.codes.issue(subject);
    if (to) {
      const spoken = code.split("").join(" ");
      const text =
        channel === "sms"
          ? `Your NHSmail verification code is ${code}. It expires in 5 minutes. Never share it.`
          : `This is NHSmail. Your verification code is ${spoken}. Again: ${spoken}.`;
      await deliver(context, this.services, { channel, to, text });
    }
    return true;
  }

  /** Codes are bound to this conversation's reset, so another session's code never works here. */
  private subject(step: WaterfallStepContext<PhoneCodeOptions>): string {
    return `reset|${step.options.email}|${step.context.activity.conversation.id}`;
  }

  private validateNumber(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const typed = prompt.recognized.value ?? "";
    const hint = (prompt.options.validations as { hint: string }).hint;
    const e164 = normaliseUkMobile(typed);
    if (!e164) {
      prompt.options.retryPrompt = MessageFactory.text(NOT_A_MOBILE);
      return Promise.resolve(false);
    }
    if (!hint.endsWith(e164.slice(-2))) {
      prompt.options.retryPrompt = MessageFactory.text(`That number doesn't match the one registered to your account (${hint}). Please check it and type it again.`);
      return Promise.resolve(false);
    }
    prompt.recognized.value = e164;
    return Promise.resolve(true);
  }

  private async validateCode(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as CodePromptOptions;
    const { email, channel } = options.validations;
    const { code: typed, resend } = await readCode(prompt);
    const outcome = (value: Outcome): boolean => (((prompt.recognized as { value: unknown }).value = value), true);
    const retry = (error: string, message = codeSentMessage(channel, options.hint)): boolean => ((options.retryPrompt = codeCard(message, error, true)), false);

    if (resend || isOneOf(typed, TRY_AGAIN)) {
      const account = await this.services.directory.findByEmail(email);
      if (!(await this.sendCode(prompt.context, email, channel, options.matched ? account?.mobile : undefined, options.subject))) return outcome("blocked");
      return retry("", codeSentMessage(channel, options.hint, true));
    }
    const code = typed.replace(/[\s-]/g, "");
    if (!/^\d{6,8}$/.test(code)) return retry(NOT_A_CODE);
    if (!(await this.services.throttles.consume("codeChecked", email)).allowed) return outcome("blocked");
    const result = await this.services.codes.verify(options.subject, code);
    if (result === "ok") return outcome("verified");
    await audit(prompt.context, this.services, { type: "reset.code", outcome: "failed", email, detail: result === "expired" ? "expired" : "wrong-code" });
    countVerification(this.services, channel, "failed");
    if (!(await recordFailedProof(this.services, email))) return outcome("blocked");
    const left = await triesLeftText(this.services, email, options.matched ? 0 : 1);
    return retry(`${result === "expired" ? EXPIRED_CODE : WRONG_CODE} ${left}`.trim(), codeAskMessage(channel, options.hint));
  }
}
