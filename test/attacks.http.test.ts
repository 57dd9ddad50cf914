import assert from "node:assert/strict";
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { startTestBot, Conversation, visibleText } from "./support/bot-client";
import type { TestBot } from "./support/bot-client";
import { TempDir } from "./support/temp-dir";
import { codeFor, drainedOutbox } from "./support/outbox";
import { Verb } from "../cards/verbs";
import { currentTotp } from "../src/verification";
import { CHOOSE_A_METHOD } from "../dialogs/verify-identity-dialog";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";
const JANE_PASSWORD = "Harbour-Lantern-58";
const JANE_TOTP = "6P44SLTPSGOAW3WEDQPAOXNB63OSPXLO";
const NEW_PASSWORD = "Violet-Compass-Thunder-8";
const sms = { verb: Verb.ChooseMethod, method: "sms" };

/** Walks a conversation to the code prompt by text message. */
async function toCodePrompt(chat: Conversation, email = JANE): Promise<void> {
  await chat.say("reset my password");
  await chat.say(email);
  await chat.submit(sms);
  await chat.say("07700 900118");
}

describe("attacks on the reset, over HTTP", function () {
  this.timeout(120_000);
  const dir = new TempDir();
  let bot: TestBot;
  beforeEach(async () => (bot = await startTestBot({ STATE_URL: `sqlite://${dir.file(`${randomUUID()}.sqlite`)}` })));
  afterEach(() => bot.service.close());
  after(() => dir.remove());

  it("10,000 code guesses get nowhere: the account locks after 5, and even the right code fails after that", async () => {
    const chat = new Conversation(bot.endpoint);
    await toCodePrompt(chat);
    const real = await codeFor(bot, JANE_MOBILE);
    let successes = 0;
    for (let i = 0; i < 10_000; i++) {
      const guess = i === 5_000 ? real : String((i * 7919) % 1_000_000).padStart(6, "0");
      if (guess === real && i !== 5_000) continue;
      if (/Choose a new password/.test(visibleText(await chat.say(guess)))) successes++;
    }
    assert.equal(successes, 0);
    const account = await bot.service.directory.findByEmail(JANE);
    const again = new Conversation(bot.endpoint);
    await again.say("reset my password");
    assert.match(visibleText(await again.say(JANE)), /too many attempts/, "the account stays locked for a new journey");
    assert.ok(account && !account.temporaryPassword);
  });

  it("gives the same replies for a known and an unknown address (only the hint's two digits differ)", async () => {
    const transcript = async (email: string): Promise<string[]> => {
      const chat = new Conversation(bot.endpoint);
      const steps = ["reset my password", email, sms, "07700 9001xx", "123456", "try again", "654321"];
      const out: string[] = [];
      for (const step of steps) {
        const input = typeof step === "string" ? step.replace("xx", out.join(" ").match(/\*{5}(\d\d)/)?.[1] ?? "00") : step;
        const replies = typeof input === "string" ? await chat.say(input) : await chat.submit(input);
        out.push(visibleText(replies).replace(email, "<email>"));
      }
      return out.map((s) => s.replace(/\*{5}\d\d/g, "*****NN"));
    };
    // Jane has every method registered, so her method card is the generic one an unknown address gets.
    assert.deepEqual(await transcript("no.such.person@nhs.net"), await transcript(JANE));
  });

  it("a text code works once, even when sent twice at the same moment", async () => {
    const chat = new Conversation(bot.endpoint);
    await toCodePrompt(chat);
    const code = await codeFor(bot, JANE_MOBILE);
    const both = await Promise.all([chat.post({ text: code }), chat.post({ text: code })]);
    const bodies = await Promise.all(both.map(async (r) => (r.status === 200 ? visibleText(((await r.json()) as { activities: [] }).activities) : "")));
    // Exactly one accepts the code. The other, depending on which turn read the conversation first, is either told the
    // code was used, or (when it ran after the first had moved on) warned that a password is not typed in the chat.
    const accepted = bodies.filter((b) => /Choose a new password/.test(b) && !/don't type a password in the chat/.test(b));
    assert.equal(accepted.length, 1, bodies.join("\n---\n"));
  });

  it("an authenticator code works once, even from two conversations at the same moment", async () => {
    const chats = [new Conversation(bot.endpoint), new Conversation(bot.endpoint)];
    for (const chat of chats) {
      await chat.say("reset my password");
      await chat.say(JANE);
      await chat.submit({ verb: Verb.ChooseMethod, method: "app" });
    }
    const code = currentTotp(JANE_TOTP);
    const replies = await Promise.all(chats.map((chat) => chat.say(code)));
    assert.equal(replies.filter((r) => /Choose a new password/.test(visibleText(r))).length, 1);
  });

  it("a redelivered activity (Teams retries after 15 s) has one effect", async () => {
    const chat = new Conversation(bot.endpoint);
    await chat.say("reset my password");
    await chat.say(JANE);
    await chat.submit(sms);
    const id = randomUUID();
    const first = await chat.send({ id, text: "07700 900118" });
    const second = await chat.send({ id, text: "07700 900118" });
    assert.match(visibleText(first), /on its way/);
    assert.deepEqual(second, [], "the redelivery is answered with nothing");
    assert.equal((await drainedOutbox(bot)).filter((m) => m.to === JANE_MOBILE).length, 1, "one text, not two");
  });

  it("keeps every secret out of the logs, the stored state and the outbox (except the code in its own text)", async () => {
    await bot.service.close();
    bot = await startTestBot({ STATE_URL: `sqlite://${dir.file(`${randomUUID()}.sqlite`)}`, LOG_LEVEL: "trace" });
    const chat = new Conversation(bot.endpoint);
    await chat.say(JANE_PASSWORD);
    await toCodePrompt(chat);
    const code = await codeFor(bot, JANE_MOBILE);
    await chat.say(code);
    await chat.say(NEW_PASSWORD);
    assert.match(visibleText(await chat.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })), /has been changed/);
    await bot.service.close();

    const state = fs.readdirSync(dir.path).filter((f) => f.includes(".sqlite")).map((f) => fs.readFileSync(dir.file(f), "latin1")).join("\n");
    const outbox = fs.readFileSync(bot.outbox, "utf8"); // closing the service let every message land
    for (const [name, secret] of [["old password", JANE_PASSWORD], ["new password", NEW_PASSWORD], ["TOTP secret", JANE_TOTP]]) {
      assert.ok(!bot.log.text.includes(secret), `${name} in the log`);
      assert.ok(!state.includes(secret), `${name} in the stored state`);
      assert.ok(!outbox.includes(secret), `${name} in the outbox`);
    }
    const standalone = new RegExp(`(?<![0-9a-fA-F])${code}(?![0-9a-fA-F])`);
    assert.ok(!standalone.test(bot.log.text), "the code in the log");
    assert.ok(!standalone.test(state), "the code in the stored state");
    assert.equal(outbox.split("\n").filter((line) => line.includes(code)).length, 1, "the code only in its own text");
  });

  it("answers malformed card payloads with a clear message and carries on", async () => {
    const chat = new Conversation(bot.endpoint);
    await chat.say("reset my password");
    await chat.say(JANE);
    for (const value of [{ verb: Verb.ChooseMethod }, { verb: Verb.ChooseMethod, method: 42 }, { verb: 7 }, { verb: "no.such.verb" }, { verb: "x".repeat(100_000) }]) {
      assert.equal(visibleText(await chat.submit(value)).trim(), CHOOSE_A_METHOD, JSON.stringify(value).slice(0, 60));
    }
    assert.equal((await chat.post({ value: ["not", "an", "object"] })).status, 200);
    assert.match(visibleText(await chat.submit(sms)), /\*{5}18/, "the journey is still usable");
  });
});
