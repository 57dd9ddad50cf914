/** The things a person can ask for in plain words. */
export type Intent = "reset" | "firstLogin" | "handoff" | "help" | "cancel";

/**
 * The longest message the bot reads. Anything longer gets a short answer at the edge (see `app.ts`) without any
 * matching; no message a person means for this bot comes near it.
 */
export const MAX_TEXT_CHARS = 2000;

/**
 * A message as a whole, for commands that must be the whole message ("cancel", "help"): lower case, white space
 * collapsed, trailing full stops and exclamation marks dropped. Runs in time linear in the text's length.
 */
export function wholeMessage(text: string): string {
  let phrase = text.trim().toLowerCase().replace(/\u2019/g, "'").split(/\s+/).join(" ");
  let end = phrase.length;
  while (end > 0 && (phrase[end - 1] === "." || phrase[end - 1] === "!")) end--;
  phrase = phrase.slice(0, end).trimEnd();
  return phrase;
}

/** True when the whole message is one of `phrases` (see {@link wholeMessage}). */
export function isOneOf(text: string | undefined, phrases: ReadonlySet<string>): boolean {
  return text !== undefined && text.length <= MAX_TEXT_CHARS && phrases.has(wholeMessage(text));
}

/** The words of a message, lower case, apostrophes kept ("can't"). Linear in the text's length. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/\u2019/g, "'").match(/[a-z0-9']+/g) ?? [];
}

/** One place in a phrase: the words that fit it, and whether it may be left out. */
interface Slot {
  words: ReadonlySet<string>;
  optional: boolean;
}

/** A phrase written as space-separated slots: `talk|speak to|with the?` (a trailing ? makes a slot optional). */
function phrase(spec: string): Slot[] {
  return spec.split(" ").map((slot) => ({ words: new Set(slot.replace(/\?$/, "").split("|")), optional: slot.endsWith("?") }));
}

function matchesAt(words: readonly string[], at: number, slots: readonly Slot[], slot: number): boolean {
  if (slot === slots.length) return true;
  const current = slots[slot];
  if (at < words.length && current.words.has(words[at]) && matchesAt(words, at + 1, slots, slot + 1)) return true;
  return current.optional && matchesAt(words, at, slots, slot + 1);
}

/** True when the words contain one of the phrases. Linear in the number of words (phrases are short and fixed). */
function containsPhrase(words: readonly string[], phrases: readonly Slot[][]): boolean {
  return phrases.some((slots) => words.some((_, at) => matchesAt(words, at, slots, 0)));
}

/** True when a word of `first` comes before a word of `then`, anywhere in the message. */
function before(words: readonly string[], first: ReadonlySet<string>, then: ReadonlySet<string>): boolean {
  let seen = false;
  for (const word of words) {
    if (seen && then.has(word)) return true;
    if (first.has(word)) seen = true;
  }
  return false;
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);

const CANCEL = set("cancel", "stop", "quit", "exit", "never mind", "nevermind");
const HELP = set("help", "?", "menu", "what can you do", "what can you do?", "options");
const HELPDESK_ALONE = set(...["helpdesk", "help desk", "service desk", "human", "agent", "a person"].flatMap((w) => [w, `the ${w}`]));
const HANDOFF = [
  phrase("talk|speak|chat to|with a|an|the? real? person|human|agent|someone|somebody|helpdesk"),
  phrase("talk|speak|chat to|with a|an|the? real? help|service desk"),
];
const FIRST_LOGIN = [
  phrase("i'm|im new"),
  phrase("i'm|im a new"),
  phrase("i am a? new"),
  phrase("new user|starter|account|mailbox"),
  phrase("first time? log|sign in"),
  phrase("first time? login|signin|logon"),
  phrase("temporary password"),
];
const PASSWORD = set("password");
const RESET_VERBS = set("forgot", "forgotten", "forget", "reset", "lost", "expired", "change");
const RESET_AFTER = set("reset", "expired", "forgot", "forgotten");
const CANT_SIGN_IN = [phrase("locked out"), phrase("can't|cant|cannot log|sign in"), phrase("can't|cant|cannot login|signin")];

/**
 * The intent a message expresses, or undefined when it expresses none. "cancel" and "help" must be the whole
 * message, so that inside a flow an answer that merely contains those words is not taken as a command. Matching works
 * on words, not backtracking patterns, so its cost is linear in the message; text over {@link MAX_TEXT_CHARS} is not
 * read at all.
 */
export function matchIntent(text: string | undefined): Intent | undefined {
  if (!text || text.length > MAX_TEXT_CHARS) return undefined;
  const whole = wholeMessage(text);
  if (CANCEL.has(whole)) return "cancel";
  if (HELP.has(whole)) return "help";
  const words = wordsOf(text);
  if (HELPDESK_ALONE.has(whole) || containsPhrase(words, HANDOFF)) return "handoff";
  if (containsPhrase(words, FIRST_LOGIN)) return "firstLogin";
  if (before(words, RESET_VERBS, PASSWORD) || before(words, PASSWORD, RESET_AFTER) || containsPhrase(words, CANT_SIGN_IN)) return "reset";
  return undefined;
}

/** A route selector for one intent (teams-ai tries routes in order; the first that matches runs). */
export function intentSelector(intent: Intent): (text: string | undefined) => boolean {
  return (text) => matchIntent(text) === intent;
}

/** Every intent, in the order they are tried. */
export const INTENTS: readonly Intent[] = ["cancel", "help", "handoff", "firstLogin", "reset"];
