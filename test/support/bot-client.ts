import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { Activity, Attachment } from "botbuilder";
import { parseConfig } from "../../src/config";
import { startService } from "../../src/index";
import type { RunningService } from "../../src/index";

/** Collects everything the service logs, for tests that read the log. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join("\n");
  }
}

/** A bot service started for a test, on a free port, with captured logs. */
export interface TestBot {
  service: RunningService;
  log: LogCapture;
  endpoint: string;
  /** The outbox file the dev message provider writes to. */
  outbox: string;
}

/** Starts the real service over HTTP with test settings; `env` overrides them. */
export async function startTestBot(env: Record<string, string> = {}, options: { clock?: () => Date } = {}): Promise<TestBot> {
  const log = new LogCapture();
  const outbox = path.join(os.tmpdir(), `helpdesk-outbox-${randomUUID()}.jsonl`);
  const config = parseConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    STATE_URL: "memory://",
    LOG_LEVEL: "info",
    OUTBOX_FILE: outbox,
    CAPTCHA: "off",
    SCRYPT_LOG2N: "10",
    SECRETS_KEY: TEST_SECRETS_KEY,
    ...env,
  });
  const service = await startService(config, { logDestination: log, clock: options.clock, outboxEcho: () => undefined });
  return { service, log, endpoint: `${service.url}/api/messages`, outbox: config.OUTBOX_FILE };
}

/** A fixed key for tests (never used outside them). */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");

/** One person in one conversation, talking to the bot over HTTP with `deliveryMode: "expectReplies"`. */
export class Conversation {
  readonly conversationId: string;
  constructor(
    private readonly endpoint: string,
    readonly user = { id: `user-${randomUUID()}`, name: "Sam Taylor" },
    conversationId?: string,
  ) {
    this.conversationId = conversationId ?? `a:${randomUUID()}`;
  }

  /** Sends an activity and returns the bot's replies. */
  async send(partial: Partial<Activity>): Promise<Partial<Activity>[]> {
    const response = await this.post(partial);
    if (response.status !== 200) throw new Error(`bot answered HTTP ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { activities?: Partial<Activity>[] };
    return body.activities ?? [];
  }

  /** Posts an activity and returns the raw HTTP response. */
  post(partial: Partial<Activity>, headers: Record<string, string> = {}): Promise<Response> {
    const activity: Partial<Activity> = {
      type: "message",
      id: randomUUID(),
      channelId: "msteams",
      serviceUrl: "http://127.0.0.1:9/",
      from: this.user,
      recipient: { id: "bot", name: "NHSmail helpdesk" },
      conversation: { id: this.conversationId, conversationType: "personal", isGroup: false, name: "" },
      deliveryMode: "expectReplies",
      locale: "en-GB",
      timestamp: new Date(),
      ...partial,
    };
    return fetch(this.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(activity),
    });
  }

  /** Types a chat message. */
  say(text: string): Promise<Partial<Activity>[]> {
    return this.send({ text });
  }

  /** Presses an Action.Submit button whose data is `value`, with card inputs merged in as Teams does. */
  submit(value: Record<string, unknown>): Promise<Partial<Activity>[]> {
    return this.send({ value });
  }
}

/** All text the replies show a person: message text plus every TextBlock and fact in their cards. */
export function visibleText(replies: Partial<Activity>[]): string {
  return replies.map((r) => [r.text ?? "", ...(r.attachments ?? []).map(cardText)].join("\n")).join("\n");
}

/** The Adaptive Cards in the replies. */
export function cards(replies: Partial<Activity>[]): Record<string, unknown>[] {
  return replies.flatMap((r) => (r.attachments ?? []).map((a: Attachment) => a.content as Record<string, unknown>));
}

function cardText(attachment: Attachment): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (typeof o.text === "string") out.push(o.text);
    if (typeof o.title === "string") out.push(o.title);
    if (typeof o.value === "string" && o.type === undefined) out.push(o.value);
    Object.values(o).forEach(walk);
  };
  walk(attachment.content);
  return out.join("\n");
}

/** Every Action.Submit verb in a card. */
export function verbsIn(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (o.type === "Action.Submit" && o.data && typeof (o.data as { verb?: unknown }).verb === "string") {
      found.push((o.data as { verb: string }).verb);
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}
