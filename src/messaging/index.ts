/**
 * Messages to people (texts, voice calls, emails): the port, the development outbox and GOV.UK Notify.
 *
 * @packageDocumentation
 */
export { MessageNotSentError } from "./message-sender";
export type { MessageChannel, MessageSender, NotSentReason, OutboundMessage } from "./message-sender";
export { OutboxSender } from "./outbox-sender";
export { BackgroundSender } from "./background-sender";
export type { OutboxLine, OutboxSenderOptions } from "./outbox-sender";
