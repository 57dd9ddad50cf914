import { noteOnSpan } from "./telemetry/spans";
import { answerFailedTurn } from "./turn-errors";
import { randomUUID } from "node:crypto";
import type { Application } from "@microsoft/teams-ai";
import { HelpdeskApplication } from "./helpdesk-application";
import type { TeamsAdapter } from "@microsoft/teams-ai";
import { ActivityTypes } from "botbuilder";
import type { Storage, TurnContext } from "botbuilder";
import { DialogSet } from "botbuilder-dialogs";
import { Verb } from "../cards/verbs";
import type { GlobalVerb } from "../cards/verbs";
import { mainHelpCard, privateChatCard, restartResetCard, welcomeCard } from "../cards/render";
import { DialogId, SECRET_PROMPTS } from "../dialogs/ids";
import { ResetPasswordDialog } from "../dialogs/reset-password-dialog";
import { HandoffDialog } from "../dialogs/handoff-dialog";
import type { HandoffDependencies, HelpdeskContact } from "../dialogs/handoff-dialog";
import { AGENTS_ONLY } from "./handoff/wording";
import type { ResetServices } from "../dialogs/reset-services";
import { FirstLoginDialog } from "../dialogs/first-login-dialog";
import type { FirstLoginOptions } from "../dialogs/first-login-dialog";
import type { FirstLoginServices } from "../dialogs/first-login-services";
import { MAX_TEXT_CHARS, matchIntent } from "./intents";
import type { Intent } from "./intents";
import type { Logger } from "./logger";
import type { ProactiveHooks } from "./proactive";
import { activeJourneyOf, activePromptOf, bindTurnId, bindTurnState, ConversationTurnState, DialogStateAccessor, hasActiveDialog, turnLogOf, turnStateOf } from "./turn-state";
import type { HelpdeskTurnState } from "./turn-state";
import { appendTranscript } from "./handoff/transcript";
import { handoffOptionsOf, isAgentVerb, isGlobalVerb, isMessage, isPersonalMessage, isPrivate, taskOf, verbOf } from "./activity-facts";
import { WITHHELD, startTranscript, transcriptSoFar, turnLinesOf } from "./turn-transcript";
import { bindClientKey } from "../dialogs/reset-services";
import { WEB_CHANNEL, WEB_JOIN_EVENT } from "./webchat/web-channel";
import { PRESSES_NAME_NO_CARD } from "../dialogs/prompts/card-submit-prompt";

/** What the router needs; it holds no business rules of its own. */
export interface AppDependencies {
  adapter: TeamsAdapter;
  storage: Storage;
  logger: Logger;
  botAppId?: string;
  helpdesk: HelpdeskContact;
  /** The services the password reset uses. */
  reset: ResetServices;
  /** The services first login uses (a superset of `reset`); absent in tests that need only the reset. */
  firstLogin?: FirstLoginServices;
  /** Minutes left of the person's account synchronisation window, if they are inside it (the handoff explains the wait). */
  syncWindow?: HandoffDependencies["syncWindow"];
  /**
   * Claims an activity id; false when it was already claimed, i.e. Teams redelivered an activity (it retries after
   * 15 s without an answer). A redelivered activity is answered with nothing and changes nothing.
   */
  claimActivity: (key: string) => Promise<boolean>;
  /** Captures conversation references and delivers queued first-login cards; absent in tests that need neither. */
  proactive?: ProactiveHooks;
  /**
   * Handles what happens in the helpdesk agents' channel (Take, agent actions, replies in a request's thread) and
   * agent buttons pressed anywhere (refused outside the channel). Absent: no agents' queue.
   */
  agents?: { isFor(context: TurnContext): boolean; handle(context: TurnContext): Promise<void> };
  /**
   * The pseudonymous client key (its address) a web chat conversation was started from, if known: per-user limits
   * count it instead of the visitor's user id, which is new with every page load. Absent: no web chat.
   */
  webClientOf?: (conversationId: string) => Promise<string | undefined>;
  /** Keeps a redacted transcript of each personal chat (in its conversation state), for the helpdesk's request card. */
  keepTranscript?: boolean;
  /** The helpdesk desk and what the person's handoff needs; absent: "talk to a person" gives the helpdesk's details. */
  handoff?: Omit<HandoffDependencies, "contact" | "syncWindow" | "transcript">;
}

