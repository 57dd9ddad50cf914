import assert from "node:assert/strict";
import { TempDir } from "../support/temp-dir";
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

  it("shares the limit between instances over one store", async () => {
    const dir = new TempDir();
    const env = { NOTIFY_RATE_PER_MINUTE: "2", STATE_URL: `sqlite://${dir.file("state.sqlite")}` };
    bot = await startNotifyBot(env);
    const other = await startNotifyBot(env);
    try {
      assert.equal((await bot.notify({ email: KNOWN_EMAIL })).status, 200);
      assert.equal((await other.notify({ email: KNOWN_EMAIL })).status, 200);
      assert.equal((await bot.notify({ email: KNOWN_EMAIL })).status, 429, "the third call is refused, whichever instance takes it");
      assert.equal((await other.notify({ email: KNOWN_EMAIL })).status, 429);
    } finally {
      await other.service.close();
      await bot.service.close();
      bot = undefined;
      dir.remove();
    }
  });
});
