/**
 * What the NotifySender tests share: the recipient, text and reference they send, a log that keeps every line, the
 * checks that nothing personal escaped, and a sender pointed at a {@link NotifyApi} stand-in.
 */
import assert from "node:assert/strict";
import { MessageNotSentError } from "../../src/messaging/message-sender";
import type { NotSentReason, OutboundMessage } from "../../src/messaging/message-sender";
import { NotifySender } from "../../src/messaging/notify-sender";
import type { NotifyLogger, NotifySenderOptions } from "../../src/messaging/notify-sender";
import { NotifyApi } from "./notify-api";

export const MOBILE = "+447700900118";
export const EMAIL = "jane.smith@nhs.net";
export const CODE_TEXT = "Your NHSmail verification code is 482913";
export const REFERENCE = "audit-6b1d2c3e-0f4a-4b5c-8d7e-9f0a1b2c3d4e";
export const sms: OutboundMessage = { channel: "sms", to: MOBILE, text: CODE_TEXT, reference: REFERENCE };
export const email: OutboundMessage = { channel: "email", to: EMAIL, subject: "Your password was changed", text: "Hello Jane, your password was changed.", reference: REFERENCE };

/** Every line logged, as given: nothing is censored on the way, so a leak would show. */
export class CapturedLog implements NotifyLogger {
  readonly lines: Array<{ level: "warn" | "error"; details: object; message: string }> = [];
  warn(details: object, message: string): void {
    this.lines.push({ level: "warn", details, message });
  }
  error(details: object, message: string): void {
    this.lines.push({ level: "error", details, message });
  }
  get text(): string {
    return JSON.stringify(this.lines);
  }
}

/** Checks a rejection's reason, code and status, and that its message names neither the recipient nor the text. */
export function notSent(reason: NotSentReason, providerCode?: string, status?: number) {
  return (error: unknown): true => {
    assert.ok(error instanceof MessageNotSentError, `expected a MessageNotSentError, got ${String(error)}`);
    assert.deepEqual({ reason: error.reason, providerCode: error.providerCode, status: error.status }, { reason, providerCode, status });
    for (const secret of [MOBILE, EMAIL, CODE_TEXT, "482913"]) assert.ok(!error.message.includes(secret), `${secret} is in the error`);
    return true;
  };
}

/** Asserts nothing personal reached the log: no number (in any spacing), address, code or text. */
export function assertNothingPersonal(log: CapturedLog): void {
  for (const secret of [MOBILE, "7700900118", "07700 900118", "7700 900118", EMAIL, CODE_TEXT, "482913", email.text]) {
    assert.ok(!log.text.includes(secret), `${secret} reached the log: ${log.text}`);
  }
}

/** A NotifySender on the stand-in's key, address and templates, logging to `log` and recording each wait in `waits`. */
export function notifySender(api: NotifyApi, log: CapturedLog, waits: number[], overrides: Partial<NotifySenderOptions> = {}): NotifySender {
  return new NotifySender({
    apiKey: api.apiKey,
    baseUrl: api.url,
    smsTemplateId: api.smsTemplateId,
    emailTemplateId: api.emailTemplateId,
    logger: log,
    wait: (ms) => Promise.resolve(void waits.push(ms)),
    ...overrides,
  });
}

/**
 * A fresh Notify stand-in, log and list of waits for each test of the enclosing `describe`, and a sender over them
 * (with any options changed); the stand-in is stopped after each test.
 */
export function notifyRig(): { api: NotifyApi; log: CapturedLog; waits: number[]; sender(overrides?: Partial<NotifySenderOptions>): NotifySender } {
  const rig = {
    api: undefined as unknown as NotifyApi,
    log: new CapturedLog(),
    waits: [] as number[],
    sender: (overrides: Partial<NotifySenderOptions> = {}): NotifySender => notifySender(rig.api, rig.log, rig.waits, overrides),
  };
  beforeEach(async () => {
    rig.api = await new NotifyApi().start();
    rig.log = new CapturedLog();
    rig.waits = [];
  });
  afterEach(() => rig.api.stop());
  return rig;
}
