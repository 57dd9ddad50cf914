import type { MessageChannel, MessageSender, OutboundMessage } from "./message-sender";

/**
 * Sends messages off the conversation's turn: `send` returns at once and the message goes out in the background.
 * The reply to a person then takes the same time whether or not a text was really sent (an unknown address or a
 * number that did not match sends nothing), so response times cannot tell a real account from a missing one.
 * Failures are reported to `onError` with the channel and the message's reference (never the recipient or the text);
 * `drain` waits for everything under way.
 */
export class BackgroundSender implements MessageSender {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly inner: MessageSender,
    /** Told of each failure; what it returns is waited for by `drain` (telling the person, say). */
    private readonly onError: (error: unknown, channel: MessageChannel, reference?: string) => void | Promise<void>,
  ) {}

  /** The channels of the sender it wraps. */
  get channels(): ReadonlySet<MessageChannel> {
    return this.inner.channels;
  }

  send(message: OutboundMessage): Promise<void> {
    const sending: Promise<void> = this.inner
      .send(message)
      .catch(async (error: unknown) => {
        try {
          await this.onError(error, message.channel, message.reference);
        } catch {
          // Reporting a failure must not fail in turn: the report is best effort.
        }
      })
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
    return Promise.resolve();
  }

  /** Resolves once every message under way has been sent (or has failed and been reported). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
