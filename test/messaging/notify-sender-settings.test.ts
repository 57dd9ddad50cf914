import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { parseNotifyApiKey } from "../../src/messaging/notify-sender";
import { notifyRig } from "../support/notify-sender-fixtures";

describe("NotifySender", function () {
  const rig = notifyRig();

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
        for (const attempt of [() => parseNotifyApiKey(key), () => rig.sender({ apiKey: key })]) {
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
      assert.throws(() => rig.sender({ apiKey: goodKey, smsTemplateId: "welcome-text" }), /smsTemplateId must be a template id/);
      assert.throws(() => rig.sender({ apiKey: goodKey, baseUrl: "http://rig.api.notifications.service.gov.uk" }), /must use https/);
      assert.throws(() => rig.sender({ apiKey: goodKey, baseUrl: "not a url" }), /is not a URL/);
      assert.throws(() => rig.sender({ apiKey: goodKey, timeoutMs: 0 }), /timeoutMs/);
      assert.doesNotThrow(() => rig.sender({ apiKey: goodKey, baseUrl: undefined }));
    });
  });
});
