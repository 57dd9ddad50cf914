import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, WaterfallStepContext } from "botbuilder-dialogs";
import type { TurnContext } from "botbuilder";
import { helpdeskContactCard } from "../cards/render";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, WaterfallId } from "./ids";

/** How people reach the helpdesk. */
export interface HelpdeskContact {
  phone: string;
  email: string;
}

/** What the handoff needs. */
export interface HandoffDependencies {
  contact: HelpdeskContact;
  /**
   * Minutes left (and the time) of the person's account synchronisation after accepting the AUP, when they are
   * inside it; the helpdesk asks new users not to call about sending email until it has passed.
   */
  syncWindow?: (context: TurnContext) => Promise<{ minutesLeft: number; readyAt: string } | undefined>;
}

/** Said to a new user asking for the helpdesk while their account is still synchronising. */
export function syncWaitMessage(minutesLeft: number, readyAt: string): string {
  const left = minutesLeft === 1 ? "about 1 minute" : `about ${minutesLeft} minutes`;
  return (
    `Your account is still synchronising after you accepted the Acceptable Use Policy: ${left} left (until around ${readyAt}). ` +
    "Until then you can't send email — that's expected, and the helpdesk can't speed it up. " +
    "Please wait until then before contacting them about sending email; I'll message you when it should be working."
  );
}

/** Connects a person with the helpdesk: for now, how to reach it by phone or email. */
export class HandoffDialog extends HelpdeskDialog {
  protected readonly helpText = "I can put you in touch with the helpdesk.";

  constructor(private readonly deps: HandoffDependencies) {
    super(DialogId.Handoff);
    this.addDialog(new WaterfallDialog(WaterfallId.Handoff, [this.contactStep.bind(this)]));
    this.initialDialogId = WaterfallId.Handoff;
  }

  private async contactStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const waiting = await this.deps.syncWindow?.(step.context);
    if (waiting) await step.context.sendActivity(syncWaitMessage(waiting.minutesLeft, waiting.readyAt));
    const reason = waiting ? "If it's about something else, you can reach the helpdesk here:" : "";
    await step.context.sendActivity({ attachments: [helpdeskContactCard({ reason, ...this.deps.contact })] });
    return step.endDialog();
  }
}
