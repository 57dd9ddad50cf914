import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import jwt from "jsonwebtoken";
import { createLogger } from "../../src/logger";
import { BackgroundSender } from "../../src/messaging/background-sender";
import { MessageNotSentError } from "../../src/messaging/message-sender";
import type { NotSentReason, OutboundMessage } from "../../src/messaging/message-sender";
import { NotifySender, parseNotifyApiKey } from "../../src/messaging/notify-sender";
import type { NotifyLogger, NotifySenderOptions } from "../../src/messaging/notify-sender";
import { NotifyApi } from "../support/notify-api";

const MOBILE = "+447700900118";
const EMAIL = "jane.smith@nhs.net";
const CODE_TEXT = "Your NHSmail verification code is 482913";
const REFERENCE = "audit-6b1d2c3e-0f4a-4b5c-8d7e-9f0a1b2c3d4e";
const sms: OutboundMessage = { channel: "sms", to: MOBILE, text: CODE_TEXT, reference: REFERENCE };
const email: OutboundMessage = { channel: "email", to: EMAIL, subject: "Your password was changed", text: "Hello Jane, your password was changed.", reference: REFERENCE };

/** Every line logged, as given: nothing is censored on the way, so a leak would show. */
class CapturedLog implements NotifyLogger {
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
function notSent(reason: NotSentReason, providerCode?: string, status?: number) {
  return (error: unknown): true => {
    assert.ok(error instanceof MessageNotSentError, `expected a MessageNotSentError, got ${String(error)}`);
    assert.deepEqual({ reason: error.reason, providerCode: error.providerCode, status: error.status }, { reason, providerCode, status });
    for (const secret of [MOBILE, EMAIL, CODE_TEXT, "482913"]) assert.ok(!error.message.includes(secret), `${secret} is in the error`);
    return true;
  };
}

/** Asserts nothing personal reached the log: no number (in any spacing), address, code or text. */
function assertNothingPersonal(log: CapturedLog): void {
  for (const secret of [MOBILE, "7700900118", "07700 900118", "7700 900118", EMAIL, CODE_TEXT, "482913", email.text]) {
    assert.ok(!log.text.includes(secret), `${secret} reached the log: ${log.text}`);
  }
}

describe("NotifySender", function () {
  let api: NotifyApi;
  let log: CapturedLog;
  let waits: number[];
  beforeEach(async () => {
    api = await new NotifyApi().start();
    log = new CapturedLog();
    waits = [];
  });
  afterEach(() => api.stop());

  const sender = (overrides: Partial<NotifySenderOptions> = {}): NotifySender =>
    new NotifySender({
      apiKey: api.apiKey,
      baseUrl: api.url,
      smsTemplateId: api.smsTemplateId,
      emailTemplateId: api.emailTemplateId,
      logger: log,
      wait: (ms) => Promise.resolve(void waits.push(ms)),
      ...overrides,
    });
  const statuses = (): Array<number | undefined> => api.requests.map((r) => r.status);

  it("sends a text and an email through the templates, with the reference", async function () {
    await sender().send(sms);
    await sender().send(email);
    const [text, mail] = api.sent();
    assert.deepEqual(
      { type: text.type, to: text.to, templateId: text.templateId, personalisation: text.personalisation, reference: text.reference, body: text.body },
      { type: "sms", to: MOBILE, templateId: api.smsTemplateId, personalisation: { body: CODE_TEXT }, reference: REFERENCE, body: CODE_TEXT },
    );
    assert.deepEqual(
      { to: mail.to, templateId: mail.templateId, personalisation: mail.personalisation, subject: mail.subject, body: mail.body },
      { to: EMAIL, templateId: api.emailTemplateId, personalisation: { subject: email.subject, body: email.text }, subject: email.subject, body: email.text },
    );
    assert.deepEqual(statuses(), [201, 201], "the real client's tokens passed Notify's checks");
    assert.deepEqual(log.lines, []);
  });

  describe("when Notify refuses", function () {
    it("is refused with Notify's error name on a 400, logged once without the number or the text", async function () {
      api.failNext(400, "BadRequestError", "Can't send to this recipient using a team-only API key");
      await assert.rejects(sender().send(sms), notSent("refused", "BadRequestError", 400));
      assert.equal(api.requests.length, 1, "not retried");
      assert.equal(log.lines.length, 1);
      assert.equal(log.lines[0].level, "error");
      assert.deepEqual(log.lines[0].details, {
        status: 400,
        error: "BadRequestError",
        notifyMessage: "Can't send to this recipient using a team-only API key",
        channel: "sms",
        reference: REFERENCE,
      });
      assertNothingPersonal(log);
    });

    it("is refused on Notify's own validation of a number, and says why", async function () {
      await assert.rejects(sender().send({ ...sms, to: "+12025550123" }), notSent("refused", "ValidationError", 400));
      assert.equal(api.sent().length, 0);
      assert.equal(log.lines.length, 1);
      assert.equal((log.lines[0].details as { notifyMessage: string }).notifyMessage, "phone_number Not a UK mobile number");
      assert.ok(!log.text.includes("2025550123"));
    });

    it("masks a number, a code or an address that Notify's explanation echoes", async function () {
      api.failNext(400, "ValidationError", "phone_number 07700 900118 is not valid; code 482913 at jane.smith@nhs.net; limit 3000 per minute", 2);
      await assert.rejects(sender().send(sms), notSent("refused", "ValidationError", 400));
      await assert.rejects(sender().send(email), notSent("refused", "ValidationError", 400));
      assert.equal(log.lines.length, 2);
      assertNothingPersonal(log);
      assert.equal(
        (log.lines[0].details as { notifyMessage: string }).notifyMessage,
        "phone_number [digits] is not valid; code [digits] at [address] limit [digits] per minute",
      );
    });

    it("is refused with AuthError on a 403, logged once", async function () {
      api.failNext(403, "AuthError", "Invalid token: API key revoked");
      await assert.rejects(sender().send(email), notSent("refused", "AuthError", 403));
      assert.equal(api.requests.length, 1, "not retried");
      assert.deepEqual(
        log.lines.map((l) => [l.level, l.message, (l.details as { channel: string }).channel]),
        [["error", "GOV.UK Notify refused a message", "email"]],
      );
      assertNothingPersonal(log);
    });

    it("is refused with AuthError when the key's secret is not the service's (a wrongly signed token)", async function () {
      const wrongKey = `helpdesk_test-${api.serviceId}-${randomUUID()}`;
      await assert.rejects(sender({ apiKey: wrongKey }).send(sms), notSent("refused", "AuthError", 403));
      assert.deepEqual(api.requests.map((r) => [r.status, r.error]), [[403, "AuthError"]]);
      assert.equal((log.lines[0].details as { notifyMessage: string }).notifyMessage, "Invalid token: API key not found");
      assert.equal(api.sent().length, 0);
    });

    it("refuses a voice call, and an email without a subject, without asking Notify", async function () {
      await assert.rejects(sender().send({ channel: "voice", to: MOBILE, text: CODE_TEXT }), notSent("refused", "no-voice"));
      await assert.rejects(sender().send({ channel: "email", to: EMAIL, text: "No subject" }), notSent("refused", "no-subject"));
      assert.equal(api.requests.length, 0);
    });

    it("logs through the service's pino logger", async function () {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      });
      api.failNext(400, "BadRequestError", "Template not found");
      await assert.rejects(sender({ logger: createLogger({ level: "info", destination }) }).send(sms), notSent("refused", "BadRequestError", 400));
      assert.equal(lines.length, 1);
      assert.match(lines[0], /"level":50,.*"status":400,"error":"BadRequestError","notifyMessage":"Template not found","channel":"sms"/);
      assert.ok(!lines[0].includes(MOBILE) && !lines[0].includes(CODE_TEXT));
    });
  });

