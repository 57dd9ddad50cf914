import { MessageFactory } from "botbuilder";
import { DialogTurnStatus, WaterfallDialog } from "botbuilder-dialogs";
import type { DialogContext, DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { chooseMethodCard, handoffOfferCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import type { RegisteredMethods } from "../src/directory/account";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { failedStepOf, offerHandoff } from "./reset-services";

/** How a person proves who they are, as in the NHSmail guide. */
export type Method = "sms" | "voice" | "app";

/** Options for {@link VerifyIdentityDialog}. */
export interface VerifyIdentityOptions {
  email: string;
}

/**
 * What the method card offers, to every address alike: the guide's three ways, or a text and the app when the
 * message provider cannot make calls (GOV.UK Notify makes none).
 */
const offeredMethods = (calls: boolean): RegisteredMethods => ({ sms: true, voice: calls, app: true });

/** Said when the choice is typed rather than pressed and cannot be read. */
export const CHOOSE_A_METHOD = "Please choose one of the options on the card: a text, a call, or your authenticator app.";
/** The same, when calls are not offered. */
export const CHOOSE_TEXT_OR_APP = "Please choose one of the options on the card: a text or your authenticator app.";

/** After this many failed answers in one verification, the helpdesk is offered (the lockout comes at 5). */
export const REPEATED_FAILURES = 2;

/** Under the method choice, for everyone: someone with no usable method can ask the helpdesk. */
const NO_METHOD_OFFER = {
  title: "Can't use any of these?",
  reason: "If you have no mobile phone or authenticator app registered, or can't use them now, someone from the helpdesk can help you here.",
  trigger: "no-method",
  step: "checking it's you: none of the ways can be used",
  phone: "",
  email: "",
  primary: false,
} as const;

/** Offered once after {@link REPEATED_FAILURES} failed answers. */
const STUCK_OFFER = { title: "Having trouble?", reason: "If this isn't working, someone from the helpdesk can help you here.", trigger: "repeated-failures" } as const;

const TYPED: ReadonlyArray<[RegExp, Method]> = [
  [/\b(text|sms)\b/i, "sms"],
  [/\b(call|phone me|ring)\b/i, "voice"],
  [/\b(app|authenticator)\b/i, "app"],
];

/** Reads a method from a button press or from what was typed. */
export function methodFrom(submission: CardSubmission | undefined, text: string | undefined): Method | undefined {
  const method = submission?.method;
  if (method === "sms" || method === "voice" || method === "app") return method;
  return text ? TYPED.find(([pattern]) => pattern.test(text))?.[1] : undefined;
}

/**
 * Verification step 1 of the guide: choose a method, then prove it. All three methods of the guide are offered to
 * every address, registered or not, so the card says nothing about whether an address exists or what it has
 * registered; a method the account lacks then behaves exactly as it does for an unknown address (a made-up number
 * hint that nothing matches, an app code that never verifies).
 * For the same reason "Talk to the helpdesk" (for someone with no usable method) is offered under the choice to
 * everyone, and again after repeated failed answers, which unknown addresses reach the same way. Ends with `true`
 * when the person proved who they are.
 */
export class VerifyIdentityDialog extends HelpdeskDialog {
  protected readonly helpText: string;
  private readonly offered: RegisteredMethods;

  /** @param calls - true when the message provider can call a phone (the outbox can; GOV.UK Notify cannot) */
  constructor(calls = true) {
    super(DialogId.VerifyIdentity);
    this.offered = offeredMethods(calls);
    this.helpText = `Before I change a password I must check it's you. Choose a way: ${calls ? "a text or a call to" : "a text to"} the mobile registered to your account, or a code from your authenticator app. If you can't use any of them, press **Talk to the helpdesk**.`;
    this.addDialog(new CardSubmitPrompt(PromptId.Method, (prompt) => chooseValidator(prompt, this.offered)));
    this.addDialog(new WaterfallDialog(WaterfallId.VerifyIdentity, [this.chooseStep.bind(this), this.proveStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.VerifyIdentity;
  }

  /** Counts the answers that failed (as audited on the turn) and offers the helpdesk once there have been enough. */
  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    const result = await super.continueDialog(outerDc);
    const step = failedStepOf(outerDc.context);
    const state = outerDc.activeDialog?.state as { failures?: number } | undefined;
    if (step && state && result.status === DialogTurnStatus.waiting) {
      state.failures = (state.failures ?? 0) + 1;
      if (state.failures === REPEATED_FAILURES) await offerHandoff(outerDc.context, { ...STUCK_OFFER, step });
    }
    return result;
  }

  private async chooseStep(step: WaterfallStepContext<VerifyIdentityOptions>): Promise<DialogTurnResult> {
    const card = MessageFactory.list([chooseMethodCard(this.offered), handoffOfferCard(NO_METHOD_OFFER)]);
    const retry = MessageFactory.text(this.offered.voice ? CHOOSE_A_METHOD : CHOOSE_TEXT_OR_APP);
    return step.prompt(PromptId.Method, { prompt: card, retryPrompt: retry, validations: { verbs: [Verb.ChooseMethod] } });
  }

  private async proveStep(step: WaterfallStepContext<VerifyIdentityOptions>): Promise<DialogTurnResult> {
    const method = step.result as Method;
    if (method === "app") return step.beginDialog(DialogId.AppCode, { email: step.options.email });
    return step.beginDialog(DialogId.PhoneCode, { email: step.options.email, channel: method });
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result === true);
  }
}

/** A method pressed or typed, if the card offers it (a pressed "call" from an old card is refused when calls are off). */
function chooseValidator(prompt: PromptValidatorContext<CardSubmission>, offered: RegisteredMethods): Promise<boolean> {
  const method = methodFrom(prompt.recognized.value, prompt.context.activity.text);
  if (!method || !offered[method]) return Promise.resolve(false);
  (prompt.recognized as { value: unknown }).value = method;
  return Promise.resolve(true);
}
