import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, WaterfallStepContext } from "botbuilder-dialogs";
import { helpdeskContactCard } from "../cards/render";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, WaterfallId } from "./ids";

/** How people reach the helpdesk. */
export interface HelpdeskContact {
  phone: string;
  email: string;
}

/** Connects a person with the helpdesk: for now, how to reach it by phone or email. */
export class HandoffDialog extends HelpdeskDialog {
  protected readonly helpText = "I can put you in touch with the helpdesk.";

  constructor(private readonly contact: HelpdeskContact) {
    super(DialogId.Handoff);
    this.addDialog(new WaterfallDialog(WaterfallId.Handoff, [this.contactStep.bind(this)]));
    this.initialDialogId = WaterfallId.Handoff;
  }

  private async contactStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [helpdeskContactCard({ reason: "", ...this.contact })] });
    return step.endDialog();
  }
}
