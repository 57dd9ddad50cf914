import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { createLogger } from "../../src/logger";
import { assertNothingPersonal, CODE_TEXT, email, EMAIL, MOBILE, notifyRig, notSent, REFERENCE, sms } from "../support/notify-sender-fixtures";

describe("NotifySender", function () {
  const rig = notifyRig();

  describe("when Notify refuses", function () {
    it("is refused with Notify's error name on a 400, logged once without the number or the text", async function () {
      rig.api.failNext(400, "BadRequestError", "Can't send to this recipient using a team-only API key");
      await assert.rejects(rig.sender().send(sms), notSent("refused", "BadRequestError", 400));
      assert.equal(rig.api.requests.length, 1, "not retried");
      assert.equal(rig.log.lines.length, 1);
      assert.equal(rig.log.lines[0].level, "error");
      assert.deepEqual(rig.log.lines[0].details, {
        status: 400,
        error: "BadRequestError",
        notifyMessage: "Can't send to this recipient using a team-only API key",
        channel: "sms",
        reference: REFERENCE,
      });
      assertNothingPersonal(rig.log);
    });

    it("is refused on Notify's own validation of a number, and says why", async function () {
      await assert.rejects(rig.sender().send({ ...sms, to: "+12025550123" }), notSent("refused", "ValidationError", 400));
      assert.equal(rig.api.sent().length, 0);
      assert.equal(rig.log.lines.length, 1);
      assert.equal((rig.log.lines[0].details as { notifyMessage: string }).notifyMessage, "phone_number Not a UK mobile number");
      assert.ok(!rig.log.text.includes("2025550123"));
    });

    it("masks a number, a code or an address that Notify's explanation echoes", async function () {
      rig.api.failNext(400, "ValidationError", "phone_number 07700 900118 is not valid; code 482913 at jane.smith@nhs.net; limit 3000 per minute", 2);
      await assert.rejects(rig.sender().send(sms), notSent("refused", "ValidationError", 400));
      await assert.rejects(rig.sender().send(email), notSent("refused", "ValidationError", 400));
      assert.equal(rig.log.lines.length, 2);
      assertNothingPersonal(rig.log);
      assert.equal(
        (rig.log.lines[0].details as { notifyMessage: string }).notifyMessage,
        "phone_number [digits] is not valid; code [digits] at [address] limit [digits] per minute",
      );
    });

    it("is refused with AuthError on a 403, logged once", async function () {
      rig.api.failNext(403, "AuthError", "Invalid token: API key revoked");
      await assert.rejects(rig.sender().send(email), notSent("refused", "AuthError", 403));
      assert.equal(rig.api.requests.length, 1, "not retried");
      assert.deepEqual(
        rig.log.lines.map((l) => [l.level, l.message, (l.details as { channel: string }).channel]),
        [["error", "GOV.UK Notify refused a message", "email"]],
      );
      assertNothingPersonal(rig.log);
    });

    it("is refused with AuthError when the key's secret is not the service's (a wrongly signed token)", async function () {
      const wrongKey = `helpdesk_test-${rig.api.serviceId}-${randomUUID()}`;
      await assert.rejects(rig.sender({ apiKey: wrongKey }).send(sms), notSent("refused", "AuthError", 403));
      assert.deepEqual(rig.api.requests.map((r) => [r.status, r.error]), [[403, "AuthError"]]);
      assert.equal((rig.log.lines[0].details as { notifyMessage: string }).notifyMessage, "Invalid token: API key not found");
      assert.equal(rig.api.sent().length, 0);
    });

    it("refuses a voice call, and an email without a subject, without asking Notify", async function () {
      await assert.rejects(rig.sender().send({ channel: "voice", to: MOBILE, text: CODE_TEXT }), notSent("refused", "no-voice"));
      await assert.rejects(rig.sender().send({ channel: "email", to: EMAIL, text: "No subject" }), notSent("refused", "no-subject"));
      assert.equal(rig.api.requests.length, 0);
    });

    it("logs through the service's pino logger", async function () {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      });
      rig.api.failNext(400, "BadRequestError", "Template not found");
      await assert.rejects(rig.sender({ logger: createLogger({ level: "info", destination }) }).send(sms), notSent("refused", "BadRequestError", 400));
      assert.equal(lines.length, 1);
      assert.match(lines[0], /"level":50,.*"status":400,"error":"BadRequestError","notifyMessage":"Template not found","channel":"sms"/);
      assert.ok(!lines[0].includes(MOBILE) && !lines[0].includes(CODE_TEXT));
    });
  });
});
