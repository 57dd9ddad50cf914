import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { Activity } from "botbuilder";
import { parseConfig } from "../../src/config";
import { startService } from "../../src/index";
import type { RunningService } from "../../src/index";
import { LogCapture, TEST_SECRETS_KEY } from "../support/bot-client";

/** The shared secret the tests' bots accept. */
export const NOTIFY_SECRET = "test-notify-secret-0123456789abcdef";
/** A new development account with a temporary password (env/accounts.dev.json). */
export const KNOWN_EMAIL = "sam.okafor@nhs.net";
/** Its temporary password. */
export const KNOWN_TEMPORARY_PASSWORD = "Welcome-Temp-2701";
/** The title of the first-login checklist card. */
export const FIRST_LOGIN_TITLE = "Your first NHSmail login";

/** A bot started with the notify API on, whose retry waits are recorded instead of slept. */
export interface NotifyBot {
  service: RunningService;
  log: LogCapture;
  /** Every retry wait the bot asked for, in milliseconds. */
  delays: number[];
  /** Calls the notify API; `secret` null sends no Authorization header. */
  notify(body: unknown, secret?: string | null): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Posts an activity to /api/messages and returns the HTTP status. */
  post(activity: Partial<Activity>): Promise<number>;
}

/** Starts the real service with the notify API on and a memory store; `env` overrides settings. */
export async function startNotifyBot(env: Record<string, string> = {}, options: { clock?: () => Date } = {}): Promise<NotifyBot> {
  const log = new LogCapture();
  const delays: number[] = [];
  const config = parseConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    STATE_URL: "memory://",
    LOG_LEVEL: "info",
    OUTBOX_FILE: path.join(os.tmpdir(), `helpdesk-outbox-${randomUUID()}.jsonl`),
    CAPTCHA: "off",
    SCRYPT_LOG2N: "10",
    SECRETS_KEY: TEST_SECRETS_KEY,
    NOTIFY_SECRET,
    ...env,
  });
  const retryDelay = (ms: number): Promise<void> => {
    delays.push(ms);
    return Promise.resolve();
  };
  const service = await startService(config, { logDestination: log, outboxEcho: () => undefined, retryDelay, clock: options.clock });
  const notify = async (body: unknown, secret: string | null = NOTIFY_SECRET) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (secret !== null) headers.authorization = `Bearer ${secret}`;
    const response = await fetch(`${service.url}/api/notify/first-login`, { method: "POST", headers, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const post = async (activity: Partial<Activity>): Promise<number> => {
    const response = await fetch(`${service.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
    await response.arrayBuffer();
    return response.status;
  };
  return { service, log, delays, notify, post };
}

/** A Teams user in a personal chat with the bot, whose conversation's service URL is a fake connector. */
export class TeamsUser {
  readonly aadObjectId = randomUUID();
  readonly id = `29:${randomUUID()}`;
  readonly conversationId = `a:${randomUUID()}`;
  readonly tenantId = randomUUID();
  constructor(private readonly serviceUrl: string) {}

  /** An activity from this user; replies go to the connector (deliveryMode normal). */
  activity(partial: Partial<Activity>): Partial<Activity> {
    return {
      id: randomUUID(),
      channelId: "msteams",
      serviceUrl: this.serviceUrl,
      from: { id: this.id, name: "Jane Smith", aadObjectId: this.aadObjectId },
      recipient: { id: "28:bot", name: "NHSmail helpdesk" },
      conversation: { id: this.conversationId, conversationType: "personal", isGroup: false, name: "", tenantId: this.tenantId },
      channelData: { tenant: { id: this.tenantId } },
      locale: "en-GB",
      timestamp: new Date(),
      ...partial,
    };
  }

  install(): Partial<Activity> {
    return this.activity({ type: "installationUpdate", action: "add" });
  }

  uninstall(): Partial<Activity> {
    return this.activity({ type: "installationUpdate", action: "remove" });
  }

  message(text: string): Partial<Activity> {
    return this.activity({ type: "message", text });
  }

  /** A press on a card button: the action's data and the card's inputs, answering the card `replyToId`. */
  submit(value: Record<string, unknown>, replyToId?: string): Partial<Activity> {
    return this.activity({ type: "message", value, replyToId });
  }
}

/** True when an activity carries the first-login checklist card. */
export function isFirstLoginCard(activity: Partial<Activity>): boolean {
  return (activity.attachments ?? []).some((a) => JSON.stringify(a.content).includes(FIRST_LOGIN_TITLE));
}
