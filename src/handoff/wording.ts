/**
 * What the helpdesk handoff says, to the person and to the agents, spelled once so tests can assert the exact words.
 *
 * @packageDocumentation
 */

import type { ProactiveOutcome } from "../proactive/user-messenger";

/** The first word of a name, for friendly sentences ("Alex"); "The helpdesk" when there is none. */
export function firstName(name: string | undefined): string {
  return name?.trim().split(/\s+/)[0] || "The helpdesk";
}

// ---- To the person ----

/** Told to the person when an agent takes their request. */
export function agentJoined(agent: string | undefined): string {
  return `**${firstName(agent)}** from the helpdesk has joined the chat. Anything you type here now goes to them. Type **end** when you've finished.`;
}

/** An agent's reply, as the person sees it: clearly from the helpdesk, not from the bot. */
export function fromHelpdesk(agent: string | undefined, text: string): string {
  return `**Helpdesk (${firstName(agent)}):** ${text}`;
}

/** Told to the person when the agent ends the chat. */
export function agentEnded(agent: string | undefined): string {
  return `${firstName(agent)} from the helpdesk has ended the chat. You're back with the NHSmail helpdesk bot: type **help** to see what I can do.`;
}

/** Told to the person when nobody took their request in time (the helpdesk's contact card follows). */
export const NOBODY_FREE = "Sorry, nobody at the helpdesk was free to pick up your request in time. You can contact them directly:";

/** Said above the account-secret box. */
export function secretRequested(agent: string | undefined): string {
  return `${firstName(agent)} from the helpdesk needs to check it's you. Type your account secret in the box below, not in the chat. ${firstName(agent)} won't see it: they'll only be told whether it matched.`;
}

/** The prompt of the account-secret box. */
export const SECRET_PROMPT = "Your account secret (the word you chose when you first signed in)";

/** Said above the code box after a code was texted. */
export function codeRequested(agent: string | undefined, hint: string): string {
  return `${firstName(agent)} from the helpdesk needs to check it's you. I've texted a 6-digit code to ${hint}. Type it in the box below, not in the chat. ${firstName(agent)} won't see it: they'll only be told whether it matched.`;
}

/** The prompt of the code box. */
export function codePrompt(hint: string): string {
  return `The code I just texted to ${hint}`;
}

/** The text message carrying the helpdesk's code. */
export function helpdeskCodeText(code: string): string {
  return `Your NHSmail helpdesk code is ${code}. Type it into your Teams chat with the helpdesk bot. It expires in 5 minutes. Never read it out or share it with anyone.`;
}

/** The title of the card that takes the person back to the self-service reset. */
export function resetLinkTitle(agent: string | undefined): string {
  return `${firstName(agent)} from the helpdesk has checked it's you. Press **Reset my password** to choose a new password now.`;
}

/** Told to the person when the agent clears the block on their account. */
export function unlockedForPerson(agent: string | undefined): string {
  return `${firstName(agent)} from the helpdesk has lifted the block on your account, so you can try resetting your password again.`;
}

// ---- To the agents ----

/** Said to anyone but a member of the agents' channel who presses an agent's button or acts on a request. */
export const AGENTS_ONLY = "Only members of the helpdesk agents' channel can do that.";

/** Said to an agent who presses Take on a request another agent took first. */
export function alreadyTaken(agent: string | undefined): string {
  return `Already taken by ${agent ?? "another agent"}.`;
}

/** The bot's name in Teams, as agents type it to @mention the bot. */
export const BOT_NAME = "NHSmail helpdesk";

/**
 * What agents must do for the bot to see a reply. Teams gives a bot only the channel messages that @mention it until
 * a team owner grants the app's permission to read the team's channel messages (resource-specific consent); the
 * mention does no harm once it is granted, so the instruction stays.
 */
export const MENTION_ME = `@mention ${BOT_NAME} in your reply`;

/** Posted in the thread when an agent takes the request. */
export function takenNote(agent: string, person: string): string {
  return (
    `${agent} has taken this request. To talk to ${person}, reply in this thread and **${MENTION_ME}**: I only see replies that mention me ` +
    `unless a team owner has let the app read this channel's messages. Type **end** in a reply (mentioning me too), or press **End**, when you've finished.`
  );
}

/** Under the request card's status: what to do next, and how to be heard (empty once the request is closed). */
export function replyHint(person: string, status: "waiting" | "active" | "closed"): string {
  if (status === "waiting") return `Press **Take** to help ${person}, then reply in this card's thread and ${MENTION_ME}.`;
  if (status === "active") return `Reply in this card's thread to talk to ${person}, and ${MENTION_ME}.`;
  return "";
}

/** A message from the person, as the agent sees it in the thread. */
export function fromPerson(person: string, text: string, waiting: boolean): string {
  return `**${person}${waiting ? " (while waiting)" : ""}:** ${text}`;
}

/** Posted in the thread when the person leaves. */
export function personLeft(person: string): string {
  return `${person} has left the conversation.`;
}

/** Posted in the thread when the agent ends the conversation. */
export function agentClosed(agent: string, person: string): string {
  return `${agent} ended the conversation. ${person} is back with the bot.`;
}

/** Posted in the thread when nobody took the request in time. */
export function timedOutNote(minutes: number, person: string): string {
  return `Nobody took this request within ${minutes} minutes. ${person} was given the helpdesk's phone number and email address.`;
}

/** Posted above the outcome form once a taken request has ended. */
export const RECORD_OUTCOME = "Please record how this request ended.";

