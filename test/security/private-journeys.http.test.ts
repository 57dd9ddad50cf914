import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Activity } from "botbuilder";
import { Verb } from "../../cards/verbs";
import { NOT_YOUR_JOURNEY, PRIVATE_ONLY } from "../../src/app";
import { startTestBot, Conversation, cards, visibleText } from "../support/bot-client";
import type { TestBot } from "../support/bot-client";
import { codeFor, drainedOutbox } from "../support/outbox";
import { OpenIdKeys } from "../support/openid-keys";
import { PasswordHasher } from "../../src/policy";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";
const JANE_PASSWORD = "Harbour-Lantern-58";
const SAM = "sam.okafor@nhs.net";
const SAM_TEMPORARY = "Welcome-Temp-2701";
const NEW_PASSWORD = "Violet-Compass-Thunder-8";
const hasher = new PasswordHasher();

/** A member of a group chat or a team channel, talking to the bot there. */
class Member {
  private readonly chat: Conversation;
  constructor(
    endpoint: string,
    readonly where: { id: string; conversationType: "groupChat" | "channel" },
    name: string,
    private readonly headers: () => Record<string, string> = () => ({}),
  ) {
    this.chat = new Conversation(endpoint, { id: `29:${randomUUID()}`, name }, where.id);
  }

  async send(partial: Partial<Activity>): Promise<Partial<Activity>[]> {
    const response = await this.chat.post({ conversation: { ...this.where, isGroup: true, name: "Ward 7" }, ...partial }, this.headers());
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { activities: Partial<Activity>[] }).activities;
  }
  /**
   * A typed message. In a team's channel it @mentions the bot, as Teams requires for the bot to get it; with the
   * permission to read the team's channel messages the bot gets the others too, and answers none of them.
   */
  say(text: string): Promise<Partial<Activity>[]> {
    if (this.where.conversationType !== "channel") return this.send({ text });
    const mention = { type: "mention", text: "<at>NHSmail helpdesk</at>", mentioned: { id: "bot", name: "NHSmail helpdesk" } };
    return this.send({ text: `<at>NHSmail helpdesk</at> ${text}`, entities: [mention] });
  }
  submit(value: Record<string, unknown>): Promise<Partial<Activity>[]> {
    return this.send({ value });
  }
}

/** Every way to start a journey that touches a secret, typed or pressed. */
const STARTS: Array<[string, (m: Member) => Promise<Partial<Activity>[]>]> = [
  ['"reset my password"', (m) => m.say("reset my password")],
  ['"I\'m locked out"', (m) => m.say("I'm locked out")],
  ['"I\'m a new user"', (m) => m.say("I'm a new user")],
  ['"talk to a person"', (m) => m.say("talk to a person")],
  ["the Reset my password button", (m) => m.submit({ verb: Verb.StartReset })],
  ["the first-login button", (m) => m.submit({ verb: Verb.StartFirstLogin, task: "password" })],
  ["the Talk to the helpdesk button", (m) => m.submit({ verb: Verb.StartHandoff })],
  ["the password-change button", (m) => m.submit({ verb: Verb.StartPasswordChange })],
];

