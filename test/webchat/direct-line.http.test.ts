import assert from "node:assert/strict";
import net from "node:net";
import type { Activity } from "botbuilder";
import type { Activity as ClientActivity } from "botframework-directlinejs";
import WebSocket from "ws";
import { startTestBot, verbsIn } from "../support/bot-client";
import type { TestBot } from "../support/bot-client";
import { DirectLineClient, RecordingWebSocket, installBrowserGlobals, userIdOf } from "../support/direct-line-client";
import { waitFor } from "../support/wait-for";
import { Verb } from "../../cards/verbs";
import { BotAdapter } from "../../src/bot-adapter";
import { ConversationReferenceStore } from "../../src/proactive";

const BOT_ID = "4b3f1a8e-1111-4c2d-9e0f-123456789abc";

/** A token from the bot for a new visitor (the local Direct Line is on in these tests). */
function issue(bot: TestBot): { token: string; conversationId: string; expiresIn: number } {
  const issued = bot.service.issueWebChatToken();
  assert.ok(issued, "the local Direct Line is on");
  return issued;
}

function domainOf(bot: TestBot): string {
  assert.ok(bot.service.directLineDomain);
  return bot.service.directLineDomain;
}

/** Calls the Direct Line REST API with a token. */
function call(bot: TestBot, path: string, token: string | undefined, init: { method?: string; body?: unknown; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const body = init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  return fetch(`${domainOf(bot)}${path}`, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body });
}

/** Starts a conversation over REST; its token, ids and stream URL. */
async function startConversation(bot: TestBot): Promise<{ token: string; conversationId: string; userId: string; streamUrl: string }> {
  const issued = issue(bot);
  const response = await call(bot, "/conversations", issued.token, { method: "POST" });
  assert.equal(response.status, 201);
  const body = (await response.json()) as { conversationId: string; token: string; streamUrl: string };
  assert.equal(body.conversationId, issued.conversationId);
  return { token: body.token, conversationId: body.conversationId, userId: userIdOf(body.token), streamUrl: body.streamUrl };
}

/** The activities after a watermark, over REST. */
async function activitiesAfter(bot: TestBot, conversation: { token: string; conversationId: string }, watermark = ""): Promise<{ activities: Activity[]; watermark?: string }> {
  const response = await call(bot, `/conversations/${conversation.conversationId}/activities?watermark=${watermark}`, conversation.token);
  assert.equal(response.status, 200);
  return (await response.json()) as { activities: Activity[]; watermark?: string };
}

const seqOf = (id: string | undefined): number => Number((id ?? "").split("|")[1]);
/** What a received activity answers (the client's types leave `replyToId` out). */
const replyToOf = (activity: ClientActivity): string | undefined => (activity as { replyToId?: string }).replyToId;
const fromBot = (activity: ClientActivity | Activity): boolean => activity.from?.id === "bot";

/** Sends raw bytes to the server; what it answered before closing the connection. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.end(request));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

/** A WebSocket to a stream URL; its frames, or the HTTP status it was refused with. */
class StreamSocket {
  readonly frames: Array<{ activities: Activity[]; watermark?: string }> = [];
  readonly socket: WebSocket;
  refusedWith?: number;
  failed = false;
  open = false;
  closed = false;
  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on("open", () => (this.open = true));
    this.socket.on("message", (data: Buffer) => {
      const text = data.toString("utf8");
      if (text) this.frames.push(JSON.parse(text) as { activities: Activity[]; watermark?: string });
    });
    this.socket.on("unexpected-response", (_req, res) => {
      this.refusedWith = res.statusCode;
      res.resume();
      this.socket.terminate();
    });
    this.socket.on("error", () => (this.failed = true));
    this.socket.on("close", () => (this.closed = true));
  }
  get activities(): Activity[] {
    return this.frames.flatMap((frame) => frame.activities);
  }
}

