import assert from "node:assert/strict";
import { startTestBot, Conversation, visibleText } from "./support/bot-client";
import type { TestBot } from "./support/bot-client";
import { codeFor, drainedOutbox } from "./support/outbox";
import { Verb } from "../cards/verbs";
import { currentTotp } from "../src/verification";
import { PasswordHasher } from "../src/policy";
import { CARRY_ON } from "../dialogs/base-dialog";

const hasher = new PasswordHasher();
const NEW_PASSWORD = "Violet-Compass-Thunder-8";

describe("self-service password reset over HTTP (expectReplies)", function () {
  this.timeout(60_000);
  let bot: TestBot;
  beforeEach(async () => (bot = await startTestBot()));
  afterEach(() => bot.service.close());

  it("resets by text message: number in the +440 form, code from the outbox, new password in force", async () => {
    const chat = new Conversation(bot.endpoint);
    const before = await bot.service.directory.findByEmail("jane.smith@nhs.net");
    assert.ok(before);
    await chat.say("I forgot my password");
    assert.match(visibleText(await chat.say("Jane.Smith@nhs.net")), /Send a text to my mobile phone/);
    assert.match(visibleText(await chat.submit({ verb: Verb.ChooseMethod, method: "sms" })), /complete mobile number \(\*\*\*\*\*18\)/);
    assert.match(visibleText(await chat.say("+440 7700 900118")), /a text with a 6-digit code is on its way/);
    const code = await codeFor(bot, "+447700900118");
    const card = visibleText(await chat.say(code));
    assert.match(card, /Choose a new password/);
    assert.match(card, /At least 10 characters/);

    const done = visibleText(await chat.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }));
    assert.match(done, /Your password has been changed/);
    assert.match(done, /Change it on every device/);
    assert.match(done, /portal\.nhs\.net/);

    const after = await bot.service.directory.findByEmail("jane.smith@nhs.net");
    assert.ok(after);
    assert.equal(await hasher.verify(NEW_PASSWORD, after.passwordHash), true, "the new password is in force");
    assert.equal(after.previousPasswordHashes[0], before.passwordHash, "the old password is first in the history");
    assert.equal(after.temporaryPassword, false);
    const days = (Date.parse(after.passwordExpiresAt) - Date.parse(after.passwordChangedAt)) / 86_400_000;
    assert.equal(days, 365);
    const notices = (await drainedOutbox(bot)).filter((m) => /password was just changed/.test(m.text));
    assert.deepEqual(notices.map((m) => m.channel).sort(), ["email", "sms"]);
    assert.ok(notices.every((m) => !m.text.includes(NEW_PASSWORD)));
  });

  it("resets with an authenticator-app code", async () => {
    const chat = new Conversation(bot.endpoint);
    await chat.say("reset my password");
    const methods = visibleText(await chat.say("olivia.brown@nhs.net"));
    assert.match(methods, /authenticator app/);
    assert.match(methods, /Send a text/, "every method is offered, registered or not");
    assert.match(visibleText(await chat.submit({ verb: Verb.ChooseMethod, method: "app" })), /6-digit code/);
    assert.match(visibleText(await chat.say(currentTotp("QNTOZ7IDRCVCHHXDQMEVMKJUS6VE2QCB"))), /Choose a new password/);
    assert.match(visibleText(await chat.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })), /has been changed/);
    const after = await bot.service.directory.findByEmail("olivia.brown@nhs.net");
    assert.equal(await hasher.verify(NEW_PASSWORD, after?.passwordHash ?? ""), true);
  });
});

describe("help and restarting part-way through a reset, over HTTP", () => {
  let bot: TestBot;
  before(async () => (bot = await startTestBot()));
  after(() => bot.service.close());

  it("help names what the step asks and why, how to stop, and asks again below", async () => {
    const chat = new Conversation(bot.endpoint);
    await chat.say("reset my password");
    await chat.say("jane.smith@nhs.net");
    const replies = await chat.say("help");
    assert.match(replies[0]?.text ?? "", /^Before I change a password I must check it's you\. .* To stop, type \*\*cancel\*\*: nothing will be changed\. I've asked again below\.$/);
    assert.match(visibleText(replies.slice(1)), /Verify it's you/, "the method card comes again after the help");
    await chat.submit({ verb: Verb.ChooseMethod, method: "sms" });
    assert.match((await chat.say("help"))[0]?.text ?? "", /complete mobile number/, "the innermost step's help, not the journey's");
  });

  it('"Reset my password" part-way through asks first: carry on keeps the step, start again goes back', async () => {
    const chat = new Conversation(bot.endpoint);
    await chat.say("reset my password");
    await chat.say("olivia.brown@nhs.net");
    const asked = await chat.submit({ verb: Verb.StartReset });
    assert.match(visibleText(asked), /Start your reset again\?/);
    const carryOn = await chat.submit({ verb: Verb.ContinueJourney });
    assert.equal(carryOn[0]?.text, CARRY_ON);
    assert.match(visibleText(carryOn), /Verify it's you/, "the same step again");
    const again = await chat.submit({ verb: Verb.StartReset, restart: true });
    assert.match(visibleText(again), /What's your \*\*@nhs.net\*\* email address\?/);
  });
});
