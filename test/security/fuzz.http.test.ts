import assert from "node:assert/strict";
import http from "node:http";
import zlib from "node:zlib";
import fc from "fast-check";
import { Verb } from "../../cards/verbs";
import { ChildBot } from "../support/child-bot";
import { FakeConnector } from "../proactive/fake-connector";

/** The seed: the same seed sends the same requests. `FUZZ_SEED` replays another run; `FUZZ_RUNS` changes the count. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);

/** One request to send: a body (already bytes) and its headers, with the class of damage it carries. */
interface FuzzCase {
  kind: string;
  path: string;
  body: Buffer;
  headers: Record<string, string>;
}

const FIELDS = [
  "type", "id", "channelId", "serviceUrl", "from", "from.id", "from.name", "from.aadObjectId", "recipient", "recipient.id",
  "conversation", "conversation.id", "conversation.conversationType", "conversation.isGroup", "text", "value", "attachments",
  "entities", "channelData", "timestamp", "localTimestamp", "locale", "replyToId", "membersAdded", "deliveryMode", "name", "action",
] as const;

/** A well-formed message activity, replies coming back in the HTTP body. */
function baseActivity(serviceUrl: string, conversation: string): Record<string, unknown> {
  return {
    type: "message",
    id: `fuzz-${conversation}`,
    channelId: "msteams",
    serviceUrl,
    from: { id: "29:fuzz-user", name: "Fuzz", aadObjectId: "00000000-0000-4000-8000-000000000001" },
    recipient: { id: "28:bot", name: "NHSmail helpdesk" },
    conversation: { id: `a:${conversation}`, conversationType: "personal" },
    deliveryMode: "expectReplies",
    locale: "en-GB",
    text: "help",
  };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split(".") as [string, string | undefined];
  if (tail === undefined) target[head] = value;
  else target[head] = { ...((target[head]) ?? {}), [tail]: value };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value) ?? "null");
const JSON_HEADERS = { "content-type": "application/json" };

/**
 * Sends a body and resolves to the status the server answered. A server answers a body over the size limit (413) as
 * soon as it has read past the limit, and closes the connection without reading the rest: the client's write may
 * then fail (EPIPE or a reset) before it has read the answer. That is reported as {@link CLOSED_EARLY}; any other
 * failure to get an answer fails the test.
 */
const CLOSED_EARLY = 0;

function statusOf(url: string, method: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, { method, headers: { ...headers, "content-length": String(body.length) } }, (response) => {
      answered = true;
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (answered) return;
      if (error.code === "EPIPE" || error.code === "ECONNRESET") resolve(CLOSED_EARLY);
      else reject(error);
    });
    request.end(body);
  });
}

