import { randomBytes } from "node:crypto";
import { MessageFactory } from "botbuilder";
import type { Activity, TurnContext } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { signInCard, submittedCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import { readNhsmailAddress } from "../src/directory/email";
import type { EmailReading } from "../src/directory/email";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { teamsUserOf } from "./first-login-services";
import type { FirstLoginServices, SignInResult } from "./first-login-services";
import { MAX_PASSWORD_INPUT } from "./password-check";
import { CardSubmitPrompt, cardText } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { audit, countVerification, recordFailedProof, replaceSubmittedCard, sayBlocked, userKey } from "./reset-services";

/** Said when the address or password is typed as a chat message rather than into the card. */
export const SIGN_IN_USE_CARD =
  "Please don't type your password in the chat: messages stay in the chat history. Type your address and password into the boxes on the card instead.";
/** Said when a box is empty or unreadable. */
export const SIGN_IN_MISSING = "Type your @nhs.net email address and your password into the boxes on the card.";
/** Said when the address is not an NHSmail address. */
export const SIGN_IN_NOT_NHSMAIL = "Type your full NHSmail address, like jane.smith@nhs.net.";
/**
 * Said for a wrong password and for an address with no account alike, so the card cannot be used to find out
 * which addresses exist.
 */
export const SIGN_IN_WRONG =
  "That address and password don't match. Check both and try again: use the temporary password your local administrator gave you, " +
  "or your current password if you've already changed it.";

const MAX_ADDRESS_INPUT = 320;

/**
 * What a submission came to: signed in, blocked (already told), or refused with a line for the card and the address
 * to show in its box again (empty for none).
 */
type Attempt = { result: SignInResult } | { refused: string; address: string };

/**
 * First login, before anything else: a Teams user not yet linked to an address proves which account is theirs with
 * the address and its temporary (or current) password. A wrong password and an unknown address cost the same and
 * read the same; failures count against the address and against the Teams user. Ends with the proved address, or
 * with no address when the person was blocked.
 */
export class SignInDialog extends HelpdeskDialog {
  protected readonly helpText =
    "Type your @nhs.net address and the temporary password your local administrator gave you (or your current password, if you've changed it) into the card, then press Sign in.";

  /** What an unknown address is checked against, so that it takes as long as a wrong password. */
  private readonly decoyHash: Promise<string>;

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.SignIn);
    this.decoyHash = services.hasher.hash(randomBytes(18).toString("base64"));
    // Awaited on the first unknown address; until then a failure must not surface as an unhandled rejection.
    void this.decoyHash.catch(() => undefined);
    this.addDialog(new CardSubmitPrompt(PromptId.SignIn, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.SignIn, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.SignIn;
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!(await this.services.throttles.check("userAttempts", userKey(step.context, this.services))).allowed) {
      await sayBlocked(step.context, this.services);
      return step.endDialog({} satisfies SignInResult);
    }
    const card = this.card("", "");
    return step.prompt(PromptId.SignIn, { prompt: card, retryPrompt: card, validations: { verbs: [Verb.SubmitSignIn] } });
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result as SignInResult);
  }

  private card(error: string, email: string): Partial<Activity> {
    return MessageFactory.attachment(signInCard({ error, email }));
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as { retryPrompt?: Partial<Activity> };
    const submission = prompt.recognized.value;
    if (!prompt.recognized.succeeded || !submission) {
      // Whatever was typed is neither kept nor logged: only this warning goes back.
      options.retryPrompt = prompt.context.activity.text ? { ...this.card("", ""), text: SIGN_IN_USE_CARD } : this.card("", "");
      return false;
    }
    await replaceSubmittedCard(prompt.context, [submittedCard({ title: "Sign-in details submitted", note: "For your security, the boxes have been cleared." })]);
    (prompt.recognized as { value: unknown }).value = undefined;
    const attempt = await this.attempt(prompt.context, submission);
    if ("refused" in attempt) {
      options.retryPrompt = this.card(attempt.refused, attempt.address);
      return false;
    }
    (prompt.recognized as { value: unknown }).value = attempt.result;
    return true;
  }

  private async attempt(context: TurnContext, submission: CardSubmission): Promise<Attempt> {
    const typedAddress = cardText(submission, "email", MAX_ADDRESS_INPUT);
    const password = cardText(submission, "password", MAX_PASSWORD_INPUT);
    const address = readNhsmailAddress(typedAddress ?? "");
    const kept = addressToKeep(typedAddress, address);
    if (!typedAddress?.trim() || !password) return { refused: SIGN_IN_MISSING, address: kept };
    if (!address.ok) return { refused: SIGN_IN_NOT_NHSMAIL, address: kept };
    const email = address.email;

    const user = userKey(context, this.services);
    const blocked = async (): Promise<Attempt> => {
      await sayBlocked(context, this.services);
      await audit(context, this.services, { type: "firstLogin.signIn", outcome: "blocked", email });
      countVerification(this.services, "password", "blocked");
      return { result: {} };
    };
    const allowed = await Promise.all([this.services.throttles.check("identityFailed", email), this.services.throttles.check("userAttempts", user)]);
    if (!allowed.every((decision) => decision.allowed)) return blocked();

    const account = await this.services.directory.findByEmail(email);
    const matches = await this.services.hasher.verify(password, account?.passwordHash ?? (await this.decoyHash));
    if (!account || !matches) {
      await audit(context, this.services, { type: "firstLogin.signIn", outcome: "failed", email, detail: account ? "wrong-password" : "unknown-address" });
      countVerification(this.services, "password", "failed");
      const accountAllowed = await recordFailedProof(this.services, email);
      const userAllowed = (await this.services.throttles.consume("userAttempts", user)).allowed && (await this.services.throttles.check("userAttempts", user)).allowed;
      return accountAllowed && userAllowed ? { refused: SIGN_IN_WRONG, address: email } : blocked();
    }
    await this.services.links.link(teamsUserOf(context), email);
    await audit(context, this.services, { type: "firstLogin.signIn", outcome: "passed", email });
    countVerification(this.services, "password", "passed");
    return { result: { email } };
  }
}

/**
 * What goes back into the address box when the card is shown again, so only the password has to be typed again:
 * an NHSmail address as read, or any other text shaped like an email address as typed (to be corrected). Anything
 * else (which could be a password typed into the wrong box) is not echoed.
 */
function addressToKeep(typed: string | undefined, reading: EmailReading): string {
  if (reading.ok) return reading.email;
  return reading.reason === "not-nhsmail" && typed ? typed.trim() : "";
}
