import assert from "node:assert/strict";
import { createLogger } from "../src/logger";
import { LogCapture, startTestBot, Conversation } from "./support/bot-client";

const PASSWORD = "Correct-Horse-Battery-77";

describe("logging", () => {
  it("censors passwords, codes, secrets and card inputs wherever they are nested", () => {
    const capture = new LogCapture();
    const log = createLogger({ level: "trace", destination: capture });
    log.info({ password: PASSWORD, activity: { value: { newPassword: PASSWORD } }, form: { code: "123456", totpSecret: "JBSWY3DPEHPK3PXP" } }, "x");
    for (const secret of [PASSWORD, "123456", "JBSWY3DPEHPK3PXP"]) assert.ok(!capture.text.includes(secret), `${secret} leaked`);
    assert.match(capture.text, /\[redacted\]/);
  });

  it("keeps a password submitted in a card out of the log, even at trace level and in a refused malformed activity", async () => {
    const bot = await startTestBot({ LOG_LEVEL: "trace" });
    try {
      const chat = new Conversation(bot.endpoint);
      await chat.submit({ verb: "reset.start", newPassword: PASSWORD, confirmPassword: PASSWORD });
      await chat.submit({ verb: "reset.unknown", newPassword: PASSWORD });
      await chat.say(PASSWORD);
      // A malformed activity is refused before any turn runs; the refusal is logged, the payload is not.
      const malformed = await chat.post({ type: "message", from: undefined, value: { password: PASSWORD } });
      assert.equal(malformed.status, 400);
      assert.match(bot.log.text, /"msg":"refused a malformed activity"/);
      assert.ok(bot.log.lines.length >= 3, "turns were logged");
      assert.match(bot.log.text, /"turnId"/);
      assert.ok(!bot.log.text.includes(PASSWORD), "the password reached the log");
    } finally {
      await bot.service.close();
    }
  });
});
