import assert from "node:assert/strict";
import { KNOWN_EMAIL, startNotifyBot } from "./support";
import type { NotifyBot } from "./support";

describe("the notify API's switch and rate limit", () => {
  let bot: NotifyBot | undefined;
  afterEach(async () => {
    await bot?.service.close();
    bot = undefined;
  });

  it("is not served (404) when NOTIFY_SECRET is unset", async () => {
    bot = await startNotifyBot({ NOTIFY_SECRET: "" });
    assert.equal((await bot.notify({ email: KNOWN_EMAIL })).status, 404);
  });

  it("answers 429 with Retry-After beyond NOTIFY_RATE_PER_MINUTE, before checking the secret", async () => {
    bot = await startNotifyBot({ NOTIFY_RATE_PER_MINUTE: "2" });
    assert.equal((await bot.notify({ email: KNOWN_EMAIL }, "wrong")).status, 401);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL })).status, 200);
    const limited = await fetch(`${bot.service.url}/api/notify/first-login`, { method: "POST" });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  });
});
