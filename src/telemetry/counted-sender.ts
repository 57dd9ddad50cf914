import { MessageNotSentError } from "../messaging/message-sender";
import type { MessageChannel, MessageSender, OutboundMessage } from "../messaging/message-sender";
import { inSpan } from "./spans";
import type { Telemetry } from "./telemetry";

/**
 * A message provider whose every send is counted by channel and outcome (sent, refused, unavailable, uncertain) and
 * traced as a span named for the channel only: never the recipient, the text or the reference.
 */
export class CountedSender implements MessageSender {
  constructor(
    private readonly inner: MessageSender,
    private readonly telemetry: Telemetry,
  ) {}

  get channels(): ReadonlySet<MessageChannel> {
    return this.inner.channels;
  }

  async send(message: OutboundMessage): Promise<void> {
    try {
      await inSpan("message.send", { channel: message.channel }, () => this.inner.send(message));
      this.telemetry.count("helpdesk_messages_sent", { channel: message.channel, outcome: "sent" });
    } catch (error) {
      this.telemetry.count("helpdesk_messages_sent", { channel: message.channel, outcome: error instanceof MessageNotSentError ? error.reason : "uncertain" });
      throw error;
    }
  }
}