  describe("when Notify throttles", function () {
    it("waits and tries once more: sent once after a 429", async function () {
      api.failNext(429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds");
      await sender().send(sms);
      assert.deepEqual(statuses(), [429, 201]);
      assert.equal(api.sent().length, 1);
      assert.deepEqual(waits, [1_000], "the default wait, as there was no Retry-After");
      assert.deepEqual(
        log.lines.map((l) => l.level),
        ["warn"],
      );
      assertNothingPersonal(log);
    });

    it("waits as long as Retry-After asks, at most 10 seconds", async function () {
      api.failNext(429, "RateLimitError", "Exceeded rate limit", 1, { "Retry-After": "3" });
      await sender({ throttleWaitMs: 50 }).send(sms);
      api.failNext(429, "TooManyRequestsError", "Exceeded send limits (250000) for today", 1, { "Retry-After": "3600" });
      await sender({ throttleWaitMs: 50 }).send(sms);
      api.failNext(429, "RateLimitError", "Exceeded rate limit", 1, { "Retry-After": "soon" });
      await sender({ throttleWaitMs: 50 }).send(sms);
      assert.deepEqual(waits, [3_000, 10_000, 50]);
      assert.equal(api.sent().length, 3);
    });

    it("gives up as unavailable after a second 429, having asked exactly twice", async function () {
      api.failNext(429, "RateLimitError", "Exceeded rate limit", 2);
      await assert.rejects(sender().send(sms), notSent("unavailable", "RateLimitError", 429));
      assert.deepEqual(statuses(), [429, 429]);
      assert.equal(api.sent().length, 0);
      assert.equal(waits.length, 1);
    });

    it("does not retry a 429 twice over: a 429 then a 500 is uncertain after two requests", async function () {
      api.failNext(429, "RateLimitError", "Exceeded rate limit");
      api.failNext(500, "Exception", "Internal server error");
      await assert.rejects(sender().send(sms), notSent("uncertain", "Exception", 500));
      assert.deepEqual(statuses(), [429, 500]);
    });
  });

  describe("when the message may have gone", function () {
    it("is uncertain after a 500, with no retry", async function () {
      api.failNext(500, "Exception", "Internal server error");
      await assert.rejects(sender().send(sms), notSent("uncertain", "Exception", 500));
      assert.deepEqual(statuses(), [500]);
      assert.deepEqual(waits, []);
    });

    it("is uncertain when Notify does not answer in time, with no retry", async function () {
      api.hangNext();
      await assert.rejects(sender({ timeoutMs: 300 }).send(sms), notSent("uncertain", "timeout"));
      assert.equal(api.requests.length, 1);
      assert.equal(api.requests[0].status, undefined, "the request was taken and never answered");
      assert.deepEqual(waits, []);
    });
  });

  it("is unavailable when Notify cannot be reached: nothing was sent", async function () {
    const closed = await new NotifyApi().start();
    await closed.stop();
    await assert.rejects(sender({ baseUrl: closed.url }).send(sms), notSent("unavailable", "ECONNREFUSED"));
  });

  it("declares sms and email behind a BackgroundSender, which reports a failure with the reference", async function () {
    const reported: unknown[][] = [];
    const background = new BackgroundSender(sender(), (...args) => void reported.push(args));
    assert.deepEqual([...background.channels].sort(), ["email", "sms"]);
    api.failNext(500, "Exception", "Internal server error");
    await background.send(sms);
    await background.send({ ...sms, reference: "audit-2" });
    await api.waitForSent(1);
    await background.drain();
    assert.equal(reported.length, 1);
    const [error, channel, reference] = reported[0];
    assert.ok(error instanceof MessageNotSentError && error.reason === "uncertain");
    assert.deepEqual([channel, reference], ["sms", REFERENCE]);
    assert.equal(api.sent()[0].reference, "audit-2");
  });

  describe("its settings", function () {
    const goodKey = `live_key-${randomUUID()}-${randomUUID()}`;

    it("reads the service id and the secret from an API key", function () {
      const serviceId = randomUUID();
      const secret = randomUUID();
      assert.deepEqual(parseNotifyApiKey(`my-service_key-${serviceId}-${secret}`), { serviceId, secret });
      assert.deepEqual(parseNotifyApiKey(`key-${serviceId}-${secret}\n`), { serviceId, secret });
    });

    for (const [what, key] of [
      ["a key with no name", `${randomUUID()}-${randomUUID()}`],
      ["a key without its secret", `live_key-${randomUUID()}`],
      ["a secret that is not a UUID", `live_key-${randomUUID()}-zzzz-qqqq-9876543210`],
      ["a bare secret", randomUUID()],
      ["an empty key", ""],
      ["a key with a space in its name", `live key-${randomUUID()}-${randomUUID()}`],
    ] as const) {
      it(`rejects ${what} without repeating it`, function () {
        for (const attempt of [() => parseNotifyApiKey(key), () => sender({ apiKey: key })]) {
          assert.throws(attempt, (error: unknown) => {
            assert.ok(error instanceof Error);
            assert.match(error.message, /not in Notify's format/);
            for (const part of key.split("-").filter((p) => p.length >= 4)) assert.ok(!error.message.includes(part), `${part} was repeated`);
            return true;
          });
        }
      });
    }

    it("rejects a template id that is not a UUID, and a base URL in plain http to another machine", function () {
      assert.throws(() => sender({ apiKey: goodKey, smsTemplateId: "welcome-text" }), /smsTemplateId must be a template id/);
      assert.throws(() => sender({ apiKey: goodKey, baseUrl: "http://api.notifications.service.gov.uk" }), /must use https/);
      assert.throws(() => sender({ apiKey: goodKey, baseUrl: "not a url" }), /is not a URL/);
      assert.throws(() => sender({ apiKey: goodKey, timeoutMs: 0 }), /timeoutMs/);
      assert.doesNotThrow(() => sender({ apiKey: goodKey, baseUrl: undefined }));
    });
  });
});

describe("the Notify stand-in checks tokens as Notify does", function () {
  let api: NotifyApi;
  let secret: string;
  beforeEach(async () => {
    api = await new NotifyApi().start();
    secret = parseNotifyApiKey(api.apiKey).secret;
  });
  afterEach(() => api.stop());

  const now = (): number => Math.round(Date.now() / 1000);
  const post = async (authorization: string | undefined, body: object = { phone_number: MOBILE, template_id: api.smsTemplateId, personalisation: { body: "hi" } }) => {
    const response = await fetch(`${api.url}/v2/notifications/sms`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { errors?: Array<{ error: string; message: string }>; id?: string } };
  };
  const token = (claims: object, key = secret, options: jwt.SignOptions = {}): string =>
    `Bearer ${jwt.sign(claims, key, { header: { typ: "JWT", alg: "HS256" }, ...options })}`;

  it("accepts a token made as the client makes it, and answers in Notify's shape", async function () {
    const answer = await post(token({ iss: api.serviceId, iat: now() }));
    assert.equal(answer.status, 201);
    assert.match(answer.body.id ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(answer.body).sort(), ["content", "id", "reference", "scheduled_for", "template", "uri"]);
  });

  const refusals: Array<[string, () => string | undefined, number, string]> = [
    ["a token issued 60 seconds ago", () => token({ iss: api.serviceId, iat: now() - 60 }), 403, "Error: Your system clock must be accurate to within 30 seconds"],
    ["a token issued 60 seconds from now", () => token({ iss: api.serviceId, iat: now() + 60 }), 403, "Error: Your system clock must be accurate to within 30 seconds"],
    ["an unsigned token (alg none)", () => `Bearer ${jwt.sign({ iss: api.serviceId, iat: now() }, "", { algorithm: "none" })}`, 403, "Invalid token: algorithm used is not HS256"],
    ["a token signed with another secret", () => token({ iss: api.serviceId, iat: now() }, randomUUID()), 403, "Invalid token: API key not found"],
    ["a token from another service", () => token({ iss: randomUUID(), iat: now() }), 403, "Invalid token: service not found"],
    ["a token with no issuer", () => token({ iat: now() }), 403, "Invalid token: iss field not provided"],
    ["a token with no iat", () => token({ iss: api.serviceId }, secret, { noTimestamp: true }), 403, "Invalid token: make sure your API token"],
    ["a token that is not a JWT", () => "Bearer not-a-token", 403, "Invalid token: signature, api token is not valid"],
    ["no Authorization header", () => undefined, 401, "Unauthorized: authentication token must be provided"],
    ["a Basic Authorization header", () => "Basic dXNlcjpwYXNz", 401, "Unauthorized: authentication bearer scheme must be used"],
  ];
  for (const [what, authorization, status, message] of refusals) {
    it(`refuses ${what} with ${status}`, async function () {
      const answer = await post(authorization());
      assert.equal(answer.status, status);
      assert.equal(answer.body.errors?.[0].error, "AuthError");
      assert.ok(answer.body.errors[0].message.startsWith(message), answer.body.errors[0].message);
      assert.equal(api.sent().length, 0);
      assert.equal(api.requests.length, 1, "a refused request is still counted");
    });
  }

  it("validates bodies as Notify does", async function () {
    const auth = (): string => token({ iss: api.serviceId, iat: now() });
    const cases: Array<[object, number, string, string]> = [
      [{ phone_number: MOBILE, template_id: randomUUID(), personalisation: { body: "hi" } }, 400, "BadRequestError", "Template not found"],
      [{ phone_number: MOBILE, template_id: "welcome" }, 400, "ValidationError", "template_id is not a valid UUID"],
      [{ template_id: api.smsTemplateId, personalisation: { body: "hi" } }, 400, "ValidationError", "phone_number is a required property"],
      [{ phone_number: MOBILE, template_id: api.smsTemplateId }, 400, "BadRequestError", "Missing personalisation: body"],
      [{ phone_number: MOBILE, template_id: api.emailTemplateId, personalisation: { body: "hi" } }, 400, "BadRequestError", "email template is not suitable for sms notification"],
      [{ phone_number: MOBILE, template_id: api.smsTemplateId, personalisation: { body: "hi" }, reference: 7 }, 400, "ValidationError", "reference 7 is not of type string, null"],
      [{ phone_number: "07700 90011", template_id: api.smsTemplateId, personalisation: { body: "hi" } }, 400, "ValidationError", "phone_number Not enough digits"],
      [{ phone_number: MOBILE, template_id: api.smsTemplateId, personalisation: { body: "x".repeat(919) } }, 400, "BadRequestError", "Text messages cannot be longer than 918 characters. Your message is 919 characters long."],
    ];
    for (const [body, status, error, message] of cases) {
      const answer = await post(auth(), body);
      assert.deepEqual([answer.status, answer.body.errors?.[0].error, answer.body.errors?.[0].message], [status, error, message], JSON.stringify(body));
    }
    assert.equal(api.sent().length, 0);
    const answer = await post(auth(), { phone_number: "07700 900118", template_id: api.smsTemplateId, personalisation: { BODY: "hello" } });
    assert.equal(answer.status, 201, "placeholders match whatever their case");
    assert.equal((await api.waitForSent(1))[0].body, "hello");
  });
});
