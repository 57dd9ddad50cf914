/** What the person is told during a handoff, in one place so tests can assert the exact words. */

/** Said to a new user asking for the helpdesk while their account is still synchronising. */
export function syncWaitMessage(minutesLeft: number, readyAt: string): string {
  return (
    `Your account is still synchronising after you accepted the Acceptable Use Policy: ${aboutMinutes(minutesLeft)} left (until around ${readyAt}). ` +
    "Until then you can't send email — that's expected, and the helpdesk can't speed it up. " +
    "Please wait until then before contacting them about sending email; I'll message you when it should be working."
  );
}

/** Asked inside the synchronisation window, after explaining it. */
export const SOMETHING_ELSE = "Is it about something other than sending email?";
/** Said when the answer to {@link SOMETHING_ELSE} is not yes or no (the card is shown again). */
export const YES_OR_NO = "Please press **Yes, something else** or **No, it's about email** on the card (or type yes or no).";
/** What the question's card says once answered "yes". */
export const ANSWERED_SOMETHING_ELSE = "You said it's about something else, so I'm passing you to the helpdesk.";
/** What the question's card says once answered "no". */
export const ANSWERED_ABOUT_EMAIL = "You said it's about sending email, so it can wait until your account has synchronised.";
/** Said when it was about sending email after all. */
export const WAIT_FOR_SYNC = "OK. Please wait until then: I'll message you when email should be working. Type **help** if you need anything else.";
/** Above the contact card when the desk has nobody to pass the request to. */
export const NO_AGENTS = "Nobody from the helpdesk can chat here just now, but you can reach them by phone or email:";
/** Said to someone who asks for the helpdesk while already talking to it. */
export const ALREADY_CHATTING = "You're already talking to the helpdesk: type your message here, or type **end** to leave.";
/** Said when the helpdesk chat closed (by the agent, or because nobody was free) before the person's message. */
export const CHAT_ENDED = "Your conversation with the helpdesk has ended, so you're back with me. Here's what I can help with:";
/** Said when the person leaves the queue. */
export const LEFT_QUEUE = "OK, I've taken you out of the queue. You're back with me: type **help** to see what I can do.";
/** Said when the person ends the chat with the agent. */
export const LEFT_CHAT = "OK, I've ended your chat with the helpdesk. You're back with me: type **help** to see what I can do.";
/** Said when another journey is started while the handoff is open: the request is closed. */
export const CLOSED_FOR_OTHER = "I've closed your request to the helpdesk so that we can do this instead.";
/** Said when a message looks like it holds a password or code: it is not passed on. */
export const SECRET_NOT_RELAYED =
  "That looks like it might contain a password or a code, so I haven't passed it on. Please never type those in this chat: " +
  "the helpdesk will never ask for your password, and if they need to check it's you, I'll give you a box to type into.";
/** Said after an identity-check answer, whatever it came to: the helpdesk is told the outcome. */
export const ANSWER_SENT = "Thanks — I've checked your answer and let the helpdesk know.";
/** Said to an answer when no check is waiting for one (already answered, or withdrawn). */
export const NO_CHECK_WAITING = "There's no check waiting for an answer just now, so I haven't used that. The helpdesk will ask again if they need to.";
/** Said when the answer box was empty. */
export const EMPTY_ANSWER = "The box was empty. Please type your answer into the box on the card, then press **Send**.";
/** Said to anything but text (an old card's button, a file). */
/** Said to a chat message while the identity check's masked box is open: it may be the answer, so it is not passed on. */
export const ANSWER_IN_THE_BOX =
  "While the helpdesk is checking it's you, I don't pass on chat messages, in case one is your answer. Type your answer into the box on the card and press **Send**.";
export const TEXT_ONLY = "I can only pass on typed messages. Type your message here, or type **end** to leave.";

/** Said to someone who asks again while waiting. */
export function alreadyWaiting(position: number | undefined): string {
  const place = position ? ` You're number ${position}.` : "";
  return `You're already in the queue for the helpdesk.${place} I'll tell you when someone joins.`;
}

/** Said after a message was passed on while waiting. */
export function stillWaiting(position: number | undefined): string {
  const place = position ? `You're still number ${position} in the queue` : "You're still in the queue";
  return `I've passed that on. ${place}: I'll tell you when someone from the helpdesk joins.`;
}

/** "about 1 minute", "about 12 minutes". */
export function aboutMinutes(minutes: number): string {
  return minutes === 1 ? "about 1 minute" : `about ${minutes} minutes`;
}
