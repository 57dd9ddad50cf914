import type { TranscriptLine } from "./ports";
import { redact } from "./redact";

/** Lines kept per conversation: the latest. */
export const TRANSCRIPT_LIMIT = 20;

/** A line to add: `at` defaults to now. */
export type TranscriptInput = Omit<TranscriptLine, "at"> & { at?: string };

/**
 * The conversation's transcript with a turn's lines added, each redacted first (see {@link redact}: no password,
 * code, secret or phone digits but the last two), keeping the latest {@link TRANSCRIPT_LIMIT}. The transcript lives in
 * the conversation's own state, which is read and written on every turn anyway, so keeping it costs no extra store
 * round trip; a helpdesk agent taking over sees what went before.
 */
export function appendTranscript(existing: readonly TranscriptLine[] | undefined, lines: readonly TranscriptInput[], now: () => Date = () => new Date()): TranscriptLine[] {
  const added = lines.map((line): TranscriptLine => ({ from: line.from, text: redact(line.text), at: line.at ?? now().toISOString() }));
  return [...(existing ?? []), ...added].slice(-TRANSCRIPT_LIMIT);
}