/** Every class of damage the suite sends, each as a fast-check arbitrary of {@link FuzzCase}s. */
function cases(serviceUrl: string): fc.Arbitrary<FuzzCase> {
  const conversation = fc.uuid();
  const activity = conversation.map((c) => baseActivity(serviceUrl, c));
  const message = (kind: string, body: fc.Arbitrary<Buffer>, headers: Record<string, string> = JSON_HEADERS): fc.Arbitrary<FuzzCase> =>
    body.map((b) => ({ kind, path: "/api/messages", body: b, headers }));
  const nested = (depth: number): unknown => {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
    return value;
  };
  return fc.oneof(
    message("bad JSON", fc.oneof(fc.string({ maxLength: 200 }), activity.chain((a) => fc.nat(JSON.stringify(a).length - 1).map((n) => JSON.stringify(a).slice(0, n)))).map((s) => Buffer.from(s))),
    message("not an object", fc.oneof(fc.array(fc.anything()), fc.string(), fc.integer(), fc.constant(null)).map(json)),
    message(
      "wrong type in a field",
      fc.tuple(activity, fc.constantFrom(...FIELDS), fc.anything({ maxDepth: 3 })).map(([a, field, value]) => (setPath(a, field, value), json(a))),
    ),
    message("field left out", fc.tuple(activity, fc.constantFrom(...FIELDS)).map(([a, field]) => (setPath(a, field, undefined), json(a)))),
    message(
      "huge field",
      fc.tuple(activity, fc.constantFrom("text", "name", "from.name", "locale", "id", "conversation.id"), fc.integer({ min: 2_001, max: 400_000 })).map(
        ([a, field, size]) => (setPath(a, field, "r".repeat(size)), json(a)),
      ),
    ),
    message("many keys", fc.tuple(activity, fc.integer({ min: 100, max: 20_000 })).map(([a, n]) => json({ ...a, value: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])) }))),
    message("deep nesting", fc.tuple(activity, fc.integer({ min: 20, max: 3_000 })).map(([a, depth]) => json({ ...a, value: nested(depth), channelData: nested(depth >> 1) }))),
    message("unknown activity type", fc.tuple(activity, fc.string({ minLength: 1, maxLength: 40 }), fc.anything({ maxDepth: 2 })).map(([a, type, value]) => json({ ...a, type, value }))),
    message(
      "invoke",
      fc.tuple(activity, fc.constantFrom("adaptiveCard/action", "task/fetch", "composeExtension/query", "signin/verifyState", "config/fetch"), fc.string(), fc.anything({ maxDepth: 3 })).map(
        ([a, name, verb, data]) => json({ ...a, type: "invoke", name, value: { action: { type: "Action.Execute", verb, data } , data } }),
      ),
    ),
    message(
      "card submit with unknown or damaged verb",
      fc.tuple(activity, fc.oneof(fc.string(), fc.constantFrom(...Object.values(Verb)), fc.anything()), fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 6 })).map(
        ([a, verb, inputs]) => json({ ...a, text: undefined, value: { ...inputs, verb } }),
      ),
    ),
    message(
      "prototype pollution",
      fc.tuple(activity, fc.constantFrom("__proto__", "constructor", "prototype"), fc.constantFrom("", "value", "from", "channelData", "conversation")).map(([a, key, where]) => {
        const text = JSON.stringify(a);
        const poison = `"${key}":{"polluted":true,"prototype":{"polluted":true},"isGroup":true,"type":"message"}`;
        return Buffer.from(where ? text.replace(`"${where}":`, `"${where}":{${poison}},"x${where}":`) : text.replace("{", `{${poison},`));
      }),
    ),
    message("gzip-compressed, intact", activity.map((a) => zlib.gzipSync(json(a))), { ...JSON_HEADERS, "content-encoding": "gzip" }),
    message(
      "gzip-compressed, broken",
      fc.tuple(activity, fc.nat(), fc.uint8Array({ maxLength: 64 })).map(([a, cut, noise]) => {
        const zipped = zlib.gzipSync(json(a));
        return Buffer.concat([zipped.subarray(0, cut % zipped.length), Buffer.from(noise)]);
      }),
      { ...JSON_HEADERS, "content-encoding": "gzip" },
    ),
    message("random bytes as deflate", fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)), { ...JSON_HEADERS, "content-encoding": "deflate" }),
    message("wrong content type", activity.map(json), { "content-type": "text/plain" }),
    fc.tuple(fc.anything({ maxDepth: 3 }), fc.boolean()).map(([body, bearer]) => ({
      kind: "notify API body",
      path: "/api/notify/first-login",
      body: json(body),
      headers: { ...JSON_HEADERS, ...(bearer ? { authorization: `Bearer ${"f".repeat(40)}` } : {}) },
    })),
  );
}

/** A route that reads a JSON body, with the headers (a token) it needs to get as far as reading it. */
interface BodyRoute {
  method: "POST" | "PUT";
  path: string;
  headers: Record<string, string>;
}

/**
 * Bodies no route may accept, each with the content encoding it claims: bad JSON, not an object, too big before or
 * after decompression, absurdly deep, a broken or fake compressed stream, the wrong media type.
 */
function damagedBodies(): fc.Arbitrary<{ kind: string; body: Buffer; headers: Record<string, string> }> {
  const plain = (kind: string, body: fc.Arbitrary<Buffer>, headers: Record<string, string> = JSON_HEADERS) => body.map((b) => ({ kind, body: b, headers }));
  return fc.oneof(
    plain("bad JSON", fc.string({ minLength: 1, maxLength: 120 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }).map((s) => Buffer.from(s))),
    plain("not an object", fc.oneof(fc.array(fc.integer()), fc.string(), fc.integer(), fc.constant(null)).map(json)),
    plain("over the size limit", fc.integer({ min: 300_000, max: 600_000 }).map((n) => Buffer.from(`{"text":"${"x".repeat(n)}"}`))),
    plain("deep nesting", fc.integer({ min: 40, max: 2_000 }).map((d) => Buffer.from(`{"value":${"[".repeat(d)}${"]".repeat(d)}}`))),
    plain("gzip past the size limit", fc.integer({ min: 300_000, max: 2_000_000 }).map((n) => zlib.gzipSync(Buffer.from(`{"text":"${"0".repeat(n)}"}`))), { ...JSON_HEADERS, "content-encoding": "gzip" }),
    plain("broken gzip", fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from(b)])), { ...JSON_HEADERS, "content-encoding": "gzip" }),
    plain("unknown encoding", fc.constant(Buffer.from("{}")), { ...JSON_HEADERS, "content-encoding": "compress" }),
    plain("wrong media type", fc.constant(Buffer.from("{}")), { "content-type": "text/plain" }),
  );
}

