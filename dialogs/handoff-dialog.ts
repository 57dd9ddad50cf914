import { ActivityTypes } from "botbuilder";
import type { Activity, TurnContext } from "botbuilder";
import { ActivityPrompt, Dialog, DialogReason, Prompt, WaterfallDialog } from "botbuilder-dialogs";
import type { DialogContext, DialogInstance, DialogTurnResult, PromptOptions, PromptRecognizerResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { handoffSomethingElseCard, handoffWaitingCard, helpdeskContactCard, mainHelpCard, submittedCard } from "../cards/render";
import { Verb } from "../cards/verbs";
import type { HandoffDesk, HandoffParty, HandoffRecord, HandoffTrigger, SyncAnswer, TranscriptLine } from "../src/handoff/ports";
import { NUMBER_REMOVED, REMOVED, redact } from "../src/handoff/redact";
import { isOneOf, matchIntent } from "../src/intents";
import { HelpdeskDialog } from "./base-dialog";
import { teamsUserOf } from "./first-login-services";
import { DialogId, PromptId, WaterfallId } from "./ids";
import { cardText } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { replaceSubmittedCard } from "./reset-services";
import { syncWaitMessage, SOMETHING_ELSE, YES_OR_NO, WAIT_FOR_SYNC, ANSWERED_SOMETHING_ELSE, ANSWERED_ABOUT_EMAIL, NO_AGENTS, ALREADY_CHATTING, CHAT_ENDED, LEFT_QUEUE, LEFT_CHAT, CLOSED_FOR_OTHER, SECRET_NOT_RELAYED, ANSWER_SENT, NO_CHECK_WAITING, EMPTY_ANSWER, TEXT_ONLY, ANSWER_IN_THE_BOX, alreadyWaiting, stillWaiting, aboutMinutes } from "./handoff-wording";
import { emitHandoffInitiation } from "./handoff-initiation";
import { WEB_CHANNEL } from "../src/webchat/web-channel";

export * from "./handoff-wording";

/** How people reach the helpdesk. */
export interface HelpdeskContact {
  phone: string;
  email: string;
}

/** What the handoff needs. Without a desk it can only give the helpdesk's phone number and email address. */
export interface HandoffDependencies {
  contact: HelpdeskContact;
  /**
   * Minutes left (and the time) of the person's account synchronisation after accepting the AUP, when they are
   * inside it; the helpdesk asks new users not to call about sending email until it has passed.
   */
  syncWindow?: (context: TurnContext) => Promise<{ minutesLeft: number; readyAt: string } | undefined>;
  /** The helpdesk desk: queues the request in the agents' channel and relays messages both ways. */
  desk?: HandoffDesk;
  /** The transcript of the person's chat so far, this turn included, for the request card (redacted when stored). */
  transcript?: (conversationId: string, context: TurnContext) => Promise<TranscriptLine[]>;
  /**
   * The account concerned, if known: the one the Teams user (Entra object id, else channel id) is linked to, else the
   * one this conversation was last about (the address typed in a reset). Not proof of anything: the agent checks.
   */
  emailOf?: (teamsUser: string, conversationId: string) => Promise<string | undefined>;
  /** The request's current place in the queue (undefined once taken), to remind a waiting person of it. */
  position?: (handoffId: string) => Promise<number | undefined>;
}

/** Options for {@link HandoffDialog}: why the person is asking, the step that failed and the account, when known. */
export interface HandoffOptions {
  trigger?: HandoffTrigger;
  failedStep?: string;
  email?: string;
}

const LEAVE: ReadonlySet<string> = new Set(["end", "leave", "end chat", "end the chat", "end this chat", "leave queue", "leave the queue", "leave chat", "leave the chat"]);
/** Typed answers to {@link SOMETHING_ELSE}, for people who type rather than press a button. */
const YES: ReadonlySet<string> = new Set(["yes", "y", "yeah", "yep", "yes please", "yes it is", "it is", "something else", "yes, something else"]);
const NO: ReadonlySet<string> = new Set(["no", "n", "nope", "no it isn't", "no it's not", "it's about email", "email", "sending email", "no, it's about email"]);

interface HandoffValues {
  /** The person already had an open request: no new one, straight to relaying. */
  resumed?: boolean;
  /** Asked inside the first-login synchronisation window (and it is about something else). */
  newUser?: boolean;
  /** Minutes left of the synchronisation window when the question was asked (how long to remember the answer). */
  minutesLeft?: number;
}

/**
 * Connects a person with a helpdesk agent inside Teams, the bot relaying both ways ("bot as proxy"): opens a request
 * in the agents' channel, shows the person their place in the queue, then stays on the stack passing their messages
 * on until either side ends it. Inside the first-login synchronisation window it explains the wait first and goes on
 * only if the question is about something else. Without a desk (or agents), it gives the helpdesk's details.
 */
export class HandoffDialog extends HelpdeskDialog {
  protected readonly helpText = "Type a message and I'll pass it on to the helpdesk. Type **end** to leave.";

  constructor(private readonly deps: HandoffDependencies) {
    super(DialogId.Handoff);
    this.addDialog(new SomethingElsePrompt(PromptId.HandoffSomethingElse));
    this.addDialog(new ActivityPrompt(PromptId.HandoffMessage, (prompt) => this.relay(prompt)));
    this.addDialog(
      new WaterfallDialog(WaterfallId.Handoff, [this.startStep.bind(this), this.openStep.bind(this), this.listenStep.bind(this), this.doneStep.bind(this)]),
    );
    this.initialDialogId = WaterfallId.Handoff;
  }

  /** Leaving, or asking again, while the request is open; anything else goes to the base (help) and the relay. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { activity } = innerDc.context;
    if (innerDc.activeDialog?.id === PromptId.HandoffMessage && activity.type === (ActivityTypes.Message as string)) {
      const verb = submissionOf(activity)?.verb;
      const text = verb ? "" : (activity.text ?? "");
      if (verb === Verb.LeaveHandoff || verb === Verb.CancelJourney || isOneOf(text, LEAVE) || matchIntent(text) === "cancel") return this.leave(innerDc);
      const record = matchIntent(text) === "handoff" ? await this.deps.desk?.openFor(personOf(innerDc.context).id) : undefined;
      if (record) {
        await this.sayAlready(innerDc.context, record);
        return Dialog.EndOfTurn;
      }
    }
    return super.onContinueDialog(innerDc);
  }

  /** Cancelled from outside (another journey's button): the open request is closed, so nobody waits for a person who has gone. */
  override async endDialog(context: TurnContext, instance: DialogInstance, reason: DialogReason): Promise<void> {
    // Pressing "Talk to the helpdesk" again restarts this dialog, which picks the open request up again.
    const again = submissionOf(context.activity)?.verb === Verb.StartHandoff;
    const record = reason === DialogReason.cancelCalled && !again ? await this.deps.desk?.openFor(personOf(context).id) : undefined;
    if (record) {
      await this.deps.desk?.endByUser(record);
      await context.sendActivity(CLOSED_FOR_OTHER);
    }
    return super.endDialog(context, instance, reason);
  }

  private async startStep(step: WaterfallStepContext<HandoffOptions>): Promise<DialogTurnResult> {
    const open = await this.deps.desk?.openFor(personOf(step.context).id);
    if (open) {
      (step.values as HandoffValues).resumed = true;
      await this.sayAlready(step.context, open);
      return step.next();
    }
    const waiting = await this.deps.syncWindow?.(step.context);
    if (!waiting) return step.next(true);
    const values = step.values as HandoffValues;
    values.newUser = true;
    // Asked once per window: whatever the person answered, asking again in the same window goes straight on (after
    // "it's about email", asking again means they want a person anyway).
    if (await this.deps.desk?.syncAnswer(personOf(step.context).id)) return step.next(true);
    await step.context.sendActivity(syncWaitMessage(waiting.minutesLeft, waiting.readyAt));
    if (!this.deps.desk) return this.contact(step, "If it's about something else, you can reach the helpdesk here:");
    values.minutesLeft = waiting.minutesLeft;
    const card = (text?: string): Partial<Activity> => ({ text, attachments: [handoffSomethingElseCard({ question: SOMETHING_ELSE })] });
    return step.prompt(PromptId.HandoffSomethingElse, { prompt: card(), retryPrompt: card(YES_OR_NO) } satisfies PromptOptions);
  }

  private async openStep(step: WaterfallStepContext<HandoffOptions>): Promise<DialogTurnResult> {
    const values = step.values as HandoffValues;
    if (values.resumed) return step.next();
    if (values.minutesLeft !== undefined) await this.rememberAnswer(step.context, step.result === false ? "email" : "something-else", values.minutesLeft);
    if (step.result === false) {
      await step.context.sendActivity(WAIT_FOR_SYNC);
      return step.endDialog();
    }
    const { desk } = this.deps;
    if (!desk) return this.contact(step, "");
    const { context } = step;
    const options = step.options ?? {};
    const asked = (step.values as HandoffValues).newUser ? "first-login" : "asked";
    const trigger = options.trigger && options.trigger !== "asked" ? options.trigger : asked;
    const conversationId = context.activity.conversation.id;
    const opened = await desk.open({
      via: context.activity.channelId === WEB_CHANNEL ? "web" : "teams",
      user: personOf(context),
      userConversationId: conversationId,
      email: options.email ?? (await this.deps.emailOf?.(teamsUserOf(context), conversationId)),
      trigger,
      failedStep: options.failedStep || undefined,
      transcript: (await this.deps.transcript?.(conversationId, context)) ?? [],
    });
    if (opened.status === "no-agents") return this.contact(step, NO_AGENTS);
    await emitHandoffInitiation(context, opened.record);
    await context.sendActivity({ attachments: [handoffWaitingCard({ position: opened.position, estimate: aboutMinutes(opened.estimateMinutes) })] });
    return step.next();
  }

  /**
   * Keeps the answer to the synchronisation-window question for the rest of the window, so that a later request in
   * the same window is not asked again. It is kept in the state store beside the handoff records (through the desk),
   * keyed by the person and expiring with the window, rather than in this dialog's state, which ends with the dialog;
   * the store also survives restarts and is shared by every bot instance. A pressed card becomes a plain record of
   * the answer, so its buttons are not pressed twice.
   */
  private async rememberAnswer(context: TurnContext, answer: SyncAnswer, minutesLeft: number): Promise<void> {
    await this.deps.desk?.rememberSyncAnswer(personOf(context).id, answer, minutesLeft);
    if (submissionOf(context.activity)) {
      await replaceSubmittedCard(context, [submittedCard({ title: SOMETHING_ELSE, note: answer === "email" ? ANSWERED_ABOUT_EMAIL : ANSWERED_SOMETHING_ELSE })]);
    }
  }

  private async listenStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.prompt(PromptId.HandoffMessage, {});
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }

  /**
   * One message from the person while the request is open. True (the handoff is over) once the request has closed;
   * otherwise the message is passed on, or the identity check answered, and the relay keeps listening.
   */
  private async relay(prompt: PromptValidatorContext<Activity>): Promise<boolean> {
    const { context } = prompt;
    if (context.activity.type !== (ActivityTypes.Message as string)) return false;
    const record = await this.deps.desk?.openFor(personOf(context).id);
    if (!this.deps.desk || !record) {
      await context.sendActivity({ text: CHAT_ENDED, attachments: [mainHelpCard()] });
      return true;
    }
    const submission = submissionOf(context.activity);
    if (submission?.verb === Verb.AnswerChallenge) {
      await this.answer(context, this.deps.desk, record, submission);
      return false;
    }
    const text = submission ? "" : (context.activity.text ?? "").trim();
    if (!text) await context.sendActivity(TEXT_ONLY);
    else if (record.challenge && !record.challenge.result) await context.sendActivity(ANSWER_IN_THE_BOX);
    else if (looksLikeSecret(text)) await context.sendActivity(SECRET_NOT_RELAYED);
    else {
      await this.deps.desk.fromUser(record, text);
      if (record.status === "waiting") await context.sendActivity(stillWaiting(await this.deps.position?.(record.id)));
    }
    return false;
  }

  /** The identity check's answer goes to the desk only; the card is replaced so it does not stay on screen. */
  private async answer(context: TurnContext, desk: HandoffDesk, record: HandoffRecord, submission: CardSubmission): Promise<void> {
    const typed = cardText(submission, "answer", 200)?.trim();
    if (!typed) {
      await context.sendActivity(EMPTY_ANSWER);
      return;
    }
    // A texted code is often typed with a space or dash in the middle.
    const answer = record.challenge?.kind === "sms" ? typed.replace(/[\s-]/g, "") : typed;
    const outcome = await desk.answerChallenge(record, answer);
    // Teams says which card was pressed; the web chat does not, so the check's own card is the one to clear.
    if (!context.activity.replyToId && record.challenge?.cardActivityId) context.activity.replyToId = record.challenge.cardActivityId;
    await replaceSubmittedCard(context, [submittedCard({ title: "Answer sent", note: "What you typed has been checked and removed from this card." })]);
    await context.sendActivity(outcome === "no-challenge" ? NO_CHECK_WAITING : ANSWER_SENT);
  }

  private async leave(innerDc: DialogContext): Promise<DialogTurnResult> {
    const record = await this.deps.desk?.openFor(personOf(innerDc.context).id);
    if (record) {
      await this.deps.desk?.endByUser(record);
      await innerDc.context.sendActivity(record.status === "waiting" ? LEFT_QUEUE : LEFT_CHAT);
    } else {
      await innerDc.context.sendActivity({ text: CHAT_ENDED, attachments: [mainHelpCard()] });
    }
    return innerDc.cancelAllDialogs();
  }

  private async sayAlready(context: TurnContext, record: HandoffRecord): Promise<void> {
    await context.sendActivity(record.status === "active" ? ALREADY_CHATTING : alreadyWaiting(await this.deps.position?.(record.id)));
  }

  private async contact(step: WaterfallStepContext, reason: string): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [helpdeskContactCard({ reason, ...this.deps.contact })] });
    return step.endDialog();
  }
}

