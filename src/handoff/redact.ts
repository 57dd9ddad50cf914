/**
 * Redaction of free text before it is kept or shown to a helpdesk agent (handoff transcripts, relayed requests).
 *
 * Conservative by design: a false alarm costs a word, a miss leaks a secret. What goes:
 * - text after "password is", "code:", "my secret was"… (to the end of the line), unless it is plainly ordinary
 *   words ("my password is not working", "your account secret is set.");
 * - any word of 8+ characters mixing letters with digits or symbols (Harbour-Lantern-58, P@ssw0rd!), and base32
 *   keys (16+ of A–Z, 2–7, also in groups of four);
 * - UK phone numbers in any form, except their last two digits (`*****18`);
 * - any other run of 4+ digits, spaces and dashes between them included (codes, account numbers);
 * - the local part of email addresses, but for the first letter of each piece (j***.s***@nhs.net).
 * The result is at most {@link MAX_REDACTED_LENGTH} characters, and redacting it again changes nothing.
 *
 * The bot's own sentences ({@link RedactOptions.author} "bot") are its constant wording, never a secret (codes go by
 * text message, passwords and secrets into masked boxes), so for them the "password is …" rule is skipped and
 * markdown emphasis ("press **Next**") is read as formatting; every other rule still applies to them.
 *
 * @packageDocumentation
 */

/** Longest redacted text, in characters; longer text is cut and ends with "…". */
export const MAX_REDACTED_LENGTH = 300;
/** What stands for a removed secret. */
export const REMOVED = "[removed]";
/** What stands for a removed number. */
export const NUMBER_REMOVED = "[number removed]";

/** Who wrote the text: a person (the default, judged strictly) or the bot itself. */
export interface RedactOptions {
  author?: "person" | "bot";
}

/** Only this much input is looked at: enough to fill the result, and it bounds the work on hostile input. */
const MAX_INPUT = 1000;

/** Replacements are held out of the text as private-use markers, so later rules neither see nor re-redact them. */
const HELD_OPEN = "\uE000";
const HELD_CLOSE = "\uE001";
const HELD_BASE = 0xe100;
const HELD = /\uE000([\uE100-\uF8FF])\uE001/gu;

/** Control characters (but tab and newline), zero-width and direction marks: they could hide a secret from the rules. */
const INVISIBLE = /[^\P{Cc}\t\n]|[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]|[\uE000-\uF8FF]/gu;

