import type { TranscriptLine } from "./handoff/ports";
import { TurnState } from "@microsoft/teams-ai";
import type { StatePropertyAccessor, TurnContext } from "botbuilder";
import type { DialogState } from "botbuilder-dialogs";
import type { Logger } from "./logger";

/** What the bot keeps for a conversation between turns. */
export interface HelpdeskConversationState {
  /** The botbuilder-dialogs stack of the journey in progress. */
  dialogState?: DialogState;
  /** The latest lines of the chat, redacted, for a helpdesk request (see `src/handoff/transcript.ts`). */
  transcript?: TranscriptLine[];
  /** A pseudonym of the person who started the journey in progress; nobody else's input reaches it. */
  journeyOwner?: string;
}

/** The teams-ai turn state the bot uses. */
export type HelpdeskTurnState = TurnState<HelpdeskConversationState>;

/**
 * teams-ai's turn state with the conversation scope only. The bot keeps nothing per user in turn state (what it knows
 * of a person lives in the directory and the links), so the user scope teams-ai would read every turn is left out:
 * each turn reads one storage item instead of two.
 */
export class ConversationTurnState extends TurnState<HelpdeskConversationState> {
  /** Never read or written to storage: teams-ai looks here every turn for a sign-in in progress, which the bot never starts. */
  private readonly unsavedUser: Record<string, unknown> = {};

  protected override async onComputeStorageKeys(context: TurnContext): Promise<Record<string, string>> {
    const { conversation } = await super.onComputeStorageKeys(context);
    return { conversation };
  }

  override get user(): Record<string, unknown> {
    return this.unsavedUser;
  }

  override set user(_value: Record<string, unknown>) {
    throw new Error("The bot keeps nothing per user in turn state.");
  }
}

const TURN_STATE = Symbol("helpdesk.turnState");
const TURN_LOG = Symbol("helpdesk.turnLog");
const TURN_ID = Symbol("helpdesk.turnId");

/** Makes the loaded turn state reachable from the turn context, for accessors that only get the context. */
export function bindTurnState(context: TurnContext, state: HelpdeskTurnState): void {
  context.turnState.set(TURN_STATE, state);
}

/** The turn state bound by {@link bindTurnState}; throws if the turn has none (a wiring mistake). */
export function turnStateOf(context: TurnContext): HelpdeskTurnState {
  const state = context.turnState.get<HelpdeskTurnState | undefined>(TURN_STATE);
  if (!state) throw new Error("No turn state is bound to this turn");
  return state;
}

/** Keeps the turn's id on the context; its logger is made only when something is logged. */
export function bindTurnId(context: TurnContext, turnId: string): void {
  context.turnState.set(TURN_ID, turnId);
}

/** A logger carrying the turn's id (the activity id when no id was bound). */
export function turnLogOf(context: TurnContext, logger: Logger): Logger {
  let log = context.turnState.get<Logger | undefined>(TURN_LOG);
  if (!log) {
    const turnId = context.turnState.get<string | undefined>(TURN_ID) ?? context.activity.id;
    context.turnState.set(TURN_LOG, (log = logger.child({ turnId })));
  }
  return log;
}

/**
 * The dialog stack, read from and written to the teams-ai conversation scope of the current turn, so the dialogs
 * are saved with the rest of the turn state in one write (one eTag check) at the end of the turn.
 */
export class DialogStateAccessor implements StatePropertyAccessor<DialogState> {
  get(context: TurnContext): Promise<DialogState | undefined>;
  get(context: TurnContext, defaultValue: DialogState): Promise<DialogState>;
  get(context: TurnContext, defaultValue?: DialogState): Promise<DialogState | undefined> {
    const conversation = turnStateOf(context).conversation;
    if (conversation.dialogState === undefined && defaultValue !== undefined) {
      conversation.dialogState = structuredClone(defaultValue);
    }
    return Promise.resolve(conversation.dialogState);
  }

  set(context: TurnContext, value: DialogState): Promise<void> {
    turnStateOf(context).conversation.dialogState = value;
    return Promise.resolve();
  }

  delete(context: TurnContext): Promise<void> {
    delete turnStateOf(context).conversation.dialogState;
    return Promise.resolve();
  }
}

/** True when a journey is in progress in this conversation. */
export function hasActiveDialog(state: HelpdeskTurnState): boolean {
  return (state.conversation.dialogState?.dialogStack.length ?? 0) > 0;
}

/** The id of the innermost dialog that is waiting for an answer (usually a prompt), if any. */
export function activePromptOf(state: HelpdeskTurnState): string | undefined {
  let stack = state.conversation.dialogState?.dialogStack;
  let id: string | undefined;
  // A component dialog keeps its own stack in its state; the active dialog of each stack is its last entry.
  for (let depth = 0; stack && stack.length > 0 && depth < 16; depth++) {
    const active = stack[stack.length - 1] as { id: string; state?: { dialogs?: { dialogStack?: typeof stack } } };
    id = active.id;
    stack = active.state?.dialogs?.dialogStack;
  }
  return id;
}

/** The id of the journey in progress (the bottom of the dialog stack), if any. */
export function activeJourneyOf(state: HelpdeskTurnState): string | undefined {
  return state.conversation.dialogState?.dialogStack[0]?.id;
}
