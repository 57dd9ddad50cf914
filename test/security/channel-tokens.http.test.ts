import assert from "node:assert/strict";
import { createSecretKey, generateKeyPairSync, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { ChildBot } from "../support/child-bot";
import { OpenIdKeys } from "../support/openid-keys";
import { waitFor } from "../support/wait-for";

const BOT_ID = "0f0e0d0c-0b0a-4909-8807-060504030201";
const BOT_PASSWORD = "the-bots-own-client-secret-value";

/** Encodes a JWT by hand, for tokens no honest library would sign (alg "none"). */
function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part(header)}.${part(payload)}.`;
}

describe("forged channel tokens, with an app id configured", function () {
  this.timeout(60_000);
  let keys: OpenIdKeys;
  let bot: ChildBot;

  before(async () => {
    keys = await new OpenIdKeys().start();
    bot = await ChildBot.start({ BOT_ID, BOT_PASSWORD, BOT_OPENID_METADATA_URL: keys.metadataUrl });
    await bot.settled();
  });
  after(async () => {
    await bot.stop();
    await keys.stop();
  });

  const send = async (authorization: string | undefined, fields: Record<string, unknown> = {}): Promise<{ status: number; text: string; id: string }> => {
    const id = `turn-${randomUUID()}`;
    const activity = {
      type: "message",
      id,
      channelId: "msteams",
      serviceUrl: "http://127.0.0.1:9/",
      from: { id: "user-1", aadObjectId: randomUUID() },
      recipient: { id: `28:${BOT_ID}` },
      conversation: { id: `a:${randomUUID()}`, conversationType: "personal" },
      deliveryMode: "expectReplies",
      text: "help",
      ...fields,
    };
    const response = await fetch(`${bot.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
    });
    return { status: response.status, text: await response.text(), id };
  };

  it("accepts a token the channel signed: the control that shows the table below can fail", async () => {
    const answer = await send(`Bearer ${keys.sign(BOT_ID)}`);
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.text, /I can help you with/);
  });

  const now = Math.floor(Date.now() / 1000);
  const forged: Array<[string, () => string, Record<string, unknown>?]> = [
    ["no token at all", () => ""],
    ["a bearer that is not a JWT", () => "Bearer not-a-token"],
    ["a token signed by a random key, carrying a published key id", () => `Bearer ${keys.sign(BOT_ID, {}, {}, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey)}`],
    ["alg none, carrying a published key id", () => `Bearer ${unsigned({ alg: "none", typ: "JWT", kid: keys.kid }, { iss: "https://api.botframework.com", aud: BOT_ID, exp: now + 3600 })}`],
    ["an expired token signed by the published key", () => `Bearer ${keys.sign(BOT_ID, { iat: now - 7200, exp: now - 3600 })}`],
    ["HS256 signed with the bot's own password, carrying a published key id", () => `Bearer ${jwt.sign({ iss: "https://api.botframework.com", aud: BOT_ID }, createSecretKey(Buffer.from(BOT_PASSWORD)), { algorithm: "HS256", keyid: keys.kid, expiresIn: "1h" })}`],
    ["a token for another bot", () => `Bearer ${keys.sign(randomUUID())}`],
    ["a token from another issuer", () => `Bearer ${keys.sign(BOT_ID, {}, { issuer: "https://sts.windows.net/attacker/" })}`],
    ["a token not valid until next week", () => `Bearer ${keys.sign(BOT_ID, {}, { notBefore: "7d" })}`],
    ["an unknown key id", () => `Bearer ${keys.sign(BOT_ID, {}, { keyid: "no-such-key" })}`],
    ["a token whose serviceurl claim is another host", () => `Bearer ${keys.sign(BOT_ID, { serviceurl: "https://attacker.example/" })}`],
    ["a key not endorsed for the activity's channel", () => `Bearer ${keys.sign(BOT_ID)}`, { channelId: "slack" }],
    ["the token in a Basic header", () => `Basic ${keys.sign(BOT_ID)}`],
  ];

  for (const [what, token, fields] of forged) {
    it(`refuses ${what} with 401 and one warning line, without the token, keys or a stack`, async () => {
      const authorization = token();
      const before = bot.log.length;
      const answer = await send(authorization || undefined, fields);
      assert.equal(answer.status, 401, answer.text);
      assert.equal(answer.text, '{"error":"unauthorized"}');
      await waitFor(() => bot.log.slice(before).includes("refused a request to /api/messages"), "the refusal's log line");
      const logged = bot.log.slice(before).split("\n").filter(Boolean);
      assert.equal(logged.length, 1, `one line, not:\n${logged.join("\n")}`);
      assert.match(logged[0] ?? "", /"level":40/, "a warning");
      const credential = authorization.split(" ")[1] ?? "";
      if (credential) assert.ok(!bot.log.includes(credential.split(".")[1] ?? credential), "the token reached the log");
      assert.ok(!bot.log.includes(keys.modulus.slice(0, 40)), "the published key reached the log");
      assert.doesNotMatch(bot.log, /BEGIN (RSA )?PUBLIC KEY|Available keys|\n\s+at /, "key material or a stack trace in the output");
    });
  }

  it("forged key ids cannot make the bot fetch the signing keys more than once per refresh gap", async () => {
    const before = keys.fetches;
    for (let i = 0; i < 20; i++) assert.equal((await send(`Bearer ${keys.sign(BOT_ID, {}, { keyid: `made-up-${i}` })}`)).status, 401);
    assert.ok(keys.fetches - before <= 2, `${keys.fetches - before} fetches for 20 unknown key ids`);
  });

  it("still answers a genuine channel afterwards", async () => {
    assert.equal((await send(`Bearer ${keys.sign(BOT_ID)}`)).status, 200);
    assert.ok(bot.alive);
  });
});
