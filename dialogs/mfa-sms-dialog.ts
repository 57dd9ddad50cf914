import { ActionTypes, MessageFactory } from "botbuilder";
import type { TurnContext } from "botbuilder";
import { TextPrompt, WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { maskedHint, normaliseUkMobile } from "../src/verification/phone";
import { HelpdeskDialog } from "./base-dialog";
import { isOneOf } from "../src/intents";
import type { FirstLoginServices, TaskOptions, TaskResult } from "./first-login-services";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { CODE_VERBS, codeCard, readCode } from "./prompts/code-entry";
import { audit, countTask, deliver, sayBlocked } from "./reset-services";

/** What the "use my registered mobile" button sends. */
export const USE_REGISTERED = "Use my registered mobile";
/** What the "use another number" button sends. */
export const USE_ANOTHER = "Use another number";
/** Asked when the account has no mobile, or the person wants another one. */
export const ASK_MOBILE = "Type the UK mobile number you'd like your codes texted to, like 07700 900118.";
/** Said when the text is not a UK mobile number. */
export const NOT_A_UK_MOBILE = "That doesn't look like a UK mobile number. Type the whole number starting with 07, +44 or +440, like 07700 900118.";
/** Said for a landline: it cannot receive texts. */
export const LANDLINE = "That looks like a landline, which can't receive texts. Please type a UK mobile number instead, like 07700 900118.";
/** Said when the code is not 6 digits. */
export const NOT_AN_SMS_CODE = "The code is the 6 digits in the text, like 123456.";
/** Said when the code is wrong. */
export const SMS_CODE_WRONG = "That code isn't right. Check the text and type the code again, or press **Send a new code**.";
/** Said when the code has expired. */
export const SMS_CODE_EXPIRED = "That code has expired: codes last 5 minutes. Press **Send a new code** (or type **try again**) and I'll text you a new one.";
/** Said when the account cannot be read. */
export const SMS_ACCOUNT_UNAVAILABLE = "Sorry, I can't find your account just now, so I can't set up text messages. Please try again later.";

const TRY_AGAIN: ReadonlySet<string> = new Set(["try again", "resend", "send again", "send it again", "new code", "another code", "send a new code"]);
const CHOOSE_REGISTERED = /\b(registered|yes|yeah|yep|same)\b|\*{5}\d{2}/i;
const CHOOSE_ANOTHER = /\b(another|different|other|new)\b/i;

/** The text with the code. */
export function smsCodeText(code: string): string {
  return `Your NHSmail code to set up MFA is ${code}. It expires in 5 minutes. Never share it with anyone.`;
}

/** The code card's message: where the code went. */
export function smsSentMessage(hint: string, again = false): string {
  return `${again ? "Done: a new" : "A"} text with a 6-digit code is on its way to ${hint}. It can take up to 20 seconds. ` +
    "Type the code in the box, or press **Send a new code** if it doesn't arrive.";
}

/** True for a UK landline (01, 02 or 03 numbers) in any usual form. */
export function looksLikeLandline(text: string): boolean {
  return /^(?:\+440?|0044|0)[123]\d{8,9}$/.test(text.replace(/[\s\-().]/g, ""));
}

interface MobileValidations {
  /** The registered mobile (E.164), when there is one. */
  registered?: string;
  hint?: string;
}

interface CodeValidations {
  email: string;
  to: string;
  hint: string;
  subject: string;
  verbs: readonly string[];
}

type Outcome = "verified" | "blocked";

/**
 * MFA by text message: the registered mobile (offered by its masked hint) or another UK mobile, a code texted to
 * it, and that code typed back. Ends `{ done: true }` when the mobile is enrolled.
 */
export class MfaSmsDialog extends HelpdeskDialog {
  protected readonly helpText = "Choose the mobile to text your codes to, then type the 6-digit code I send to it. Type **try again** for a new code.";

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.MfaSms);
    this.addDialog(new TextPrompt(PromptId.MfaMobile, mobileValidator));
    this.addDialog(new CardSubmitPrompt(PromptId.MfaCode, (p) => this.validateCode(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.MfaSms, [this.mobileStep.bind(this), this.sendStep.bind(this), this.codeStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.MfaSms;
  }

  private async mobileStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const account = await this.services.directory.findByEmail(step.options.email);
    if (!account) {
      await step.context.sendActivity(SMS_ACCOUNT_UNAVAILABLE);
      return step.endDialog({ done: false } satisfies TaskResult);
    }
    const registered = account.mobile ? (normaliseUkMobile(account.mobile) ?? undefined) : undefined;
    if (!registered) return step.prompt(PromptId.MfaMobile, { prompt: MessageFactory.text(ASK_MOBILE), validations: {} satisfies MobileValidations });
    const hint = maskedHint(registered);
    const prompt = MessageFactory.suggestedActions(
      [
        { type: ActionTypes.ImBack, title: `Use ${hint}`, value: USE_REGISTERED },
        { type: ActionTypes.ImBack, title: USE_ANOTHER, value: USE_ANOTHER },
      ],
      `Which mobile should I text your codes to? Your account has ${hint} registered, or you can use another UK mobile.`,
    );
    return step.prompt(PromptId.MfaMobile, { prompt, validations: { registered, hint } satisfies MobileValidations });
  }

  private async sendStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const to = String(step.result);
    (step.values as { to?: string }).to = to;
    if (!(await this.sendCode(step.context, step.options.email, to, this.subject(step)))) return this.blocked(step);
    return step.next(maskedHint(to));
  }

  private async codeStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const hint = String(step.result);
    const validations: CodeValidations = { email: step.options.email, to: (step.values as { to: string }).to, hint, subject: this.subject(step), verbs: CODE_VERBS };
    return step.prompt(PromptId.MfaCode, { prompt: codeCard(smsSentMessage(hint), "", true), validations });
  }

  private async doneStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    if ((step.result as Outcome) !== "verified") return this.blocked(step);
    const { email } = step.options;
    const mobile = (step.values as { to: string }).to;
    await this.services.directory.enrolMfa(email, { method: "sms", mobile }, this.services.clock());
    await audit(step.context, this.services, { type: "mfa.enrolled", outcome: "passed", email, detail: "sms" });
    countTask(this.services, "mfa");
    await step.context.sendActivity(`You're set up for MFA by text message. When NHSmail asks for a code, it will text one to ${maskedHint(mobile)}.`);
    return step.endDialog({ done: true } satisfies TaskResult);
  }

  private async blocked(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    await sayBlocked(step.context, this.services);
    await audit(step.context, this.services, { type: "mfa.blocked", outcome: "blocked", email: step.options.email, detail: "sms" });
    return step.endDialog({ done: false } satisfies TaskResult);
  }

  /** Issues a code and texts it, counting the send against the address's limit. False when throttled. */
  private async sendCode(context: TurnContext, email: string, to: string, subject: string): Promise<boolean> {
    if (!(await this.services.throttles.consume("codeSent", email)).allowed) return false;
    const code = await this.services.codes.issue(subject);
    await deliver(context, this.services, { channel: "sms", to, text: smsCodeText(code) });
    return true;
  }

  /** Codes are bound to this conversation's enrolment, so a code from anywhere else never works here. */
  private subject(step: WaterfallStepContext<TaskOptions>): string {
    return `mfa|${step.options.email}|${step.context.activity.conversation.id}`;
  }

  private async validateCode(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options.validations as CodeValidations;
    const { email, to, hint, subject } = options;
    const { code: typed, resend } = await readCode(prompt);
    const outcome = (value: Outcome): boolean => (((prompt.recognized as { value: unknown }).value = value), true);
    const retry = (error: string, message = smsSentMessage(hint)): boolean => ((prompt.options.retryPrompt = codeCard(message, error, true)), false);

    if (resend || isOneOf(typed, TRY_AGAIN)) {
      if (!(await this.sendCode(prompt.context, email, to, subject))) return outcome("blocked");
      return retry("", smsSentMessage(hint, true));
    }
    const code = typed.replace(/[\s-]/g, "");
    if (!/^\d{6}$/.test(code)) return retry(NOT_AN_SMS_CODE);
    if (!(await this.services.throttles.consume("codeChecked", email)).allowed) return outcome("blocked");
    const result = await this.services.codes.verify(subject, code);
    if (result === "ok") return outcome("verified");
    const expired = result !== "wrong";
    await audit(prompt.context, this.services, { type: "mfa.code", outcome: "failed", email, detail: expired ? "sms,expired" : "sms,wrong-code" });
    return retry(expired ? SMS_CODE_EXPIRED : SMS_CODE_WRONG);
  }
}

/** The registered mobile (button or "yes"), another UK mobile typed in any form, or a kind refusal. */
function mobileValidator(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const typed = (prompt.recognized.value ?? "").trim();
  const { registered, hint } = prompt.options.validations as MobileValidations;
  const refuse = (text: string): Promise<boolean> => ((prompt.options.retryPrompt = MessageFactory.text(text)), Promise.resolve(false));
  const e164 = normaliseUkMobile(typed);
  if (e164) return ((prompt.recognized.value = e164), Promise.resolve(true));
  if (registered && CHOOSE_REGISTERED.test(typed)) return ((prompt.recognized.value = registered), Promise.resolve(true));
  if (CHOOSE_ANOTHER.test(typed)) return refuse(ASK_MOBILE);
  if (looksLikeLandline(typed)) return refuse(LANDLINE);
  return refuse(registered && hint ? `${NOT_A_UK_MOBILE} Or type **yes** to use ${hint}.` : NOT_A_UK_MOBILE);
}
