import type { MessageChannel } from "./message-sender";

/** What the person is told when a message to them could not be sent, by channel. */
export const UNDELIVERED: Record<MessageChannel, string> = {
  sms: "The text message I just tried to send you couldn't be sent, so please don't wait for it.",
  voice: "The call I just tried to make to your phone couldn't be made, so please don't wait for it.",
  email: "The email I just tried to send you couldn't be sent.",
};

/** Said instead when the provider gave no clear answer: the message may still arrive. */
export const MAYBE_UNDELIVERED: Record<MessageChannel, string> = {
  sms: "I couldn't confirm that the text message I just sent you went out. If it hasn't arrived in a few minutes, please don't keep waiting.",
  voice: "I couldn't confirm that the call to your phone went out. If it doesn't come in a few minutes, please don't keep waiting.",
  email: "I couldn't confirm that the email I just sent you went out.",
};

/** How long a message is watched for: a send that has not failed by then is taken to have gone. */
const WATCH_MS = 10 * 60_000;

/**
 * Messages leave in the background (see `BackgroundSender`), after the person's turn has been answered; when one
 * fails, the person should still hear of it. Each send is watched under its reference (no personal data) with a way
 * back to its conversation; a failure reported for that reference tells the person, once. A send that has not failed
 * within the watch is forgotten when the next one is watched.
 */
export class UndeliveredNotices<Conversation> {
  private readonly watching = new Map<string, { conversation: Conversation; at: number }>();
  /** Says a line (with the helpdesk offered) in a conversation; set by {@link connect} once the bot can reach people. */
  private tell?: (conversation: Conversation, text: string) => Promise<void>;

  /** @param now - the clock, in milliseconds */
  constructor(private readonly now: () => number = Date.now) {}

  /** Connects the notices to the bot's way of reaching a conversation. */
  connect(tell: (conversation: Conversation, text: string) => Promise<void>): void {
    this.tell = tell;
  }

  /** Watches a message about to be sent under `reference`, on behalf of a conversation. */
  watch(reference: string, conversation: Conversation): void {
    const now = this.now();
    for (const [key, entry] of this.watching) if (now - entry.at > WATCH_MS) this.watching.delete(key);
    this.watching.set(reference, { conversation, at: now });
  }

  /** A message failed: tell its conversation, once (a failure for a reference nobody watches is ignored). */
  async failed(reference: string | undefined, channel: MessageChannel, maybeSent: boolean): Promise<void> {
    const entry = reference ? this.watching.get(reference) : undefined;
    if (!reference || !entry || !this.tell) return;
    this.watching.delete(reference);
    await this.tell(entry.conversation, (maybeSent ? MAYBE_UNDELIVERED : UNDELIVERED)[channel]);
  }
}
