import assert from "node:assert/strict";
import { startTestBot } from "../support/bot-client";
import type { TestBot } from "../support/bot-client";
import { DirectLineTokenApi } from "../support/direct-line-token-api";

const SECRET = "direct-line-secret-that-must-stay-on-the-server";

const getToken = async (bot: TestBot, body: unknown = {}): Promise<{ status: number; text: string; json: Record<string, unknown> }> => {
  const response = await fetch(`${bot.service.url}/api/webchat/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : {} };
};

describe("POST /api/webchat/token", function () {
  this.timeout(30_000);

  describe("with a Direct Line secret (Azure Bot Service)", () => {
    let api: DirectLineTokenApi;
    let bot: TestBot;
    beforeEach(async () => {
      api = await new DirectLineTokenApi(SECRET).start();
      bot = await startTestBot({ DIRECTLINE_SECRET: SECRET, DIRECTLINE_DOMAIN: api.domain });
    });
    afterEach(async () => {
      await bot.service.close();
      await api.stop();
    });

    it("exchanges the secret for a conversation token, with a user id the server makes up", async () => {
      const first = await getToken(bot, { user: { id: "someone-else" }, userId: "someone-else" });
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(Object.keys(first.json).sort(), ["conversationId", "domain", "expiresIn", "token"]);
      assert.equal(first.json.domain, api.domain);
      assert.match(String(first.json.token), /^token-/);
      const second = await getToken(bot);
      assert.equal(api.calls.length, 2);
      for (const call of api.calls) {
        assert.equal(call.authorization, `Bearer ${SECRET}`, "the secret goes to Direct Line");
        assert.match(call.userId ?? "", /^dl_[0-9a-f]{32}$/, "the user id is the server's");
      }
      assert.notEqual(api.calls[0]?.userId, api.calls[1]?.userId, "a new visitor id each time");
      for (const text of [first.text, second.text, bot.log.text]) assert.ok(!text.includes(SECRET), "the secret left the server");
    });

    it("answers 503 without detail when Direct Line refuses or is down, and logs no secret", async () => {
      api.failWith.push(500);
      const failed = await getToken(bot);
      assert.equal(failed.status, 503);
      assert.doesNotMatch(failed.text, /500|ServiceError|Bearer/);
      assert.match(bot.log.text, /could not get a web chat token/);
      assert.ok(!bot.log.text.includes(SECRET));
    });

    it("limits tokens per client address, shared through the store (429 with Retry-After)", async () => {
      let last = { status: 200, text: "", json: {} as Record<string, unknown> };
      for (let i = 0; i < 121 && last.status === 200; i++) last = await getToken(bot);
      assert.equal(last.status, 429);
      assert.equal(api.calls.length, 120, "the 121st request never reached Direct Line");
    });
  });

  it("without a secret or an app id, hands out tokens for the bot's own local Direct Line", async () => {
    const bot = await startTestBot();
    try {
      const answer = await getToken(bot);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.json.domain, `${bot.service.url}/v3/directline`);
    } finally {
      await bot.service.close();
    }
  });
});