describe("local Direct Line", () => {
  let bot: TestBot;
  let removeGlobals: () => void;
  const clients: DirectLineClient[] = [];
  const sockets: StreamSocket[] = [];

  before(async () => {
    removeGlobals = installBrowserGlobals();
    bot = await startTestBot();
  });
  afterEach(() => {
    clients.splice(0).forEach((client) => client.end());
    sockets.splice(0).forEach((stream) => stream.socket.terminate());
  });
  after(async () => {
    await bot.service.close();
    removeGlobals();
  });

  after("never logs a token", () => {
    assert.doesNotMatch(bot.log.text, /eyJ[\w-]+\.eyJ/, "no JWT in the log");
    assert.doesNotMatch(bot.log.text, /"level":50/, "no errors");
  });

  const openClient = (options: ConstructorParameters<typeof DirectLineClient>[0]): DirectLineClient => {
    const client = new DirectLineClient({ domain: domainOf(bot), ...options });
    clients.push(client);
    return client;
  };
  /** Posts a message over REST, as a client without the library would. */
  const say = (conversation: { token: string; conversationId: string }, text: string): Promise<Response> =>
    call(bot, `/conversations/${conversation.conversationId}/activities`, conversation.token, { body: { type: "message", text, from: { id: "x" } } });
  const openStream = (url: string): StreamSocket => {
    const stream = new StreamSocket(url);
    sockets.push(stream);
    return stream;
  };

  it("carries a conversation between the real Direct Line client and the bot over the WebSocket", async () => {
    const issued = issue(bot);
    assert.equal(issued.expiresIn, 1800);
    const opened = RecordingWebSocket.opened.length;
    const chat = openClient({ token: issued.token });
    const id = await chat.post({ type: "message", from: { id: "someone-else", name: "Sam Taylor" }, text: "help" });
    assert.match(id, new RegExp(`^${issued.conversationId}\\|\\d{7}$`));

    await waitFor(() => chat.received.some((a) => fromBot(a) && replyToOf(a) === id), "the bot's answer to help", 10_000);
    const answer = chat.received.find((a) => fromBot(a) && replyToOf(a) === id) as Activity | undefined;
    assert.ok(answer);
    const card = (answer.attachments ?? [])[0]?.content as unknown;
    assert.ok(verbsIn(card).includes(Verb.StartReset), "the help card offers the reset");
    assert.equal(answer.conversation.id, issued.conversationId);
    assert.equal(answer.channelId, "directline");

    // The client hears its own message back (Web Chat marks it sent), from the user the token names, not the one it said.
    const echo = chat.received.find((a) => a.id === id);
    assert.ok(echo);
    assert.equal(echo.from.id, userIdOf(issued.token));
    assert.match(echo.from.id, /^dl_[0-9a-f]{32}$/);
    assert.equal(echo.from.name, "Sam Taylor");

    // It came over the WebSocket (the client polls only without one), and the bot saw the server's user id.
    assert.equal(RecordingWebSocket.opened.length, opened + 1);
    assert.match(RecordingWebSocket.opened.at(-1) ?? "", new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${issued.conversationId}/stream\\?t=`));
    const reference = await new ConversationReferenceStore(bot.service.store).find(userIdOf(issued.token));
    assert.equal(reference?.reference.conversation?.id, issued.conversationId);
    assert.equal(await new ConversationReferenceStore(bot.service.store).find("someone-else"), undefined);
  });

  it("works with the client's polling too, and with a conversation id given up front (a reconnect)", async () => {
    const issued = issue(bot);
    const chat = openClient({ token: issued.token, conversationId: issued.conversationId, webSocket: false, pollingInterval: 200 });
    const opened = RecordingWebSocket.opened.length;
    const id = await chat.post({ type: "message", from: { id: "x" }, text: "help" });
    await waitFor(() => chat.received.some((a) => fromBot(a) && replyToOf(a) === id), "the answer, polled", 10_000);
    assert.equal(RecordingWebSocket.opened.length, opened, "no WebSocket");
    assert.equal(chat.received.find((a) => a.id === id)?.from.id, userIdOf(issued.token));
  });

  it("delivers what the bot sends later, unprompted, and replaces an updated activity under the same id", async () => {
    const issued = issue(bot);
    const chat = openClient({ token: issued.token });
    const id = await chat.post({ type: "message", from: { id: "" }, text: "help" });
    await waitFor(() => chat.received.some((a) => fromBot(a) && replyToOf(a) === id), "the answer to help", 10_000);
    const before = chat.received.length;

    // A helpdesk agent's reply, relayed by the bot through the conversation reference it captured, as the bot does.
    const found = await new ConversationReferenceStore(bot.service.store).find(userIdOf(issued.token));
    assert.ok(found, "the bot captured the conversation reference");
    const adapter = new BotAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: "" });
    let sentId: string | undefined;
    await adapter.continueConversationAsync("", found.reference, async (context) => {
      sentId = (await context.sendActivity("Priya from the helpdesk: I've unlocked your account."))?.id;
    });
    assert.ok(sentId);
    await waitFor(() => chat.received.some((a) => a.id === sentId), "the agent's reply", 10_000);
    assert.equal(chat.received.length, before + 1, "nothing else arrived");
    assert.equal((chat.received.at(-1) as Activity).text, "Priya from the helpdesk: I've unlocked your account.");

    const updatedId = sentId;
    await adapter.continueConversationAsync("", found.reference, async (context) => {
      await context.updateActivity({ id: updatedId, type: "message", text: "Priya from the helpdesk: done." });
    });
    await waitFor(() => chat.received.filter((a) => a.id === updatedId).length === 2, "the update");
    assert.equal((chat.received.at(-1) as Activity).text, "Priya from the helpdesk: done.");
    // Read from the start, the conversation holds the update once, in its new place.
    const { activities } = await activitiesAfter(bot, { token: issued.token, conversationId: issued.conversationId });
    assert.deepEqual(
      activities.filter((a) => a.id === updatedId).map((a) => a.text),
      ["Priya from the helpdesk: done."],
    );
    assert.equal(activities.at(-1)?.id, updatedId);
  });

  it("reconnects from a watermark with only the newer activities", async () => {
    const conversation = await startConversation(bot);
    assert.equal((await say(conversation, "help")).status, 200);
    const first = await activitiesAfter(bot, conversation);
    assert.ok(first.activities.length >= 2, "the message and the bot's answer");
    assert.ok(first.watermark);
    const watermark = first.watermark;

    const posted = await say(conversation, "cancel");
    assert.equal(posted.status, 200);
    const { id } = (await posted.json()) as { id: string };
    const later = await activitiesAfter(bot, conversation, watermark);
    assert.ok(later.activities.some((a) => a.replyToId === id), "the message and the bot's answer");
    assert.ok(later.activities.every((a) => seqOf(a.id) > Number(watermark)));
    assert.equal(later.activities[0]?.id, id);
    assert.equal((await activitiesAfter(bot, conversation, later.watermark)).activities.length, 0);

    // The real client, given the conversation and the watermark (as Web Chat does on reload), gets only the newer ones.
    const chat = openClient({ token: conversation.token, conversationId: conversation.conversationId, watermark });
    await waitFor(() => chat.received.length >= later.activities.length, "the newer activities", 10_000);
    assert.deepEqual(
      chat.received.map((a) => a.id),
      later.activities.map((a) => a.id),
    );

    // The reconnect answer's stream starts after the watermark too.
    const reconnect = await call(bot, `/conversations/${conversation.conversationId}?watermark=${watermark}`, conversation.token);
    assert.equal(reconnect.status, 200);
    const answer = (await reconnect.json()) as { conversationId: string; token: string; expires_in: number; streamUrl: string; referenceGrammarId: string };
    assert.equal(answer.conversationId, conversation.conversationId);
    assert.equal(answer.expires_in, 1800);
    assert.match(answer.streamUrl, new RegExp(`[?&]watermark=${watermark}(&|$)`));
    const stream = openStream(answer.streamUrl);
    await waitFor(() => stream.frames.length > 0, "the stream's first frame");
    assert.deepEqual(
      stream.activities.map((a) => a.id),
      later.activities.map((a) => a.id),
    );
    assert.equal(stream.frames[0]?.watermark, later.watermark);
  });

  it("streams each new activity over a plain WebSocket, in Direct Line's frames", async () => {
    const conversation = await startConversation(bot);
    const earlier = (await (await say(conversation, "cancel")).json()) as { id: string };
    const stream = openStream(conversation.streamUrl);
    await waitFor(() => stream.activities.some((a) => a.replyToId === earlier.id), "what came before, on connecting");
    const posted = await say(conversation, "help");
    const { id } = (await posted.json()) as { id: string };
    await waitFor(() => stream.activities.some((a) => a.replyToId === id), "the answer on the stream", 10_000);
    for (const frame of stream.frames) {
      assert.equal(typeof frame.watermark, "string");
      assert.equal(frame.watermark, String(seqOf(frame.activities.at(-1)?.id)));
    }
    assert.deepEqual(
      stream.activities.map((a) => a.id),
      (await activitiesAfter(bot, conversation)).activities.map((a) => a.id),
    );
  });

  it("refuses a token for another conversation with 403, and no token or a forged one with 401", async () => {
    const mine = await startConversation(bot);
    const theirs = await startConversation(bot);
    const path = `/conversations/${theirs.conversationId}`;
    assert.equal((await call(bot, `${path}/activities`, mine.token)).status, 403);
    assert.equal((await call(bot, `${path}/activities`, mine.token, { body: { type: "message", text: "hi" } })).status, 403);
    assert.equal((await call(bot, path, mine.token)).status, 403);
    assert.equal((await call(bot, "/conversations/not-started/activities", mine.token)).status, 403, "403 whether or not it exists");
    assert.equal((await call(bot, `${path}/activities`, undefined)).status, 401);
    const [header, payload] = mine.token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")), conv: theirs.conversationId })).toString("base64url");
    assert.equal((await call(bot, `${path}/activities`, `${header}.${forged}.${mine.token.split(".")[2]}`)).status, 401);
    assert.equal((await call(bot, "/tokens/refresh", "not-a-token", { method: "POST" })).status, 401);

    // Its stream too: another conversation's stream token opens nothing.
    const theirStream = new URL(theirs.streamUrl);
    theirStream.searchParams.set("t", new URL(mine.streamUrl).searchParams.get("t") ?? "");
    const refused = openStream(theirStream.toString());
    await waitFor(() => refused.refusedWith !== undefined, "the refusal");
    assert.equal(refused.refusedWith, 403);
    const forgedStream = new URL(theirs.streamUrl);
    forgedStream.searchParams.set("t", "forged");
    const unauthorized = openStream(forgedStream.toString());
    await waitFor(() => unauthorized.refusedWith !== undefined, "the refusal");
    assert.equal(unauthorized.refusedWith, 401);
  });

  it("generates and refreshes tokens as Direct Line does", async () => {
    const generated = await call(bot, "/tokens/generate", undefined, { body: { user: { id: "dl_chosen-by-the-client" } } });
    assert.equal(generated.status, 200);
    assert.equal(generated.headers.get("cache-control"), "no-store");
    const body = (await generated.json()) as { conversationId: string; token: string; expires_in: number };
    assert.deepEqual(Object.keys(body).sort(), ["conversationId", "expires_in", "token"]);
    assert.equal(body.expires_in, 1800);
    assert.notEqual(userIdOf(body.token), "dl_chosen-by-the-client");

    const refreshed = await call(bot, "/tokens/refresh", body.token, { method: "POST" });
    assert.equal(refreshed.status, 200);
    const fresh = (await refreshed.json()) as { conversationId: string; token: string; expires_in: number };
    assert.equal(fresh.conversationId, body.conversationId);
    assert.equal(userIdOf(fresh.token), userIdOf(body.token));

    const started = await call(bot, "/conversations", fresh.token, { method: "POST" });
    assert.equal(started.status, 201);
    const again = await call(bot, "/conversations", fresh.token, { method: "POST", body: { user: { id: "someone" }, locale: "en-GB" } });
    assert.equal(again.status, 200, "the token's conversation has started already");
    const answer = (await again.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(answer).sort(), ["conversationId", "expires_in", "referenceGrammarId", "streamUrl", "token"]);
  });

  it("allows a few WebSockets per conversation", async () => {
    const conversation = await startConversation(bot);
    const streams: StreamSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = (await (await call(bot, `/conversations/${conversation.conversationId}`, conversation.token)).json()) as { streamUrl: string };
      streams.push(openStream(answer.streamUrl));
      await waitFor(() => streams.at(-1)?.open === true, "a stream to open");
    }
    const answer = (await (await call(bot, `/conversations/${conversation.conversationId}`, conversation.token)).json()) as { streamUrl: string };
    const sixth = openStream(answer.streamUrl);
    await waitFor(() => sixth.refusedWith !== undefined, "the refusal");
    assert.equal(sixth.refusedWith, 429);
    streams[0]?.socket.close();
    await waitFor(() => streams[0]?.closed === true, "a stream to close");
    const again = (await (await call(bot, `/conversations/${conversation.conversationId}`, conversation.token)).json()) as { streamUrl: string };
    const replacement = openStream(again.streamUrl);
    await waitFor(() => replacement.open || replacement.refusedWith !== undefined, "the replacement");
    assert.equal(replacement.open, true);
  });

  describe("malformed input", () => {
    let conversation: { token: string; conversationId: string };
    before(async () => {
      conversation = await startConversation(bot);
    });

    const cases: Array<{ name: string; body: unknown; contentType?: string; status: number }> = [
      { name: "bad JSON", body: '{"type":"message","text":', status: 400 },
      { name: "an array", body: "[]", status: 400 },
      { name: "an unknown type", body: { type: "invoke", text: "hi" }, status: 400 },
      { name: "text that is a number", body: { type: "message", text: 5 }, status: 400 },
      { name: "from that is a string", body: { type: "message", text: "hi", from: "bot" }, status: 400 },
      { name: "attachments that are not a list", body: { type: "message", attachments: "x" }, status: 400 },
      { name: "a lone surrogate", body: '{"type":"message","text":"\\ud800"}', status: 400 },
      { name: "too large for an activity", body: { type: "message", text: "x".repeat(40 * 1024) }, status: 413 },
      { name: "over the body limit", body: { type: "message", text: "x".repeat(300 * 1024) }, status: 413 },
      { name: "not JSON", body: "type=message", contentType: "application/x-www-form-urlencoded", status: 415 },
    ];
    for (const { name, body, contentType, status } of cases) {
      it(`refuses ${name} with ${status}`, async () => {
        const response = await call(bot, `/conversations/${conversation.conversationId}/activities`, conversation.token, { body, contentType });
        assert.equal(response.status, status);
        const words: Record<number, string> = { 400: "bad request", 413: "request too large", 415: "unsupported media type" };
        assert.deepEqual(await response.json(), { error: words[status] }, "a short, fixed body");
      });
    }

    it("refuses a bad watermark, and answers unknown paths with a plain 404", async () => {
      assert.equal((await call(bot, `/conversations/${conversation.conversationId}/activities?watermark=abc`, conversation.token)).status, 400);
      assert.equal((await call(bot, `/conversations/${conversation.conversationId}?watermark=-1`, conversation.token)).status, 400);
      const unknown = await call(bot, "/session/getsessionid", conversation.token);
      assert.equal(unknown.status, 404);
      assert.deepEqual(await unknown.json(), { error: "not found" });
    });

    it("refuses bad connector calls and other upgrade paths, and stays up", async () => {
      const connector = `${bot.service.url}/v3/directline/v3/conversations/${conversation.conversationId}/activities`;
      const bad = await fetch(connector, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
      assert.equal(bad.status, 400);
      const typeless = await fetch(connector, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "no type" }) });
      assert.equal(typeless.status, 400);
      const missing = await fetch(`${connector}/nope`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "message" }) });
      assert.equal(missing.status, 404);
      const elsewhere = openStream(`${bot.service.url.replace("http", "ws")}/api/messages`);
      await waitFor(() => elsewhere.closed, "the other upgrade to be dropped");
      assert.equal(elsewhere.open, false);

      // A stream that sends more than keep-alives is closed; an upgrade that is not a WebSocket handshake is refused.
      const answer = (await (await call(bot, `/conversations/${conversation.conversationId}`, conversation.token)).json()) as { streamUrl: string };
      const chatty = openStream(answer.streamUrl);
      await waitFor(() => chatty.open, "the stream to open");
      chatty.socket.send("x".repeat(64 * 1024));
      await waitFor(() => chatty.closed, "the chatty stream to be closed");
      const stream = new URL(answer.streamUrl);
      const reply = await rawRequest(Number(stream.port), `GET ${stream.pathname}${stream.search} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
      assert.match(reply, /^HTTP\/1\.1 400 /, "no Sec-WebSocket-Key: refused");
      assert.equal((await fetch(`${bot.service.url}/healthz`)).status, 200);
      const posted = await call(bot, `/conversations/${conversation.conversationId}/activities`, conversation.token, { body: { type: "message", text: "help" } });
      assert.equal(posted.status, 200);
    });
  });
});

