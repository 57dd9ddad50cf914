/**
 * Handing a conversation to a helpdesk agent in Teams: the records in the state store, transcript redaction and the
 * transcript recorder, and the ports the desk and dialogs use.
 *
 * @packageDocumentation
 */
export * from "./ports";
export { StoreHandoffs } from "./store";
export type { StoreHandoffsOptions } from "./store";
export { MAX_REDACTED_LENGTH, NUMBER_REMOVED, REMOVED, maskEmail, redact } from "./redact";
export { appendTranscript, TRANSCRIPT_LIMIT } from "./transcript";
export type { TranscriptInput } from "./transcript";
