import { MessageFactory } from "botbuilder";
import type { TurnContext } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, WaterfallStepContext } from "botbuilder-dialogs";
import { aupCard, submittedCard, syncNoticeCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import { AUP_SUMMARY, AUP_URL, AUP_VERSION } from "../src/first-login";
import { ukDateTime, ukTime } from "../src/uk-time";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import type { FirstLoginServices, TaskOptions, TaskResult } from "./first-login-services";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { audit, countTask, replaceSubmittedCard } from "./reset-services";

/** Said when something is typed instead of pressing a button on the card. */
export const USE_AUP_BUTTONS = "To accept the Acceptable Use Policy, press **Accept** on the card. If you'd rather come back to it later, press **Not now**.";
/** Said when the person leaves the policy for later. */
export const AUP_LATER =
  "That's fine. Your other tasks will wait until you've accepted the Acceptable Use Policy, because NHSmail needs it first. " +
  "When you're ready, type **I'm a new user** and I'll bring it back.";

/**
 * Step 4 of the guide: read the Acceptable Use Policy and accept it. The acceptance is recorded with its time and
 * the policy's version; email sending then waits for account synchronisation (up to `syncMinutes`), so the person
 * is told when to expect it and a follow-up is scheduled for then.
 */
export class AcceptAupDialog extends HelpdeskDialog {
  protected readonly helpText = "Read the policy on the card (the button opens the full text), then press Accept, or Not now to come back to it later.";

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.AcceptAup);
    this.addDialog(new CardSubmitPrompt(PromptId.Aup));
    this.addDialog(new WaterfallDialog(WaterfallId.AcceptAup, [this.askStep.bind(this), this.answerStep.bind(this)]));
    this.initialDialogId = WaterfallId.AcceptAup;
  }

  private async askStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const card = MessageFactory.attachment(aupCard({ summary: AUP_SUMMARY, url: AUP_URL, version: AUP_VERSION }));
    return step.prompt(PromptId.Aup, { prompt: card, retryPrompt: { ...card, text: USE_AUP_BUTTONS }, validations: { verbs: [Verb.AcceptAup, Verb.DeferAup] } });
  }

  private async answerStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const { verb } = step.result as CardSubmission;
    if (verb !== Verb.AcceptAup) {
      await replaceSubmittedCard(step.context, [submittedCard({ title: "Acceptable Use Policy: not accepted yet", note: "You can come back to it whenever you're ready." })]);
      await audit(step.context, this.services, { type: "firstLogin.aup", outcome: "info", email: step.options.email, detail: "not now" });
      await step.context.sendActivity(AUP_LATER);
      return step.endDialog({ done: false } satisfies TaskResult);
    }
    const email = step.options.email;
    const now = this.services.clock();
    const accepted = await this.services.directory.acceptAup(email, AUP_VERSION, now);
    await audit(step.context, this.services, { type: "firstLogin.aup", outcome: "passed", email, detail: AUP_VERSION });
    countTask(this.services, "aup");
    const readyAt = new Date(now.getTime() + this.services.syncMinutes * 60_000);
    await this.scheduleFollowUp(step.context, email, readyAt);
    const at = accepted.aupAcceptedAt ?? now.toISOString();
    await replaceSubmittedCard(step.context, [submittedCard({ title: "Acceptable Use Policy accepted", note: `${AUP_VERSION}, accepted on ${ukDateTime(new Date(at))}.` })]);
    await step.context.sendActivity(MessageFactory.attachment(syncNoticeCard({ readyAt: ukTime(readyAt), windowMinutes: this.services.syncMinutes })));
    return step.endDialog({ done: true } satisfies TaskResult);
  }

  /**
   * Schedules the "email should work now" message. The acceptance is already recorded and the person has been told
   * when to expect email to work, so a failure here is audited rather than shown as an error.
   */
  private async scheduleFollowUp(context: TurnContext, email: string, readyAt: Date): Promise<void> {
    try {
      await this.services.scheduleSyncFollowUp(email, readyAt);
    } catch {
      await audit(context, this.services, { type: "firstLogin.syncFollowUp", outcome: "failed", email, detail: "not scheduled" });
    }
  }
}
