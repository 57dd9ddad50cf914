import type { Activity, Attachment, TurnContext } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { mfaAppCard, submittedCard } from "../cards/render";
import { otpauthUri } from "../src/verification/totp";
import { HelpdeskDialog } from "./base-dialog";
import { isOnPhone } from "./first-login-services";
import type { FirstLoginServices, TaskOptions, TaskResult } from "./first-login-services";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { CODE_VERBS, readCode } from "./prompts/code-entry";
import { audit, countTask, sayBlocked } from "./reset-services";

/** Said (on the card) when what was entered is not a 6-digit code. */
export const NOT_AN_APP_CODE = "The code is the 6 digits your authenticator app shows for NHSmail, like 123456.";
/** Said (on the card) when the code did not verify. */
export const APP_CODE_WRONG = "That code didn't work. Codes change every 30 seconds: type the one your app shows now.";
/** Said when a code typed in the chat is not right; the card above is still there to use. */
export const TYPED_CODE_WRONG = "That code didn't work. Codes change every 30 seconds: type the one your app shows now, here or in the box on the card above.";
/** Said when a typed message is not a code. */
export const TYPED_NOT_A_CODE =
  "Add NHSmail to your authenticator app with the card above (the button on your phone, the QR code from a computer, or the key by hand), then type the 6-digit code the app shows.";
/** Said once the app is set up. */
export const APP_ENROLLED = "Your authenticator app is set up. From now on, when NHSmail asks for a code, open the app and type the one it shows.";
/** Said when the account cannot be read. */
export const APP_ACCOUNT_UNAVAILABLE = "Sorry, I can't find your account just now, so I can't finish setting up your app. Please try again later.";

/** What the code prompt keeps in dialog state: the secret only sealed, and the id of the card that shows it. */
interface AppCodeValidations {
  email: string;
  sealed: string;
  cardId?: string;
  verbs: readonly string[];
}

/** What the QR code and key card becomes once the app is set up, so the key does not stay in the chat. */
const KEY_REMOVED = (): Attachment[] => [
  submittedCard({ title: "Authenticator app set up", note: "For your security, the button, QR code and key have been removed from this chat." }),
];

/**
 * MFA with an authenticator app: a fresh secret, shown on one card as a button that opens the app (an `otpauth://`
 * link, for a person whose chat is on the phone itself), a QR code (for a person at a computer) and a key to type by
 * hand, confirmed with the first code the app shows. On Teams for Android or iOS the phone's way comes first. Dialog
 * state is stored, so the secret is kept sealed there and opened only to draw the card and to check a code; the card
 * is never kept as the prompt. Ends `{ done: true }` when enrolled.
 */
export class MfaAppDialog extends HelpdeskDialog {
  protected readonly helpText =
    "Add NHSmail to your authenticator app with the card: on your phone, tap the button; at a computer, scan the QR code; or type in the key. Then type the 6-digit code the app shows.";

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.MfaApp);
    this.addDialog(new CardSubmitPrompt(PromptId.MfaCode, (p) => this.validateCode(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.MfaApp, [this.showStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.MfaApp;
  }

  private async showStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const { email } = step.options;
    const secret = this.services.newTotpSecret();
    const sealed = this.services.directory.sealTotpSecret(email, secret);
    const cardId = await this.sendCard(step.context, email, secret, "");
    const validations: AppCodeValidations = { email, sealed, cardId, verbs: CODE_VERBS };
    return step.prompt(PromptId.MfaCode, { validations });
  }

  private async doneStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const { email } = step.options;
    if (step.result === "unavailable") {
      await step.context.sendActivity(APP_ACCOUNT_UNAVAILABLE);
      return step.endDialog({ done: false } satisfies TaskResult);
    }
    if (step.result !== "enrolled") {
      await sayBlocked(step.context, this.services);
      await audit(step.context, this.services, { type: "mfa.blocked", outcome: "blocked", email, detail: "app" });
      return step.endDialog({ done: false } satisfies TaskResult);
    }
    await step.context.sendActivity(APP_ENROLLED);
    return step.endDialog({ done: true } satisfies TaskResult);
  }

  /**
   * Draws the card with the otpauth URI as a button and as a QR code, and the key in groups of four, the phone's way
   * first when the person is on a phone; returns its activity id.
   */
  private async sendCard(context: TurnContext, email: string, secret: string, error: string): Promise<string | undefined> {
    const appLink = otpauthUri(secret, email);
    const qrImage = await this.services.qrCode(appLink);
    const card = mfaAppCard({ qrImage, appLink, key: groupsOfFour(secret), error, phoneFirst: isOnPhone(context) });
    const sent = await context.sendActivity({ type: "message", attachments: [card] });
    return sent?.id;
  }

  private async validateCode(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const validations = prompt.options.validations as AppCodeValidations;
    const { email, sealed } = validations;
    const fromCard = prompt.recognized.succeeded;
    // readCode clears a submitted card; on a retry the card (and key) is drawn again, so one stays in the chat.
    const code = (await readCode(prompt)).code.replace(/[\s-]/g, "");
    const outcome = (value: "enrolled" | "blocked" | "unavailable"): boolean => (((prompt.recognized as { value: unknown }).value = value), true);
    const account = await this.services.directory.findByEmail(email);
    if (!account) return outcome("unavailable");
    const secret = (): string | undefined => this.services.directory.totpSecretOf({ ...account, totpSecretEncrypted: sealed });
    const retry = async (cardError: string, typedError: string): Promise<boolean> => {
      const opened = secret();
      if (!fromCard || !opened) await prompt.context.sendActivity(typedError);
      else validations.cardId = await this.sendCard(prompt.context, email, opened, cardError);
      return false;
    };

    if (!/^\d{6}$/.test(code)) return retry(NOT_AN_APP_CODE, TYPED_NOT_A_CODE);
    if (!(await this.services.throttles.consume("codeChecked", email)).allowed) return outcome("blocked");
    const opened = secret();
    if (!opened || !(await this.services.totp.verify(email, opened, code))) {
      await audit(prompt.context, this.services, { type: "mfa.code", outcome: "failed", email, detail: "app" });
      return retry(APP_CODE_WRONG, TYPED_CODE_WRONG);
    }
    await this.services.directory.enrolMfa(email, { method: "app", totpSecretEncrypted: sealed }, this.services.clock());
    await audit(prompt.context, this.services, { type: "mfa.enrolled", outcome: "passed", email, detail: "app" });
    countTask(this.services, "mfa");
    await replaceCard(prompt.context, validations.cardId, KEY_REMOVED());
    return outcome("enrolled");
  }
}

/** A base32 key as people copy it: groups of four, e.g. "ABCD EFGH IJKL". */
export function groupsOfFour(secret: string): string {
  return secret.replace(/[\s=]/g, "").toUpperCase().replace(/(.{4})(?=.)/g, "$1 ");
}

/**
 * Replaces the card that shows the key: the one sent last (earlier ones were cleared when submitted), else the one
 * submitted from, as `replaceSubmittedCard` does. Best effort: a channel may not support updates. A key that was
 * never enrolled (the person stopped, or was blocked) opens nothing, so only the enrolled one must go.
 */
async function replaceCard(context: TurnContext, cardId: string | undefined, attachments: Attachment[]): Promise<void> {
  const id = cardId ?? context.activity.replyToId;
  if (!id) return;
  const update: Partial<Activity> = { id, type: "message", attachments };
  try {
    await context.updateActivity(update);
  } catch {
    // The secret stays sealed in the directory; the person can delete the message themselves.
  }
}
