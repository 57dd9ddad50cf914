/**
 * Messages to people (texts, voice calls, emails): the port and the development outbox.
 *
 * @packageDocumentation
 */
export type { MessageSender, OutboundMessage } from "./message-sender";
export { OutboxSender } from "./outbox-sender";
export { BackgroundSender } from "./background-sender";
export type { OutboxLine, OutboxSenderOptions } from "./outbox-sender";
