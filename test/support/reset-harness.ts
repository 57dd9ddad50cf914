import path from "node:path";
import { DialogTestClient } from "botbuilder-testing";
import type { Activity } from "botbuilder";
import type { Dialog } from "botbuilder-dialogs";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { createServices } from "../../src/services";
import type { Services } from "../../src/services";
import { ResetPasswordDialog } from "../../dialogs/reset-password-dialog";
import { LogCapture, TEST_SECRETS_KEY } from "./bot-client";
import { TempDir } from "./temp-dir";

const ROOT = path.resolve(__dirname, "..", "..");

/** A reply as the test client sees it. */
export interface Reply {
  text?: string;
  attachments?: Array<{ content?: unknown }>;
}

/** The reset dialog on the real services (memory store, dev accounts, outbox in a temp folder), with a movable clock. */
export class ResetHarness {
  readonly log = new LogCapture();
  readonly dir = new TempDir();
  now = Date.parse("2026-11-22T10:00:00Z");
  client!: DialogTestClient;
  services!: Services;
  store!: StateStore;

  get outbox(): string {
    return this.dir.file("outbox.jsonl");
  }

  /**
   * Starts with the captcha off unless `env` says otherwise. `dialog` picks the dialog under test (the reset by
   * default), built on the real services; `options` are its begin options.
   */
  async start(env: Record<string, string> = {}, dialog?: (services: Services) => Dialog, options?: object): Promise<this> {
    const config = parseConfig({ STATE_URL: "memory://", CAPTCHA: "off", SCRYPT_LOG2N: "10", SECRETS_KEY: TEST_SECRETS_KEY, OUTBOX_FILE: this.outbox, ...env });
    this.store = await openStateStore("memory://");
    const logger = createLogger({ level: "info", destination: this.log });
    this.services = await createServices(config, this.store, logger, { root: ROOT, clock: () => new Date(this.now), outboxEcho: () => undefined });
    this.client = new DialogTestClient("msteams", dialog ? dialog(this.services) : new ResetPasswordDialog(this.services.reset), options);
    return this;
  }

  async stop(): Promise<void> {
    await this.services.close();
    await this.store.close();
    this.dir.remove();
  }

  /** Sends text or a card submission and returns every reply to it. */
  async send(input: string | Record<string, unknown>): Promise<Reply[]> {
    const activity: Partial<Activity> = typeof input === "string" ? { type: "message", text: input } : { type: "message", value: input };
    const replies: Reply[] = [];
    for (let reply = (await this.client.sendActivity(activity)) as Reply | undefined; reply; reply = this.client.getNextReply() as Reply | undefined) {
      replies.push(reply);
    }
    // Messages go out off the turn; the tests read the outbox straight after, so let them land first.
    await this.services.drainMessages();
    return replies;
  }

  /** All the text a person would read in the replies to `input`. */
  async say(input: string | Record<string, unknown>): Promise<string> {
    return (await this.send(input)).map(readable).join("\n");
  }
}

function readable(reply: Reply): string {
  const parts: string[] = [reply.text ?? ""];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    for (const key of ["text", "title", "label"]) if (typeof o[key] === "string") parts.push(o[key]);
    if (typeof o.value === "string" && o.type === undefined) parts.push(o.value);
    Object.values(o).forEach(walk);
  };
  walk(reply.attachments?.map((a) => a.content));
  return parts.join("\n");
}