// The local part starts with a letter or digit, so markdown bold around "**@nhs.net**" is not taken for an address;
// '*' may follow, so a masked address (j***.s***@nhs.net) stays as it is.
const EMAIL = /[\p{L}\p{N}][\p{L}\p{N}._%+'*-]*@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** What names a secret. */
const SECRET_WORDS = [
  "pass ?words?",
  "passcodes?",
  "passphrases?",
  "pwd",
  "pins?(?: numbers?)?",
  "secrets?",
  "codes?",
  "otps?",
  "(?:secret|recovery|security) keys?",
].join("|");
/**
 * "password is …", "code: …", "my password for email was …", "password's …": the name, up to three words, a verb
 * or a colon, then the rest of the line.
 */
const PHRASE = new RegExp(
  `(\\b(?:${SECRET_WORDS})(?:\\s+[\\p{L}'’]+){0,3}?(?:\\s*(?:(?:is|was|are|were|will be|should be|would be)\\b|[:=])|['’]s\\b)[ \\t]*)([^\\n]*)`,
  "giu",
);

/**
 * Words that, alone, make the rest of a phrase plainly not a secret ("my password is not working"). A password made
 * only of these would slip through; the trade keeps helpdesk sentences readable.
 */
const ORDINARY = new Set(
  (
    "a about again already also always an and any anymore apparently arriving asked asking at been being blank blocked broken " +
    "but case change changed changing coming confusing correct definitely different disabled do does doesnt dont empty " +
    "expired expiring fine for forgotten from gone help here how i in incorrect invalid isnt it its just locked long longer " +
    "lost me missing more my needed never new no not nothing now ok okay old on or please probably recognised recognized " +
    "rejected required reset right same says sensitive sent short still that the there this through to too unknown " +
    "valid wasnt way what when where which why with working wrong yet " +
    // What a setting's state is: "your account secret is set", "my password was saved".
    "accepted checked cleared done fixed kept matched open ready saved set sorted stored unchanged unlocked updated verified"
  ).split(" "),
);

/**
 * Base32 written in groups of four, as authenticator set-up pages show it; in lower case only with a digit, since
 * four-letter words are common ("from", "that").
 */
const SPACED_BASE32 = [/\b[A-Z2-7]{4}(?:[ -][A-Z2-7]{4}){3,}\b/gu, /\b[a-z2-7]{4}(?:[ -][a-z2-7]{4}){3,}\b/gu];
const BASE32_RUN = /[A-Z2-7]{16,}/u;
/** A "word": a run without spaces or held markers. */
const WORD = /[^\s\uE000-\uF8FF]+/gu;
/** NHSmail's own domains, which the bot names in its questions ("your **@nhs.net** address"): never a secret. */
const SERVICE_DOMAIN = /^[*_]*(?:https?:\/\/)?@?(?:(?:portal|support)\.)?nhs\.net[*_]*$/iu;
/** Markdown emphasis around a word of the bot's ("**Next**", "_optional_"): formatting, not part of the word. */
const EMPHASIS = /^[*_~`]+|[*_~`]+$/gu;
/** Stripped from a word's ends before judging what it mixes (sentence punctuation). */
const EDGE_PUNCTUATION = /^[.,!?;:"'’‘“”()[\]{}<>…]+|[.,!?;:"'’‘“”()[\]{}<>…]+$/gu;
/** Sentence punctuation around a word, not counted in its length. */
const SENTENCE_EDGES = /^[("'‘“[]+|[.,;:"'’”)\]]+$/gu;
/** Digits with at most three spaces, dashes or brackets between them, and an optional leading +. */
const DIGITS = /(?:\+[ \t]?)?\(?\d(?:[ \t()-]{0,3}\d)*/gu;

/**
 * Masks an email address's local part, keeping the first character of each dot-, dash-, plus- or underscore-separated
 * piece and the whole domain: "jane.smith@nhs.net" → "j***.s***@nhs.net". Masking a masked address changes nothing.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = at < 0 ? email : email.slice(0, at);
  const domain = at < 0 ? "" : email.slice(at);
  const masked = local
    .split(/([._+-])/u)
    .map((piece, index) => (index % 2 === 1 || piece === "" ? piece : `${[...piece][0]}***`))
    .join("");
  return masked + domain;
}

/**
 * Removes passwords, codes, secrets and phone digits (but the last two) from free text, and masks email addresses;
 * see the module comment for the rules. Everyday sentences come out unchanged.
 */
export function redact(text: string, options: RedactOptions = {}): string {
  const byBot = options.author === "bot";
  const held: string[] = [];
  const hold = (shown: string): string => {
    held.push(shown);
    return HELD_OPEN + String.fromCharCode(HELD_BASE + held.length - 1) + HELD_CLOSE;
  };
  let out = [...text.replace(/\r\n?/gu, "\n").replace(INVISIBLE, "")].slice(0, MAX_INPUT).join("");
  out = out.replace(EMAIL, (email) => hold(maskEmail(email)));
  if (!byBot) out = out.replace(PHRASE, (whole, lead: string, rest: string) => (isOrdinary(rest) ? whole : lead + hold(REMOVED)));
  for (const groups of SPACED_BASE32) out = out.replace(groups, (run) => (/[2-7]/u.test(run) || run === run.toUpperCase() ? hold(REMOVED) : run));
  out = out.replace(WORD, (word) => {
    const judged = byBot ? word.replace(EDGE_PUNCTUATION, "").replace(EMPHASIS, "") : word;
    return !SERVICE_DOMAIN.test(word.replace(EDGE_PUNCTUATION, "")) && looksSecret(judged) ? hold(REMOVED) : word;
  });
  out = out.replace(DIGITS, (run) => {
    const phone = maskPhone(run);
    if (phone !== undefined) return hold(phone);
    return run.replace(/\D/gu, "").length >= 4 ? hold(NUMBER_REMOVED) : run;
  });
  out = out.replace(HELD, (_marker, index: string) => held[index.charCodeAt(0) - HELD_BASE] ?? "");
  const chars = [...out];
  return chars.length > MAX_REDACTED_LENGTH ? `${chars.slice(0, MAX_REDACTED_LENGTH - 1).join("")}…` : out;
}

/** True when what follows "password is" is only punctuation and {@link ORDINARY} words (held markers are safe). */
function isOrdinary(rest: string): boolean {
  const words = rest
    .replace(/\uE000[\uE100-\uF8FF]\uE001/gu, " ")
    .toLowerCase()
    .replace(/['’]/gu, "")
    .split(/[\s.,!?;:"“”()…-]+/u)
    .filter(Boolean);
  return words.every((word) => ORDINARY.has(word));
}

/**
 * 8+ characters mixing letters with digits or symbols (hyphens and apostrophes join words), or a base32 run. The
 * length leaves out sentence punctuation around the word ("10:30am," is 7) but counts a trailing "!" or "?", which a
 * password may end with ("Summer1!" is 8); what the word mixes is judged without any of it ("Thanks!!" is letters).
 */
function looksSecret(word: string): boolean {
  const core = word.replace(EDGE_PUNCTUATION, "");
  if (BASE32_RUN.test(core)) return true;
  if ([...word.replace(SENTENCE_EDGES, "")].length < 8) return false;
  return /\p{L}/u.test(core) && /[^\p{L}\p{M}'’-]/u.test(core);
}

/**
 * `*****` and the last two digits when the run is a UK phone number (+44, 0044, 44, (0) or 0 before a 9- or 10-digit
 * national number, or a bare 10-digit mobile starting with 7); otherwise undefined.
 */
function maskPhone(run: string): string | undefined {
  const digits = run.replace(/\D/gu, "");
  const international = /^(?:\+|00)/u.test(run.replace(/[\s(]/gu, "")) || digits.startsWith("44");
  let national: string | undefined;
  if (international && /^(?:00)?44/u.test(digits)) national = digits.replace(/^(?:00)?44/u, "").replace(/^0/u, "");
  else if (digits.startsWith("0")) national = digits.slice(1);
  else if (/^7\d{9}$/u.test(digits)) national = digits;
  if (national === undefined || national.length < 9 || national.length > 10) return undefined;
  return `*****${digits.slice(-2)}`;
}