export { AGENTS_ONLY };

/** Said to unknown text, above the help card. */
export const NOT_UNDERSTOOD = "Sorry, I didn't understand that. Here's what I can help with:";
/** Said when a card button belongs to a journey that is no longer in progress. */
export const STALE_CARD = "That button belongs to a conversation that has finished. Here's what I can help with now:";
/** Said to a message with attachments (a picture, a file) and no words. */
export const ATTACHMENT_ONLY = "I can't open pictures or files, so I can't see what you sent. Type what you need in words, or choose one of these:";
/** Said to a message with nothing in it. */
export const EMPTY_MESSAGE = "That message reached me empty. Type what you need, or choose one of these:";
/** Said to "cancel" when nothing is in progress. */
export const NOTHING_TO_CANCEL = "There's nothing to cancel. Here's what I can help with:";
export { TURN_ERROR } from "./turn-errors";

/**
 * Said to a message longer than the bot reads. Made when first said: formatting a number for a locale loads ICU's
 * locale data, about 20 ms that every start would otherwise pay before listening.
 */
export const tooLong = (): string =>
  `That message is too long for me: please keep it under ${MAX_TEXT_CHARS.toLocaleString("en-GB")} characters. Nothing has been changed, so you can carry on where you were.`;
/** Said to input from someone other than the person whose journey is in progress. */
export const NOT_YOUR_JOURNEY =
  "Sorry, someone else started what's in progress in this chat, so only they can answer it. Nothing has been changed.";
/** Said with the card that moves a secret-bearing journey out of a group chat or channel. */
export const PRIVATE_ONLY = "I can only help with that in a private chat with me.";