describe("fuzzing the HTTP surface (seeded, reproducible)", function () {
  this.timeout(180_000);
  let bot: ChildBot;
  let connector: FakeConnector;
  let serviceUrl: string;

  before(async () => {
    connector = new FakeConnector();
    serviceUrl = await connector.start();
    // The notify API's rate limit is raised so that its bodies, not its limit, are what the fuzz reaches.
    bot = await ChildBot.start({ NOTIFY_SECRET: "f".repeat(40), NOTIFY_RATE_PER_MINUTE: "10000" });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it(`${RUNS} malformed requests and activities: no 5xx, the process stays up, and a normal conversation works afterwards`, async () => {
    const sample = fc.sample(cases(serviceUrl), { seed: SEED, numRuns: RUNS });
    const counts = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < sample.length) {
        const index = next++;
        const c = sample[index];
        const response = await fetch(`${bot.url}${c.path}`, { method: "POST", headers: c.headers, body: new Uint8Array(c.body) });
        await response.arrayBuffer();
        const byStatus = counts.get(c.kind) ?? new Map<number, number>();
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        counts.set(c.kind, byStatus);
        if (response.status >= 500) failures.push(`#${index} ${c.kind}: HTTP ${response.status} (replay with FUZZ_SEED=${SEED})`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    const table = [...counts].map(([kind, byStatus]) => `  ${kind.padEnd(42)} ${[...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join("  ")}`);
    console.log(`    fuzz: ${sample.length} requests, seed ${SEED}\n${table.join("\n")}`);
    assert.deepEqual(failures, []);
    assert.ok(bot.alive, "the process is still running");
    const failedInside = bot.log.split("\n").filter((l) => /"msg":"(turn|request) failed"/.test(l));
    assert.deepEqual(failedInside, [], "no turn or request failed inside the bot");

    const talk = async (text: string, conversation: string): Promise<string> => {
      const response = await fetch(`${bot.url}/api/messages`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ ...baseActivity(serviceUrl, conversation), id: `after-${text}`, text }) });
      assert.equal(response.status, 200);
      return response.text();
    };
    assert.match(await talk("reset my password", "after-fuzz"), /@nhs\.net/);
    assert.match(await talk("jane.smith@nhs.net", "after-fuzz"), /Verify it's you/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("every route that reads a body answers damaged bodies with a 4xx, and the process stays up", async () => {
    // A web visitor's token and conversation, so the Direct Line routes get as far as reading the body.
    const issued = (await (await fetch(`${bot.url}/api/webchat/token`, { method: "POST", headers: JSON_HEADERS, body: "{}" })).json()) as { token: string; conversationId: string };
    const bearer = { authorization: `Bearer ${issued.token}` };
    const dl = "/v3/directline";
    const routes: BodyRoute[] = [
      { method: "POST", path: "/api/messages", headers: {} },
      { method: "POST", path: "/api/notify/first-login", headers: { authorization: `Bearer ${"f".repeat(40)}` } },
      { method: "POST", path: "/api/webchat/token", headers: {} },
      { method: "POST", path: `${dl}/tokens/generate`, headers: bearer },
      { method: "POST", path: `${dl}/tokens/refresh`, headers: bearer },
      { method: "POST", path: `${dl}/conversations`, headers: bearer },
      { method: "POST", path: `${dl}/conversations/${issued.conversationId}/activities`, headers: bearer },
      { method: "POST", path: `${dl}/v3/conversations/${issued.conversationId}/activities`, headers: {} },
      { method: "POST", path: `${dl}/v3/conversations/${issued.conversationId}/activities/x`, headers: {} },
      { method: "PUT", path: `${dl}/v3/conversations/${issued.conversationId}/activities/x`, headers: {} },
    ];
    const sample = fc.sample(fc.tuple(fc.constantFrom(...routes), damagedBodies()), { seed: SEED, numRuns: 400 });
    const answers = new Map<string, Map<number, number>>();
    const wrong: string[] = [];
    for (const [index, [route, damaged]] of sample.entries()) {
      const status = await statusOf(`${bot.url}${route.path}`, route.method, { ...damaged.headers, ...route.headers }, damaged.body);
      const key = `${route.method} ${route.path.replace(issued.conversationId, ":id")}`;
      const byStatus = answers.get(key) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      answers.set(key, byStatus);
      // Closing on a body over the limit is a refusal too; on anything else it would hide an answer.
      const refused = status === CLOSED_EARLY ? damaged.kind === "over the size limit" : status >= 400 && status < 500;
      if (!refused) wrong.push(`#${index} ${key} ${damaged.kind}: HTTP ${status}`);
    }
    const table = [...answers].map(([route, byStatus]) => `  ${route.padEnd(60)} ${[...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join("  ")}`);
    console.log(`    fuzz: ${sample.length} damaged bodies to ${routes.length} routes, seed ${SEED}\n${table.join("\n")}`);
    assert.deepEqual(wrong, []);
    assert.ok(bot.alive, "the process is still running");
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
  });
});
