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
  /**
   * Help for this dialog's step: what is being asked and why. When the person types "help", the innermost journey
   * step's text is shown, with how to stop, and the question is asked again below it.
   */
  protected abstract readonly helpText: string;
  /** How to stop this journey, said with the help (the outermost journey's words are used). */
  protected readonly stopHint: string = "To stop, type **cancel**: nothing will be changed.";
  /** Said when the person cancels; a journey that keeps progress says so. */
  protected readonly cancelledText: string = CANCELLED_MESSAGE;

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  /** The help text of the innermost journey step in progress (this dialog's own when it has no such child). */
  private stepHelp(innerDc: DialogContext): string {
    let text = this.helpText;
    for (let dc: DialogContext | undefined = innerDc; dc; dc = dc.child) {
      const active = dc.activeDialog ? dc.findDialog(dc.activeDialog.id) : undefined;
      if (active instanceof HelpdeskDialog) text = active.helpText;
    }
    return text;
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity = innerDc.context.activity;
    if (activity.type !== (ActivityTypes.Message as string)) return undefined;
    const verb = (activity.value as { verb?: unknown } | undefined)?.verb;
    if (verb === Verb.ContinueJourney) {
      await innerDc.context.sendActivity(CARRY_ON);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const pressedCancel = verb === Verb.CancelJourney;
    switch (pressedCancel ? "cancel" : matchIntent(activity.text)) {
      case "cancel":
        await innerDc.context.sendActivity(this.cancelledText);
        return innerDc.cancelAllDialogs(true);
      case "help":
        await innerDc.context.sendActivity({ text: `${this.stepHelp(innerDc)} ${this.stopHint} I've asked again below.`, attachments: [helpCard({ title: "Other things I can do" })] });
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

/** Pressing "Carry on" after being asked whether to start again: the step in progress is asked again. */
export const CARRY_ON = "OK, let's carry on where you were.";

/** The outermost dialog context: the one that owns the conversation's dialog stack. */
export function rootOf(dc: DialogContext): DialogContext {
  let root = dc;
  while (root.parent) root = root.parent;
  return root;
}
