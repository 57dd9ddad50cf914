/** A message to a person: a text, a voice call that reads the text aloud, or an email. */
export interface OutboundMessage {
  channel: "sms" | "voice" | "email";
  /** E.164 phone number or email address. */
  to: string;
  text: string;
  /** For email. */
  subject?: string;
}

/** Sends messages: the development outbox, later GOV.UK Notify. */
export interface MessageSender {
  send(message: OutboundMessage): Promise<void>;
}