describe("local Direct Line switched off", () => {
  for (const [name, env] of [
    ["BOT_ID is set", { BOT_ID, BOT_PASSWORD: "not-used-by-this-test" }],
    ["a Direct Line secret is set", { DIRECTLINE_SECRET: "a-direct-line-secret-0123456789abcdef" }],
  ] as const) {
    it(`is not served when ${name}`, async () => {
      const bot = await startTestBot(env);
      try {
        assert.equal(bot.service.issueWebChatToken(), undefined);
        assert.equal(bot.service.directLineDomain, undefined);
        const base = `${bot.service.url}/v3/directline`;
        for (const [method, path] of [
          ["POST", "/tokens/generate"],
          ["POST", "/conversations"],
          ["GET", "/conversations/abc/activities"],
          ["POST", "/v3/conversations/abc/activities"],
        ]) {
          const response = await fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined });
          assert.equal(response.status, 404, `${method} ${path}`);
        }
        const stream = new StreamSocket(`${base.replace("http", "ws")}/conversations/abc/stream?t=x`);
        await waitFor(() => stream.closed, "the upgrade to be dropped");
        assert.equal(stream.open, false);
        assert.equal(stream.refusedWith, undefined, "dropped, not answered");
      } finally {
        await bot.service.close();
      }
    });
  }
});

describe("local Direct Line at shutdown", () => {
  it("closes open WebSockets so that the server stops at once", async () => {
    const bot = await startTestBot({ SHUTDOWN_GRACE_MS: "20000" });
    const issued = issue(bot);
    const started = await call(bot, "/conversations", issued.token, { method: "POST" });
    const stream = new StreamSocket(((await started.json()) as { streamUrl: string }).streamUrl);
    await waitFor(() => stream.open, "the stream to open");
    const began = Date.now();
    await bot.service.close();
    assert.ok(Date.now() - began < 5000, "not held by the WebSocket");
    await waitFor(() => stream.closed, "the stream to close");
  });
});
