import fs from "node:fs/promises";
import path from "node:path";
import type { MessageChannel, MessageSender, OutboundMessage } from "./message-sender";

/** One line of the outbox file, in this key order: `{"channel","to","text","at"}`, plus `subject` for an email. */
export interface OutboxLine {
  channel: MessageChannel;
  to: string;
  text: string;
  /** ISO time the message was sent. */
  at: string;
  subject?: string;
}

/** Options for {@link OutboxSender}. */
export interface OutboxSenderOptions {
  /** The outbox file (`OUTBOX_FILE`, default `var/outbox.jsonl`); its folder is created when needed. */
  file: string;
  /** Where the human-readable line goes. Default: console.log. */
  print?: (line: string) => void;
  /** The clock. Default: the system clock. */
  now?: () => Date;
}

/**
 * The development message provider: nothing leaves the machine. Each message is appended to the outbox file as
 * one JSON line (one `appendFile` per line, so concurrent sends never interleave within a line) and printed as
 * `[outbox] sms to +447700900118: Your NHSmail verification code is 123456`.
 *
 * @remarks
 * The outbox is the one place a development code appears: read it, or the console, to complete a journey. The
 * service's logs never carry message text.
 */
export class OutboxSender implements MessageSender {
  /** Every channel: the outbox writes down whatever it is given. */
  readonly channels: ReadonlySet<MessageChannel> = new Set<MessageChannel>(["sms", "voice", "email"]);
  private readonly file: string;
  private readonly print: (line: string) => void;
  private readonly now: () => Date;

  /** @param options - see {@link OutboxSenderOptions} */
  constructor(options: OutboxSenderOptions) {
    this.file = options.file;
    this.print = options.print ?? ((line) => console.log(line));
    this.now = options.now ?? (() => new Date());
  }

  /** Appends the message to the outbox file, then prints it. */
  async send(message: OutboundMessage): Promise<void> {
    const line: OutboxLine = { channel: message.channel, to: message.to, text: message.text, at: this.now().toISOString() };
    if (message.channel === "email" && message.subject !== undefined) line.subject = message.subject;
    // Made on every send (cheap), so a folder removed while the bot runs comes back.
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await fs.appendFile(this.file, `${JSON.stringify(line)}\n`, "utf8");
    const subject = line.subject === undefined ? "" : ` (subject: ${oneLine(line.subject)})`;
    this.print(`[outbox] ${line.channel} to ${line.to}${subject}: ${oneLine(line.text)}`);
  }
}

/** Folds line breaks so that one message prints as one console line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
