import assert from "node:assert/strict";
import { FakeConnector } from "./fake-connector";
import { KNOWN_EMAIL, TeamsUser, isFirstLoginCard, startNotifyBot } from "./support";
import type { NotifyBot } from "./support";

describe("POST /api/notify/first-login over the real server and connector client", () => {
  let bot: NotifyBot;
  let connector: FakeConnector;
  let serviceUrl: string;

  beforeEach(async () => {
    connector = new FakeConnector();
    serviceUrl = await connector.start();
    bot = await startNotifyBot();
  });
  afterEach(async () => {
    await bot.service.close();
    await connector.stop();
  });

  const firstLoginCards = (user: TeamsUser) => connector.received.filter((r) => r.conversationId === user.conversationId && isFirstLoginCard(r.activity));
  const referenceOf = (user: TeamsUser) => bot.service.store.keyv("references").get(user.aadObjectId);
  const installed = async (): Promise<TeamsUser> => {
    const user = new TeamsUser(serviceUrl);
    assert.equal(await bot.post(user.install()), 200);
    assert.ok(await referenceOf(user), "the install stores a conversation reference");
    return user;
  };

  it("refuses a call without the shared secret, or with a wrong one (401)", async () => {
    assert.equal((await bot.notify({ email: KNOWN_EMAIL }, null)).status, 401);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL }, "not-the-secret")).status, 401);
    assert.doesNotMatch(bot.log.text, /test-notify-secret/);
  });

  it("refuses a bad body with a clear message (400)", async () => {
    const notNhs = await bot.notify({ email: "someone@example.com" });
    assert.equal(notNhs.status, 400);
    assert.match(JSON.stringify(notNhs.body.problems), /email must be an @nhs\.net email address/);
    const badGuid = await bot.notify({ email: KNOWN_EMAIL, aadObjectId: "nope" });
    assert.equal(badGuid.status, 400);
    assert.match(JSON.stringify(badGuid.body.problems), /aadObjectId must be a GUID/);
    assert.equal((await bot.notify({})).status, 400);
  });

  it("answers unknown-user for an address the directory does not hold", async () => {
    const answer = await bot.notify({ email: "nobody.here@nhs.net", aadObjectId: new TeamsUser(serviceUrl).aadObjectId });
    assert.deepEqual(answer, { status: 200, body: { status: "unknown-user" } });
  });

  it("delivers the card through the connector when the user has installed the bot", async () => {
    const user = await installed();
    const answer = await bot.notify({ email: KNOWN_EMAIL.toUpperCase(), aadObjectId: user.aadObjectId });
    assert.deepEqual(answer.body, { status: "delivered" });
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("sends one card for duplicate calls", async () => {
    const user = await installed();
    const answers = await Promise.all([1, 2, 3].map(() => bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })));
    assert.ok(answers.every((a) => a.body.status === "delivered"));
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "delivered");
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("queues a call made before install, and delivers it once on install and never again", async () => {
    const user = new TeamsUser(serviceUrl);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "queued");
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "queued");
    assert.equal(firstLoginCards(user).length, 0);
    assert.equal(await bot.post(user.install()), 200);
    assert.equal(firstLoginCards(user).length, 1);
    assert.equal(await bot.post(user.message("hello")), 200);
    assert.equal(await bot.post(user.install()), 200);
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("delivers a queued card on the user's first message when the call named no AAD id until later", async () => {
    const user = new TeamsUser(serviceUrl);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL })).body.status, "queued");
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "queued");
    assert.equal(await bot.post(user.message("hi")), 200);
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("retries a 429 from Teams with back-off and delivers", async () => {
    const user = await installed();
    connector.failNext(429);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "delivered");
    assert.deepEqual(connector.attempts.slice(-2), [429, 200]);
    assert.equal(bot.delays.length, 1);
    assert.ok(bot.delays[0] >= 250 && bot.delays[0] <= 500, `first wait ${bot.delays[0]} ms`);
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("gives up after three tries and queues the card for the user's next visit", async () => {
    const user = await installed();
    connector.failNext(412, 429, 429);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "queued");
    assert.equal(bot.delays.length, 2);
    assert.ok(bot.delays[1] >= 500 && bot.delays[1] <= 1000, `second wait ${bot.delays[1]} ms`);
    assert.ok(await referenceOf(user), "a throttled user keeps the reference");
    assert.equal(await bot.post(user.message("hello")), 200);
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("on a 403 forgets the reference and queues the card, delivered when the user comes back", async () => {
    const user = await installed();
    connector.failNext(403);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "queued");
    assert.deepEqual(connector.attempts, [403], "a 403 is not retried");
    assert.equal(await referenceOf(user), undefined);
    assert.equal(await bot.post(user.install()), 200);
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("forgets the reference on uninstall, so a later call is queued", async () => {
    const user = await installed();
    assert.equal(await bot.post(user.uninstall()), 200);
    assert.equal(await referenceOf(user), undefined);
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "queued");
    assert.equal(connector.received.length, 0);
  });

  it("keeps no reference for a team channel", async () => {
    const user = new TeamsUser(serviceUrl);
    const inChannel = user.message("hello");
    inChannel.conversation = { id: "19:channel", conversationType: "channel", isGroup: true, name: "General" };
    assert.equal(await bot.post(inChannel), 200);
    assert.equal(await referenceOf(user), undefined);
  });
});
