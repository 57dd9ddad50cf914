import assert from "node:assert/strict";
import net from "node:net";
import zlib from "node:zlib";
import { randomUUID } from "node:crypto";
import { ChildBot } from "../support/child-bot";
import { OpenIdKeys } from "../support/openid-keys";
import { MAX_TEXT_CHARS } from "../../src/intents";
import { waitFor } from "../support/wait-for";

const BOT_ID = "0f0e0d0c-0b0a-4909-8807-060504030201";
const NOTIFY_SECRET = "n".repeat(40);

/** A minimal activity as a channel sends it. */
function activity(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "message",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: "http://127.0.0.1:9/",
    from: { id: "user-hostile" },
    recipient: { id: "bot" },
    conversation: { id: `a:${randomUUID()}`, conversationType: "personal" },
    deliveryMode: "expectReplies",
    text: "help",
    ...fields,
  };
}

const bombs = new Map<string, Buffer>();

/** A body that inflates to `mib` MiB of JSON (one long string of zeros), compressed with `encoding` (made once). */
function bomb(encoding: "gzip" | "deflate" | "br", mib: number): Buffer {
  const key = `${encoding}:${mib}`;
  const made = bombs.get(key) ?? compress(encoding, mib);
  bombs.set(key, made);
  return made;
}

function compress(encoding: "gzip" | "deflate" | "br", mib: number): Buffer {
  const prefix = Buffer.from('{"type":"message","text":"');
  const plain = Buffer.concat([prefix, Buffer.alloc(mib * 1024 * 1024, 0x30), Buffer.from('"}')]);
  if (encoding === "gzip") return zlib.gzipSync(plain, { level: 9 });
  if (encoding === "deflate") return zlib.deflateSync(plain, { level: 9 });
  return zlib.brotliCompressSync(plain);
}

async function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : new Uint8Array(body) });
  return { status: response.status, text: await response.text() };
}

/** Sends the start of a request and its headers, part of the body, then drops the connection. */
async function abandon(url: string, path: string, headers: string): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n${headers}Content-Length: 100000\r\n\r\n{"type":"mess`);
      socket.destroy();
      resolve();
    });
    socket.on("error", reject);
  });
}