/**
 * Asks {@link SOMETHING_ELSE} with an Adaptive Card's Yes and No buttons (Action.Submit, which every Teams client and
 * the Agents Playground support, unlike the suggested actions of a ConfirmPrompt); a typed yes or no works too.
 */
class SomethingElsePrompt extends Prompt<boolean> {
  constructor(dialogId: string) {
    super(dialogId);
  }

  protected override async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const prompt = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (prompt) await context.sendActivity(prompt);
  }

  protected override onRecognize(context: TurnContext): Promise<PromptRecognizerResult<boolean>> {
    const verb = submissionOf(context.activity)?.verb;
    const text = verb ? undefined : context.activity.text;
    const answer = verb === Verb.HandoffSomethingElse || isOneOf(text, YES) ? true : verb === Verb.HandoffAboutEmail || isOneOf(text, NO) ? false : undefined;
    return Promise.resolve(answer === undefined ? { succeeded: false } : { succeeded: true, value: answer });
  }
}

/** The person of a turn, as the handoff records them. */
function personOf(context: TurnContext): HandoffParty {
  const { id, aadObjectId, name } = context.activity.from;
  return { id, ...(aadObjectId ? { aadObjectId } : {}), ...(name ? { name } : {}) };
}

/** The card submission of a turn, if it is one. */
function submissionOf(activity: Partial<Activity>): CardSubmission | undefined {
  const value: unknown = activity.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return typeof (value as { verb?: unknown }).verb === "string" ? (value as CardSubmission) : undefined;
}

/** True when redaction would remove a secret or a number (a password, a code) from the text, not just mask an address. */
export function looksLikeSecret(text: string): boolean {
  const redacted = redact(text);
  return [REMOVED, NUMBER_REMOVED].some((marker) => redacted.includes(marker) && !text.includes(marker));
}
