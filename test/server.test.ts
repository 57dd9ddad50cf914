import assert from "node:assert/strict";
import net from "node:net";
import { startTestBot, Conversation } from "./support/bot-client";
import { waitFor } from "./support/wait-for";
import { TempDir } from "./support/temp-dir";

describe("HTTP server", () => {
  describe("health and limits", () => {
    it("answers /healthz and /readyz while the store is reachable, and 503 once it is not", async () => {
      const dir = new TempDir();
      const bot = await startTestBot({ STATE_URL: `sqlite://${dir.file("state.sqlite")}` });
      try {
        assert.equal((await fetch(`${bot.service.url}/healthz`)).status, 200);
        assert.equal((await fetch(`${bot.service.url}/readyz`)).status, 200);
        await bot.service.store.close();
        const ready = await fetch(`${bot.service.url}/readyz`);
        assert.equal(ready.status, 503);
        assert.deepEqual(await ready.json(), { status: "unavailable", reason: "state store not reachable" });
      } finally {
        await bot.service.close();
        dir.remove();
      }
    });

    it("refuses a body over the size limit with 413", async () => {
      const bot = await startTestBot({ MAX_BODY_KB: "16" });
      try {
        const response = await new Conversation(bot.endpoint).post({ text: "x".repeat(20 * 1024) });
        assert.equal(response.status, 413);
        assert.equal((await new Conversation(bot.endpoint).post({ text: "help" })).status, 200);
      } finally {
        await bot.service.close();
      }
    });

    it("has nothing but the documented routes", async () => {
      const bot = await startTestBot();
      try {
        assert.equal((await fetch(`${bot.service.url}/api/other`, { method: "POST" })).status, 404);
        assert.equal((await fetch(`${bot.service.url}/api/messages`)).status, 405);
      } finally {
        await bot.service.close();
      }
    });
  });

  describe("authentication", () => {
    it("accepts unsigned requests when no app id is configured (local use)", async () => {
      const bot = await startTestBot();
      try {
        assert.equal((await new Conversation(bot.endpoint).post({ text: "help" })).status, 200);
      } finally {
        await bot.service.close();
      }
    });

    it("refuses unsigned and badly signed requests with 401 once an app id is configured", async () => {
      const bot = await startTestBot({ BOT_ID: "4b3f1a8e-1111-4c2d-9e0f-123456789abc", BOT_PASSWORD: "not-used-by-this-test" });
      try {
        const chat = new Conversation(bot.endpoint);
        assert.equal((await chat.post({ text: "help" })).status, 401);
        assert.equal((await chat.post({ text: "help" }, { authorization: "Bearer not.a.jwt" })).status, 401);
      } finally {
        await bot.service.close();
      }
    });
  });

  describe("graceful shutdown", () => {
    it("answers a request that was still arriving when shutdown began, then refuses new connections", async () => {
      const bot = await startTestBot();
      const port = Number(new URL(bot.service.url).port);
      const chat = new Conversation(bot.endpoint);
      const body = JSON.stringify({
        type: "message", id: "slow-1", channelId: "msteams", serviceUrl: "http://127.0.0.1:9/", from: chat.user,
        recipient: { id: "bot" }, conversation: { id: chat.conversationId, conversationType: "personal" },
        deliveryMode: "expectReplies", text: "help",
      });
      const socket = net.connect(port, "127.0.0.1");
      const answer = new Promise<string>((resolve) => {
        let data = "";
        socket.on("data", (chunk) => (data += chunk.toString()));
        socket.on("close", () => resolve(data));
      });
      const half = Math.floor(body.length / 2);
      socket.write(`POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`);
      await waitFor(() => bot.service.requestsInFlight() === 1, "the server to start reading the request");

      const closing = bot.service.close();
      socket.write(body.slice(half));
      const response = await answer;
      await closing;

      assert.match(response, /^HTTP\/1\.1 200/);
      assert.match(response, /"activities"/);
      await assert.rejects(fetch(`${bot.service.url}/healthz`));
    });
  });
});
