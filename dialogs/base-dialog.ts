import { ComponentDialog, Dialog } from "botbuilder-dialogs";
import type { DialogContext, DialogTurnResult } from "botbuilder-dialogs";
import { ActivityTypes } from "botbuilder";
import { matchIntent } from "../src/intents";
import { helpCard } from "../cards/render";
import { DialogId } from "./ids";
import { Verb } from "../cards/verbs";

/** Said when a person cancels a journey. */
export const CANCELLED_MESSAGE = "OK, I've stopped. Nothing has been changed. Type **help** whenever you want to start again.";

/**
 * The base of every journey: "cancel", "help" and "talk to a person" work at every step of every flow,
 * handled here once rather than in each dialog.
 */
export abstract class HelpdeskDialog extends ComponentDialog {
  /** A line of help for the step in progress, shown above the help card when the person types "help". */
  protected abstract readonly helpText: string;
  /** Said when the person cancels; a journey that keeps progress says so. */
  protected readonly cancelledText: string = CANCELLED_MESSAGE;

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity = innerDc.context.activity;
    if (activity.type !== (ActivityTypes.Message as string)) return undefined;
    const pressedCancel = (activity.value as { verb?: unknown } | undefined)?.verb === Verb.CancelJourney;
    switch (pressedCancel ? "cancel" : matchIntent(activity.text)) {
      case "cancel":
        await innerDc.context.sendActivity(this.cancelledText);
        return innerDc.cancelAllDialogs(true);
      case "help":
        await innerDc.context.sendActivity({ text: this.helpText, attachments: [helpCard({ title: "Other things I can do" })] });
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case "handoff": {
        const root = rootOf(innerDc);
        await innerDc.cancelAllDialogs(true);
        return root.beginDialog(DialogId.Handoff);
      }
      default:
        return undefined;
    }
  }
}

/** The outermost dialog context: the one that owns the conversation's dialog stack. */
export function rootOf(dc: DialogContext): DialogContext {
  let root = dc;
  while (root.parent) root = root.parent;
  return root;
}
