import assert from "node:assert/strict";
import { startTestBot } from "../support/bot-client";
import type { TestBot } from "../support/bot-client";

describe("GET /chat (the web chat page)", function () {
  this.timeout(30_000);
  let bot: TestBot;
  before(async () => {
    bot = await startTestBot({ HELPDESK_PHONE: "0333 200 1133" });
  });
  after(async () => {
    await bot.service.close();
  });

  it("offers the helpdesk's phone as a link a phone can tap, the same page every time", async () => {
    const pages: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${bot.service.url}/chat`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
      pages.push(await response.text());
    }
    assert.ok(pages[0].includes(`Call the helpdesk on <a href="tel:+443332001133">0333 200 1133</a>`), pages[0]);
    assert.equal(pages[1], pages[0]);
  });
});
