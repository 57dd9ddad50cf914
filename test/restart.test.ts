import assert from "node:assert/strict";
import { startTestBot, Conversation, visibleText } from "./support/bot-client";
import { TempDir } from "./support/temp-dir";
import { ASK_EMAIL } from "../dialogs/reset-password-dialog";

describe("state survives a restart", () => {
  it("continues a dialog after the server is stopped mid-dialog and started again on the same SQLite file", async () => {
    const dir = new TempDir();
    const env = { STATE_URL: `sqlite://${dir.file("state.sqlite")}` };
    try {
      const first = await startTestBot(env);
      const chat = new Conversation(first.endpoint);
      assert.equal((await chat.say("I forgot my password"))[0].text, ASK_EMAIL);
      await first.service.close();

      const second = await startTestBot(env);
      try {
        const resumed = new Conversation(second.endpoint, chat.user, chat.conversationId);
        assert.match(visibleText(await resumed.say("jane.smith@nhs.net")), /Verify it's you/);
      } finally {
        await second.service.close();
      }
    } finally {
      dir.remove();
    }
  });
});
