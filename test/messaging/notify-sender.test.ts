import assert from "node:assert/strict";
import { NotifyApi } from "../support/notify-api";
import { BackgroundSender } from "../../src/messaging/background-sender";
import { MessageNotSentError } from "../../src/messaging/message-sender";
import { assertNothingPersonal, CODE_TEXT, email, EMAIL, MOBILE, notifyRig, notSent, REFERENCE, sms } from "../support/notify-sender-fixtures";

describe("NotifySender", function () {
  const rig = notifyRig();
  const statuses = (): Array<number | undefined> => rig.api.requests.map((r) => r.status);

  it("sends a text and an email through the templates, with the reference", async function () {
    await rig.sender().send(sms);
    await rig.sender().send(email);
    const [text, mail] = rig.api.sent();
    assert.deepEqual(
      { type: text.type, to: text.to, templateId: text.templateId, personalisation: text.personalisation, reference: text.reference, body: text.body },
      { type: "sms", to: MOBILE, templateId: rig.api.smsTemplateId, personalisation: { body: CODE_TEXT }, reference: REFERENCE, body: CODE_TEXT },
    );
    assert.deepEqual(
      { to: mail.to, templateId: mail.templateId, personalisation: mail.personalisation, subject: mail.subject, body: mail.body },
      { to: EMAIL, templateId: rig.api.emailTemplateId, personalisation: { subject: email.subject, body: email.text }, subject: email.subject, body: email.text },
    );
    assert.deepEqual(statuses(), [201, 201], "the real client's tokens passed Notify's checks");
    assert.deepEqual(rig.log.lines, []);
  });

  describe("when Notify throttles", function () {
    it("rig.waits and tries once more: sent once after a 429", async function () {
      rig.api.failNext(429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds");
      await rig.sender().send(sms);
      assert.deepEqual(statuses(), [429, 201]);
      assert.equal(rig.api.sent().length, 1);
      assert.deepEqual(rig.waits, [1_000], "the default wait, as there was no Retry-After");
      assert.deepEqual(
        rig.log.lines.map((l) => l.level),
        ["warn"],
      );
      assertNothingPersonal(rig.log);
    });

    it("rig.waits as long as Retry-After asks, at most 10 seconds", async function () {
      rig.api.failNext(429, "RateLimitError", "Exceeded rate limit", 1, { "Retry-After": "3" });
      await rig.sender({ throttleWaitMs: 50 }).send(sms);
      rig.api.failNext(429, "TooManyRequestsError", "Exceeded send limits (250000) for today", 1, { "Retry-After": "3600" });
      await rig.sender({ throttleWaitMs: 50 }).send(sms);
      rig.api.failNext(429, "RateLimitError", "Exceeded rate limit", 1, { "Retry-After": "soon" });
      await rig.sender({ throttleWaitMs: 50 }).send(sms);
      assert.deepEqual(rig.waits, [3_000, 10_000, 50]);
      assert.equal(rig.api.sent().length, 3);
    });

    it("gives up as unavailable after a second 429, having asked exactly twice", async function () {
      rig.api.failNext(429, "RateLimitError", "Exceeded rate limit", 2);
      await assert.rejects(rig.sender().send(sms), notSent("unavailable", "RateLimitError", 429));
      assert.deepEqual(statuses(), [429, 429]);
      assert.equal(rig.api.sent().length, 0);
      assert.equal(rig.waits.length, 1);
    });

    it("does not retry a 429 twice over: a 429 then a 500 is uncertain after two requests", async function () {
      rig.api.failNext(429, "RateLimitError", "Exceeded rate limit");
      rig.api.failNext(500, "Exception", "Internal server error");
      await assert.rejects(rig.sender().send(sms), notSent("uncertain", "Exception", 500));
      assert.deepEqual(statuses(), [429, 500]);
    });
  });

  describe("when the message may have gone", function () {
    it("is uncertain after a 500, with no retry", async function () {
      rig.api.failNext(500, "Exception", "Internal server error");
      await assert.rejects(rig.sender().send(sms), notSent("uncertain", "Exception", 500));
      assert.deepEqual(statuses(), [500]);
      assert.deepEqual(rig.waits, []);
    });

    it("is uncertain when Notify does not answer in time, with no retry", async function () {
      rig.api.hangNext();
      await assert.rejects(rig.sender({ timeoutMs: 300 }).send(sms), notSent("uncertain", "timeout"));
      assert.equal(rig.api.requests.length, 1);
      assert.equal(rig.api.requests[0].status, undefined, "the request was taken and never answered");
      assert.deepEqual(rig.waits, []);
    });
  });

  it("is unavailable when Notify cannot be reached: nothing was sent", async function () {
    const closed = await new NotifyApi().start();
    await closed.stop();
    await assert.rejects(rig.sender({ baseUrl: closed.url }).send(sms), notSent("unavailable", "ECONNREFUSED"));
  });

  it("declares sms and email behind a BackgroundSender, which reports a failure with the reference", async function () {
    const reported: unknown[][] = [];
    const background = new BackgroundSender(rig.sender(), (...args) => void reported.push(args));
    assert.deepEqual([...background.channels].sort(), ["email", "sms"]);
    rig.api.failNext(500, "Exception", "Internal server error");
    await background.send(sms);
    await background.send({ ...sms, reference: "audit-2" });
    await rig.api.waitForSent(1);
    await background.drain();
    assert.equal(reported.length, 1);
    const [error, channel, reference] = reported[0];
    assert.ok(error instanceof MessageNotSentError && error.reason === "uncertain");
    assert.deepEqual([channel, reference], ["sms", REFERENCE]);
    assert.equal(rig.api.sent()[0].reference, "audit-2");
  });
});
