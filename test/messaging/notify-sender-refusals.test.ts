import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { createLogger } from "../../src/logger";
import type { NotifySender, NotifySenderOptions } from "../../src/messaging/notify-sender";
import { NotifyApi } from "../support/notify-api";
import { assertNothingPersonal, CapturedLog, CODE_TEXT, email, EMAIL, MOBILE, notifySender, notSent, REFERENCE, sms } from "../support/notify-sender-fixtures";

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

  const sender = (overrides: Partial<NotifySenderOptions> = {}): NotifySender => notifySender(api, log, waits, overrides);

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
});
