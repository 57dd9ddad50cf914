/** How a message reaches a person: a text, a voice call that reads the text aloud, or an email. */
export type MessageChannel = "sms" | "voice" | "email";

/** A message to a person. */
export interface OutboundMessage {
  channel: MessageChannel;
  /** E.164 phone number or email address. */
  to: string;
  text: string;
  /** For email. */
  subject?: string;
  /** An id with no personal data (the audit event id), passed to the provider so a message can be traced. */
  reference?: string;
}

/** Sends messages: the development outbox, or GOV.UK Notify. */
export interface MessageSender {
  /** The channels this sender can deliver; a message on another channel is refused with MessageNotSentError("refused"). */
  readonly channels: ReadonlySet<MessageChannel>;
  /** Resolves once the provider has accepted the message; rejects with {@link MessageNotSentError} when it has not. */
  send(message: OutboundMessage): Promise<void>;
}

/**
 * Why a message was not sent.
 *
 * - `refused`: the provider said no (400/403, or a channel it cannot deliver) — sending again will not help;
 * - `unavailable`: the provider could not be reached or kept throttling — nothing was sent;
 * - `uncertain`: a timeout or a 5xx — the message may have gone, so it is not retried.
 */
export type NotSentReason = "refused" | "unavailable" | "uncertain";

/**
 * A message the provider did not take. Its message names the reason, the provider's code and the HTTP status only:
 * never the recipient or the text, so it is safe to log.
 */
export class MessageNotSentError extends Error {
  /**
   * @param reason - see {@link NotSentReason}
   * @param providerCode - the provider's name for the error (such as `BadRequestError`), or ours (such as `no-voice`)
   * @param status - the provider's HTTP status, when it answered
   */
  constructor(
    readonly reason: NotSentReason,
    readonly providerCode?: string,
    readonly status?: number,
  ) {
    const details = [providerCode, status === undefined ? undefined : `status ${status}`].filter((part) => part !== undefined);
    super(`message not sent: ${reason}${details.length > 0 ? ` (${details.join(", ")})` : ""}`);
    this.name = "MessageNotSentError";
  }
}