/** The result of an identity check, as the agent sees it: never the answer. */
export function identityResult(kind: "secret" | "sms", verified: boolean): string {
  return `Identity check (${kindWords(kind)}): ${verified ? "verified" : "not verified"}`;
}

/** How an identity check is named to agents. */
export function kindWords(kind: "secret" | "sms"): string {
  return kind === "secret" ? "account secret" : "text code";
}

/** Posted in the thread when the agent asks for the account secret. */
export function secretAsked(person: string): string {
  return `Asked ${person} for their account secret. You'll see here only whether it matched.`;
}

/** Posted in the thread when a code was texted. */
export function codeSent(person: string, hint: string): string {
  return `Texted a code to ${person}'s registered mobile (${hint}). You'll see here only whether they typed it correctly.`;
}

/** Said when the account has no account secret to check. */
export const NO_SECRET = "This account has no account secret set, so I can't check it that way. Try a text code instead.";
/** Said when the account has no registered mobile. */
export const NO_MOBILE = "This account has no registered mobile, so I can't text a code. Try the account secret instead.";
/** Said when the request names no account. */
export const NO_ACCOUNT = "I don't know which account this person is asking about, so I can't check who they are or change anything.";
/** Said when an action needs a verified identity first. */
export const VERIFY_FIRST =
  "Check who the person is first: ask for their account secret or text them a code. I can only do that once they're verified.";
/** Posted when the reset button was sent. */
export function resetLinkSent(person: string): string {
  return `Sent ${person} a button back to the self-service password reset.`;
}
/** Posted when the account's attempt limits were cleared. */
export const UNLOCKED = "Done: the attempt limits on this account are cleared, so the person can try again straight away.";
/** Posted when an outcome was recorded. */
export function outcomeRecorded(agent: string, outcome: string): string {
  return `Outcome recorded by ${agent}: ${outcome}`;
}

/** Said to an agent acting on a request another agent took. */
export function notYours(agent: string | undefined): string {
  return `${agent ?? "Another agent"} took this request, so only they can do that.`;
}
/** Said when an agent acts on a request nobody has taken yet. */
export const TAKE_FIRST = "Press **Take** on the request card first.";
/** Said when an agent acts on a request that has ended. */
export const ALREADY_ENDED = "This conversation has already ended.";
/** Said when a button names a request the bot no longer has. */
export const NO_SUCH_REQUEST = "I can't find that request any more.";
/** Said when the agent's message (or action) could not be delivered to the person: why, and what to do. */
export function notDelivered(person: string, why: Exclude<ProactiveOutcome["status"], "sent"> = "failed"): string {
  if (why === "failed") return `I couldn't pass that on to ${person}: Teams didn't accept it. Please try again in a moment.`;
  return (
    `I couldn't pass that on to ${person}: I can't reach their chat with me any more (they may have removed the app). ` +
    "Type **end** (or press **End**) to close the request, and contact them another way."
  );
}

// ---- Replies in a request's thread that are not passed on: always answered, so an agent never talks to no one ----

/** Said to a reply in the thread of a request nobody has taken yet. */
export function notRelayedWaiting(person: string): string {
  return `I didn't pass that on: nobody has taken this request yet. Press **Take** on the request card first, then reply here so I pass it on to ${person}.`;
}

/** Said to a reply in the thread of a request that has ended. */
export function notRelayedEnded(person: string): string {
  return `I didn't pass that on: this conversation with ${person} has already ended.`;
}

/** Said to a reply from an agent other than the one who took the request. */
export function notRelayedNotYours(person: string, agent: string | undefined): string {
  return `I didn't pass that on to ${person}: ${agent ?? "another agent"} took this request, so only their replies go to ${person}.`;
}

/** Said when an agent edits a reply in an open conversation: the person keeps what was first sent. */
export function editNotRelayed(person: string): string {
  return `I can't pass on edits: ${person} still sees your message as you first sent it. Send a new reply with the correction.`;
}

/** Said when an agent deletes a reply in an open conversation: it stays in the person's chat. */
export function deleteNotRelayed(person: string): string {
  return `I can't take back a message I've passed on: ${person} can still see it in their chat with me.`;
}

/** Said when the agent ended the conversation but the person could not be told. */
export function endNotDelivered(person: string): string {
  return `The conversation has ended, but I couldn't tell ${person}: Teams didn't accept the message. They'll find out when they next write to me.`;
}
/** Said when an agent sends something other than text in a request's thread. */
export const TEXT_ONLY = "Only text is passed on to the person.";
/** Posted in the agents' channel when the bot is added to its team. */
export const CHANNEL_READY =
  "Hello. When someone in a chat with me asks for a person, I'll post their request here as a card. Press **Take** to help them, then reply in the card's thread " +
  `and ${MENTION_ME}: I'll pass messages both ways.`;
/** Said to a message in the channel outside a request's thread. */
export const CHANNEL_HELP =
  `Requests for help appear in this channel as cards. Press **Take** on one to talk to that person, then reply in its thread and ${MENTION_ME}.`;
/** Said to a message in a channel other than the agents'. */
export const NOT_HERE = "I help people one to one: open a personal chat with me to reset a password or reach the helpdesk.";
/** Said when the account has had too many codes texted lately. */
export const TOO_MANY_CODES = "Too many codes have been texted to this account lately, so I can't send another now. Try the account secret instead.";
/** Said when a thread is not a request's. */
export const NOT_A_REQUEST_THREAD = "This thread isn't a help request, so I don't pass messages on from here.";
/** Said when the outcome form is incomplete. */
export const CHOOSE_OUTCOME = "Choose an outcome, then press Save.";