describe("journeys that touch a secret run only in a personal chat, for the person who started them", function () {
  this.timeout(60_000);
  let bot: TestBot;
  beforeEach(async () => (bot = await startTestBot()));
  afterEach(() => bot.service.close());

  for (const conversationType of ["groupChat", "channel"] as const) {
    for (const [what, start] of STARTS) {
      it(`in a ${conversationType}, ${what} gets the private-chat card, names no account, and starts nothing`, async () => {
        const member = new Member(bot.endpoint, { id: `19:${randomUUID()}@thread.v2`, conversationType }, "Jane Smith");
        const replies = await start(member);
        assert.equal(replies[0]?.text, PRIVATE_ONLY);
        assert.match(visibleText(replies), /private chat/);
        assert.doesNotMatch(JSON.stringify(replies), /@nhs\.net|\*{5}|password reset for/i, "no account is named");
        // Whatever comes next is not an answer to a journey: nothing was started.
        const next = await member.say(JANE);
        assert.equal(next[0]?.text, PRIVATE_ONLY);
        assert.doesNotMatch(visibleText(next), /captcha|choose how|text|call/i);
      });
    }
  }

  it("in a group chat, one member's verification cannot be finished by another: nothing changes, no notice goes out", async () => {
    const chat = { id: `19:${randomUUID()}@thread.v2`, conversationType: "groupChat" as const };
    const jane = new Member(bot.endpoint, chat, "Jane Smith");
    const other = new Member(bot.endpoint, chat, "Someone Else");
    await jane.say("reset my password");
    await jane.say(JANE);
    await jane.submit({ verb: Verb.ChooseMethod, method: "sms" });
    await jane.say("07700 900118");
    const replies = await other.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    assert.equal(replies[0]?.text, PRIVATE_ONLY);
    const account = await bot.service.directory.findByEmail(JANE);
    assert.ok(await hasher.verify(JANE_PASSWORD, account?.passwordHash ?? ""), "Jane's password is unchanged");
    const outbox = await drainedOutbox(bot);
    assert.equal(outbox.length, 0, `nothing was sent: ${JSON.stringify(outbox)}`);
  });

  it("with an app id, the private-chat card's button opens the personal chat with this bot", async () => {
    await bot.service.close();
    const keys = await new OpenIdKeys().start();
    const botId = randomUUID();
    try {
      bot = await startTestBot({ BOT_ID: botId, BOT_PASSWORD: "not-a-real-secret", BOT_OPENID_METADATA_URL: keys.metadataUrl });
      const member = new Member(bot.endpoint, { id: `19:${randomUUID()}@thread.v2`, conversationType: "groupChat" }, "Jane Smith", () => ({ authorization: `Bearer ${keys.sign(botId)}` }));
      const card = cards(await member.say("reset my password"))[0] as { actions?: Array<{ type: string; url?: string; title: string }> };
      assert.deepEqual(card.actions?.map((a) => [a.type, a.url]), [["Action.OpenUrl", `https://teams.microsoft.com/l/chat/0/0?users=28:${botId}`]]);
    } finally {
      await keys.stop();
    }
  });

  describe("in one conversation, input from anyone but the person who started the journey", () => {
    /** A second sender in the same conversation (a forged or misrouted activity: Teams never does this in a personal chat). */
    const intruderIn = (chat: Conversation): Conversation => new Conversation(bot.endpoint, { id: `29:${randomUUID()}`, name: "Intruder" }, chat.conversationId);

    it("is refused at the new-password step of a reset, audited, and changes nothing; the owner then finishes", async () => {
      const chat = new Conversation(bot.endpoint);
      await chat.say("reset my password");
      await chat.say(JANE);
      await chat.submit({ verb: Verb.ChooseMethod, method: "sms" });
      await chat.say("07700 900118");
      assert.match(visibleText(await chat.say(await codeFor(bot, JANE_MOBILE))), /Choose a new password/);

      const intruder = intruderIn(chat);
      const refused = await intruder.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.deepEqual(refused.map((r) => r.text), [NOT_YOUR_JOURNEY]);
      for (const attempt of [() => intruder.say("cancel"), () => intruder.submit({ verb: Verb.StartReset }), () => intruder.say("help")]) {
        assert.deepEqual((await attempt()).map((r) => r.text), [NOT_YOUR_JOURNEY]);
      }
      const account = await bot.service.directory.findByEmail(JANE);
      assert.ok(await hasher.verify(JANE_PASSWORD, account?.passwordHash ?? ""), "the password is unchanged");
      assert.ok(!(await drainedOutbox(bot)).some((m) => /password was just changed/.test(m.text)), "no change notice went out");
      const audit = await bot.service.audit.list({ limit: 20 });
      assert.equal(audit.filter((e) => e.type === "journey.refused").length, 4, "each refusal is audited");

      const done = await chat.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.match(visibleText(done), /has been changed/, "the owner's journey is intact");
    });

    it("is refused during first-login sign-in: another sender's credentials are never checked", async () => {
      const chat = new Conversation(bot.endpoint);
      assert.match(visibleText(await chat.say("I'm a new user")), /temporary password/i);
      const intruder = intruderIn(chat);
      const refused = await intruder.submit({ verb: Verb.SubmitSignIn, email: SAM, password: SAM_TEMPORARY });
      assert.deepEqual(refused.map((r) => r.text), [NOT_YOUR_JOURNEY]);
      assert.equal((await bot.service.audit.list({ email: SAM })).length, 0, "no sign-in was attempted for the account");
      const owner = await chat.submit({ verb: Verb.SubmitSignIn, email: SAM, password: SAM_TEMPORARY });
      assert.match(visibleText(owner), /Your first NHSmail login/);
    });
  });
});
