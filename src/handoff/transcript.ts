import { Verb } from "../../cards/verbs";
import type { TranscriptLine } from "./ports";
import { redact } from "./redact";
import { RecentMemory } from "../state/recent-memory";

/** Lines kept per conversation: the latest. */
export const TRANSCRIPT_LIMIT = 20;

/**
 * The bot's lines redacted before: it says the same few sentences and card titles over and over, so each is redacted
 * once (the newest 500 kept, each for an hour). A person's lines are never remembered.
 */
const botLines = new RecentMemory<string>(60 * 60 * 1000, 500);

/** A line to add: `at` defaults to now. */
export type TranscriptInput = Omit<TranscriptLine, "at"> & { at?: string };

/** Who wrote a transcript line, for {@link redact}: the bot's own sentences are judged as the bot's. */
export function authorOf(line: Pick<TranscriptLine, "from">): "person" | "bot" {
  return line.from === "bot" ? "bot" : "person";
}

/**
 * The conversation's transcript with a turn's lines added, each redacted first (see {@link redact}: no password,
 * code, secret or phone digits but the last two), keeping the latest {@link TRANSCRIPT_LIMIT}. The transcript lives in
 * the conversation's own state, which is read and written on every turn anyway, so keeping it costs no extra store
 * round trip; a helpdesk agent taking over sees what went before.
 */
export function appendTranscript(existing: readonly TranscriptLine[] | undefined, lines: readonly TranscriptInput[], now: () => Date = () => new Date()): TranscriptLine[] {
  const added = lines.map((line): TranscriptLine => ({ from: line.from, text: redactLine(line), at: line.at ?? now().toISOString() }));
  return [...(existing ?? []), ...added].slice(-TRANSCRIPT_LIMIT);
}

function redactLine(line: TranscriptInput): string {
  if (authorOf(line) !== "bot") return redact(line.text);
  const known = botLines.get(line.text);
  if (known !== undefined) return known;
  const redacted = redact(line.text, { author: "bot" });
  botLines.set(line.text, redacted);
  return redacted;
}

/** A button's words; for a button whose data names a choice, the words for each choice (by that field) and otherwise. */
type ButtonWords = string | { field: string; choices: Readonly<Record<string, string>>; otherwise: string };

/**
 * What each button a person can press says, as the agent reading the transcript should see it: the button's title,
 * with what it was about where the title alone says little ("Next (the picture's characters)"). Only the verb and a
 * choice the card itself offered are read, never what was typed into the card. A verb without words here is
 * recorded as "(pressed a button)".
 */
export const PRESSED_WORDS: Readonly<Partial<Record<Verb, ButtonWords>>> = {
  [Verb.StartReset]: "Reset my password",
  [Verb.StartFirstLogin]: {
    field: "task",
    choices: {
      password: "Change it now (the temporary password)",
      aup: "Read and accept (the Acceptable Use Policy)",
      profile: "Update my profile",
      mfa: "Set up MFA",
    },
    otherwise: "I'm a new user",
  },
  [Verb.StartHandoff]: "Talk to the helpdesk",
  [Verb.ShowHelp]: "Back to the start",
  [Verb.SubmitCaptcha]: "Next (the picture's characters)",
  [Verb.RefreshCaptcha]: "New image",
  [Verb.ChooseMethod]: {
    field: "method",
    choices: { sms: "Send a text to my mobile phone", voice: "Call my mobile phone", app: "Enter a code from my authenticator app" },
    otherwise: "One of the ways to prove who I am",
  },
  [Verb.SubmitCode]: "Next (a code)",
  [Verb.ResendCode]: "Send a new code",
  [Verb.SubmitNewPassword]: "Finish (a new password)",
  [Verb.CancelJourney]: "Cancel",
  [Verb.ContinueJourney]: "Carry on where I was",
  [Verb.StartPasswordChange]: "Change my password now",
  [Verb.SubmitSignIn]: "Sign in",
  [Verb.SubmitPasswordChange]: "Change password",
  [Verb.AcceptAup]: "Accept (the Acceptable Use Policy)",
  [Verb.DeferAup]: "Not now (the Acceptable Use Policy)",
  [Verb.SubmitProfile]: "Save (the profile)",
  [Verb.ChooseMfaMethod]: {
    field: "method",
    choices: { app: "Authenticator app (for MFA)", sms: "Text message to my mobile (for MFA)" },
    otherwise: "One of the ways to set up MFA",
  },
  [Verb.AnswerChallenge]: "Send (an answer to the helpdesk's check)",
  [Verb.LeaveHandoff]: "Leave the queue",
  [Verb.HandoffSomethingElse]: "Yes, something else (not sending email)",
  [Verb.HandoffAboutEmail]: "No, it's about email",
};

/** Recorded for a press on a button {@link PRESSED_WORDS} has no words for. */
export const PRESSED_A_BUTTON = "(pressed a button)";

/** The transcript line for a press on a card button: "(pressed: Send a text to my mobile phone)". */
export function pressedLine(verb: string, value: unknown): string {
  const words = (PRESSED_WORDS as Readonly<Record<string, ButtonWords | undefined>>)[verb];
  if (words === undefined) return PRESSED_A_BUTTON;
  if (typeof words === "string") return `(pressed: ${words})`;
  const chosen: unknown = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[words.field] : undefined;
  const choice = typeof chosen === "string" && Object.hasOwn(words.choices, chosen) ? words.choices[chosen] : words.otherwise;
  return `(pressed: ${choice})`;
}