/** Builds the teams-ai application: routes for installs, card verbs and text intents, and the dialog runner. */
export function createApp(deps: AppDependencies): Application<HelpdeskTurnState> {
  const app = new HelpdeskApplication<HelpdeskTurnState>({
    adapter: deps.adapter,
    botAppId: deps.botAppId ?? "",
    storage: deps.storage,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new ConversationTurnState(),
  });

  const dialogs = new DialogSet(new DialogStateAccessor());
  dialogs.add(new ResetPasswordDialog(deps.reset));
  dialogs.add(
    new HandoffDialog({
      contact: deps.helpdesk,
      syncWindow: deps.syncWindow,
      ...deps.handoff,
      // What was kept before this turn, and this turn so far (the request is often made in the words that ask for it).
      transcript: deps.keepTranscript ? (_conversationId, context) => Promise.resolve(transcriptSoFar(context)) : undefined,
    }),
  );
  if (deps.firstLogin) dialogs.add(new FirstLoginDialog(deps.firstLogin));

  const begin = async (context: TurnContext, dialogId: string, options?: object): Promise<void> => {
    turnStateOf(context).conversation.journeyOwner = ownerOf(context);
    await (await dialogs.createContext(context)).beginDialog(dialogId, options);
  };
  /** Whose turn this is: a pseudonym of the Entra object id, else of the channel's user id. */
  const ownerOf = (context: TurnContext): string => deps.reset.pseudonym(context.activity.from?.aadObjectId ?? context.activity.from?.id ?? "");
  const startFirstLogin = async (context: TurnContext, options: FirstLoginOptions): Promise<void> => {
    if (deps.firstLogin) await begin(context, DialogId.FirstLogin, options);
    else await showHelp(context);
  };
  const showHelp = async (context: TurnContext, text?: string): Promise<void> => {
    await context.sendActivity({ text, attachments: [mainHelpCard()] });
  };

  const intentHandlers: Record<Intent, (context: TurnContext) => Promise<void>> = {
    reset: (context) => begin(context, DialogId.ResetPassword),
    firstLogin: (context) => startFirstLogin(context, {}),
    handoff: (context) => begin(context, DialogId.Handoff, handoffOptionsOf(context)),
    help: (context) => showHelp(context),
    cancel: (context) => showHelp(context, NOTHING_TO_CANCEL),
  };
  const verbHandlers: Record<GlobalVerb, (context: TurnContext) => Promise<void>> = {
    [Verb.StartReset]: intentHandlers.reset,
    [Verb.StartFirstLogin]: (context) => startFirstLogin(context, { task: taskOf(context) }),
    [Verb.StartHandoff]: intentHandlers.handoff,
    [Verb.ShowHelp]: intentHandlers.help,
    [Verb.StartPasswordChange]: (context) => startFirstLogin(context, { changePassword: true }),
  };

  app.turn("beforeTurn", async (context, state) => {
    const { id, conversation } = context.activity;
    if (id && conversation?.id && !(await deps.claimActivity(`${conversation.id}|${id}`))) {
      turnLogOf(context, deps.logger).info("ignored a redelivered activity");
      return false;
    }
    bindTurnState(context, state);
    bindTurnId(context, context.activity.id ?? randomUUID());
    // Web Chat does not say which card a button was pressed on: the prompts then take their own card.
    if (context.activity.channelId === WEB_CHANNEL) context.turnState.set(PRESSES_NAME_NO_CARD, true);
    if (context.activity.channelId === WEB_CHANNEL && deps.webClientOf && conversation?.id) {
      const client = await deps.webClientOf(conversation.id);
      if (client) bindClientKey(context, client);
    }
    await deps.proactive?.beforeTurn(context);
    // Nothing said during a handoff is kept: the request took the transcript when it opened, and a person may type
    // their account secret in the chat when the agent checks who they are.
    if (deps.keepTranscript && isPersonalMessage(context) && activeJourneyOf(state) !== DialogId.Handoff) {
      startTranscript(context, SECRET_PROMPTS.has(activePromptOf(state) ?? ""));
    }
    // Only the shape of the turn is logged: never its text or card inputs, which may hold a secret.
    if (deps.logger.isLevelEnabled("debug")) {
      turnLogOf(context, deps.logger).debug({ type: context.activity.type, channelId: context.activity.channelId, verb: verbOf(context) }, "turn");
    }
    return true;
  });

  app.turn("afterTurn", async (context, state) => {
    if (!hasActiveDialog(state)) delete state.conversation.journeyOwner;
    const lines = turnLinesOf(context);
    if (lines && lines.length > 0) state.conversation.transcript = appendTranscript(state.conversation.transcript, lines);
    await deps.proactive?.afterTurn(context);
    return true;
  });

  // The agents' channel (any activity, the bot's install in the team included) and any agent button go to the
  // helpdesk desk, never to a person's journey; without a desk, an agent button is refused.
  app.activity(
    (context) => Promise.resolve(Boolean(deps.agents?.isFor(context)) || (context.activity.type === (ActivityTypes.Message as string) && isAgentVerb(context))),
    async (context) => {
      if (deps.agents) await deps.agents.handle(context);
      else await context.sendActivity(AGENTS_ONLY);
    },
  );

  const welcome = async (context: TurnContext): Promise<void> => {
    const name = context.activity.from?.name?.trim().split(/\s+/)[0];
    await context.sendActivity({ attachments: [welcomeCard({ greeting: name ? `Hello ${name}.` : "Hello." })] });
  };
  app.conversationUpdate("membersAdded", async (context) => {
    // On the web chat the page asks for the welcome itself (below), once the chat is on screen.
    if (context.activity.channelId !== WEB_CHANNEL && shouldWelcome(context)) await welcome(context);
  });
  app.activity(
    (context) => Promise.resolve(context.activity.type === (ActivityTypes.Event as string) && context.activity.name === WEB_JOIN_EVENT),
    welcome,
  );

  // Text longer than anything a person means for this bot is answered without reading it; the journey stays as it was.
  app.activity(
    (context) => Promise.resolve(isMessage(context) && (context.activity.text?.length ?? 0) > MAX_TEXT_CHARS),
    async (context) => void (await context.sendActivity(tooLong())),
  );

  // Every journey touches a secret (a password, a code, the account secret), so none runs in a group chat or channel:
  // the bot says so without naming any account and offers the personal chat. Nothing of a journey is kept there.
  app.activity(
    (context) => Promise.resolve(isMessage(context) && !isPrivate(context)),
    async (context, state) => {
      delete state.conversation.dialogState;
      delete state.conversation.journeyOwner;
      const link = deps.botAppId ? `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(deps.botAppId)}` : "";
      await context.sendActivity({ text: PRIVATE_ONLY, attachments: [privateChatCard({ link })] });
    },
  );

  // A journey belongs to the person who started it: anyone else's input is refused, audited, and changes nothing.
  app.activity(
    (context) => {
      const state = turnStateOf(context);
      const owner = state.conversation.journeyOwner;
      return Promise.resolve(isMessage(context) && hasActiveDialog(state) && owner !== undefined && owner !== ownerOf(context));
    },
    async (context) => {
      turnLogOf(context, deps.logger).warn("refused input from someone other than the journey's owner");
      await deps.reset.audit.record({ type: "journey.refused", outcome: "blocked", actor: ownerOf(context), detail: "not-the-owner", at: deps.reset.clock().toISOString() });
      await context.sendActivity(NOT_YOUR_JOURNEY);
    },
  );

  // A journey in progress gets every message first, except a button that starts another journey.
  app.activity(
    (context) => Promise.resolve(context.activity.type === (ActivityTypes.Message as string) && !isGlobalVerb(context) && hasActiveDialog(turnStateOf(context))),
    async (context) => {
      const dc = await dialogs.createContext(context);
      noteOnSpan({ dialog_id: activeJourneyOf(turnStateOf(context)) ?? "none" });
      await dc.continueDialog();
    },
  );

  // A start button replaces whatever journey was in progress; pressing "Reset my password" part-way through a reset
  // first asks whether to start again (the card's "Start again" says so in its data).
  for (const [verb, handler] of Object.entries(verbHandlers)) {
    app.adaptiveCards.actionSubmit(verb, async (context) => {
      const restart = (context.activity.value as { restart?: unknown } | undefined)?.restart === true;
      if (verb === Verb.StartReset && !restart && activeJourneyOf(turnStateOf(context)) === DialogId.ResetPassword) {
        await context.sendActivity({ attachments: [restartResetCard()] });
        return;
      }
      await (await dialogs.createContext(context)).cancelAllDialogs();
      await handler(context);
    });
  }
  app.activity(
    (context) => Promise.resolve(isMessage(context) && matchIntent(context.activity.text) !== undefined),
    async (context) => {
      const intent = matchIntent(context.activity.text);
      if (intent) await intentHandlers[intent](context);
    },
  );
  app.activity(ActivityTypes.Message, (context) => showHelp(context, fallbackText(context)));

  app.error(async (context, error) => {
    await answerFailedTurn(context, error, deps.logger, deps.helpdesk);
  });

  return app;
}

/** What to say above the help card to a message nothing else answered: what actually happened. */
function fallbackText(context: TurnContext): string {
  const { text, attachments } = context.activity;
  const value: unknown = context.activity.value;
  if (text?.trim()) return NOT_UNDERSTOOD;
  if (value !== undefined && value !== null) return STALE_CARD;
  return (attachments ?? []).length > 0 ? ATTACHMENT_ONLY : EMPTY_MESSAGE;
}

export { WITHHELD };

/** Welcome people in a personal chat; in a team or group chat, only when the bot itself has just been added. */
function shouldWelcome(context: TurnContext): boolean {
  const { membersAdded = [], recipient, conversation } = context.activity;
  if (conversation?.conversationType === "channel" || conversation?.conversationType === "groupChat") {
    return membersAdded.some((m) => m.id === recipient.id);
  }
  return membersAdded.length > 0;
}