for (const mode of ["without an app id", "with an app id (authentication on)"] as const) {
  describe(`hostile request bodies against the bot's own process, ${mode}`, function () {
    this.timeout(60_000);
    let bot: ChildBot;
    let keys: OpenIdKeys | undefined;
    const auth: Record<string, string> = mode === "without an app id" ? {} : { authorization: "Bearer forged.token.here" };
    const messages = (): string => `${bot.url}/api/messages`;
    const notify = (): string => `${bot.url}/api/notify/first-login`;
    const routes = (): Array<[string, () => string, Record<string, string>]> => [
      ["/api/messages", messages, auth],
      ["the notify API", notify, { authorization: `Bearer ${NOTIFY_SECRET}` }],
    ];

    before(async () => {
      const env: Record<string, string> = { NOTIFY_SECRET };
      if (mode !== "without an app id") {
        keys = await new OpenIdKeys().start();
        Object.assign(env, { BOT_ID, BOT_PASSWORD: "not-a-real-secret", BOT_OPENID_METADATA_URL: keys.metadataUrl });
      }
      bot = await ChildBot.start(env);
    });
    after(async () => {
      await bot.stop();
      await keys?.stop();
    });
    afterEach(function () {
      assert.ok(bot.alive, `the process ended after "${this.currentTest?.title}":\n${bot.log.slice(-2000)}`);
    });

    for (const [route, url, headers] of routes()) {
      it(`${route}: a truncated gzip body is a 400, and the process stays up`, async () => {
        const truncated = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
        assert.equal((await post(url(), truncated, { ...headers, "content-encoding": "gzip" })).status, 400);
        const half = zlib.gzipSync(JSON.stringify(activity()));
        assert.equal((await post(url(), half.subarray(0, half.length >> 1), { ...headers, "content-encoding": "gzip" })).status, 400);
        assert.equal((await post(url(), Buffer.from("not deflate at all"), { ...headers, "content-encoding": "deflate" })).status, 400);
        assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      });

      it(`${route}: gzip, deflate and br bombs are refused with 413 without the memory to hold them`, async () => {
        for (const encoding of ["gzip", "deflate", "br"] as const) {
          const body = bomb(encoding, 200);
          assert.ok(body.length < 256 * 1024, `${encoding} bomb is ${body.length} bytes, inside the body limit`);
          bot.resetPeakMemory();
          const before = bot.peakMemoryMiB();
          const answer = await post(url(), body, { ...headers, "content-encoding": encoding });
          assert.equal(answer.status, 413, `${encoding}: ${answer.text}`);
          const grew = bot.peakMemoryMiB() - before;
          assert.ok(grew < 64, `${encoding}: peak memory grew by ${grew.toFixed(0)} MiB for a body that inflates to 200 MiB`);
        }
      });

      it(`${route}: an unknown or stacked content encoding, or a body that is not JSON, is refused without echoing it`, async () => {
        for (const encoding of ["compress", "gzip, gzip", "zstd"]) {
          assert.equal((await post(url(), "{}", { ...headers, "content-encoding": encoding })).status, 415, encoding);
        }
        assert.equal((await post(url(), "{}", { ...headers, "content-type": "text/plain" })).status, 415);
        const junk = await post(url(), '{"type": "message", <script>', headers);
        assert.equal(junk.status, 400);
        assert.doesNotMatch(junk.text, /script|Unexpected|JSON|at position/);
      });

      it(`${route}: a client that drops the connection halfway through a body, plain or gzip, changes nothing`, async () => {
        await abandon(bot.url, new URL(url()).pathname, "");
        await abandon(bot.url, new URL(url()).pathname, "Content-Encoding: gzip\r\n");
        assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      });
    }

    if (mode === "without an app id") it("a well-formed gzip-compressed activity inside the limit is read", async () => {
      const body = zlib.gzipSync(JSON.stringify(activity()));
      const answer = await post(messages(), body, { "content-encoding": "gzip" });
      assert.equal(answer.status, 200);
      assert.match(answer.text, /I can help you with/);
    });

    it("malformed activities are a 400 with a short generic body, and one log line with the turn id", async () => {
      const cases: Array<[string, Record<string, unknown>]> = [
        ["no type", { type: undefined }],
        ["a numeric type", { type: 42 }],
        ["an object type", { type: { toString: "message" } }],
        ["a numeric serviceUrl", { serviceUrl: 42 }],
        ["a file: serviceUrl", { serviceUrl: "file:///etc/passwd" }],
        ["a lone surrogate in text", { text: "reset \ud800 password" }],
        ["a lone surrogate in a card input", { text: undefined, value: { verb: "reset.start", note: "\udfff" } }],
        ["from as a string", { from: "someone" }],
        ["no conversation", { conversation: undefined }],
        ["a numeric conversation id", { conversation: { id: 7 } }],
        ["text as an array", { text: ["reset", "password"] }],
        ["an unparseable timestamp", { timestamp: "yesterday-ish" }],
      ];
      for (const [what, fields] of cases) {
        const id = `malformed-${randomUUID()}`;
        const sent = JSON.stringify(activity({ id, ...fields }));
        const answer = await post(messages(), sent, auth);
        assert.equal(answer.status, 400, `${what}: ${answer.text}`);
        assert.equal(answer.text, '{"error":"bad request"}', what);
        await waitFor(() => bot.log.includes(id), `${what}: a log line with the turn id`);
        const lines = bot.log.split("\n").filter((l) => l.includes(id));
        assert.equal(lines.length, 1, `${what}: one log line with the turn id`);
        assert.match(lines[0] ?? "", /refused a malformed activity/);
      }
      assert.doesNotMatch(bot.log, /ZodError|TypeError|at .*\.js:\d+/, "no library error or stack in the log");
    });

    it("nesting deeper than any channel sends is a 400; prototype keys change nothing", async () => {
      const deep = `{"type":"message","value":${"[".repeat(5000)}${"]".repeat(5000)}}`;
      assert.equal((await post(messages(), deep, auth)).status, 400);
      const polluted = JSON.stringify(activity()).replace('"text":"help"', '"text":"help","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}');
      const answer = await post(messages(), polluted, auth);
      assert.ok([200, 401].includes(answer.status), answer.text);
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    });

    if (mode === "without an app id") it(`a ${(100_000).toLocaleString("en-GB")}-character message gets a clear answer at once, and the conversation goes on`, async () => {
      const conversation = { id: `a:${randomUUID()}`, conversationType: "personal" };
      const long = await post(messages(), JSON.stringify(activity({ conversation, text: "reset ".repeat(100_000 / 6) })), {});
      assert.equal(long.status, 200);
      assert.match(long.text, new RegExp(`under ${MAX_TEXT_CHARS.toLocaleString("en-GB")} characters`));
      assert.match((await post(messages(), JSON.stringify(activity({ conversation, text: "reset my password" })), {})).text, /@nhs.net/);
    });
  });
}
