import assert from "node:assert/strict";
import { startTestBot, Conversation, visibleText, cards, verbsIn } from "./support/bot-client";
import type { TestBot } from "./support/bot-client";
import { templates } from "../cards/render";
import { Verb, GLOBAL_VERBS, DIALOG_VERBS, AGENT_VERBS } from "../cards/verbs";
import { NOT_UNDERSTOOD, STALE_CARD, NOTHING_TO_CANCEL, AGENTS_ONLY, ATTACHMENT_ONLY, EMPTY_MESSAGE } from "../src/app";
import { ASK_EMAIL } from "../dialogs/reset-password-dialog";
import { FIRST_LOGIN_CANCELLED } from "../dialogs/first-login-dialog";
import { manifestCommandTitles } from "../scripts/manifest/template";

describe("bot routes over HTTP (expectReplies)", () => {
  let bot: TestBot;
  before(async () => (bot = await startTestBot()));
  after(() => bot.service.close());

  it("welcomes a person when the app is installed in a personal chat", async () => {
    const chat = new Conversation(bot.endpoint);
    const replies = await chat.send({
      type: "conversationUpdate",
      membersAdded: [{ id: chat.user.id, name: chat.user.name }, { id: "bot", name: "NHSmail helpdesk" }],
    });
    assert.equal(replies.length, 1);
    assert.match(visibleText(replies), /Hello Sam\. I can help you get back into your NHSmail account/);
    assert.deepEqual(verbsIn(cards(replies)[0]), [Verb.StartReset, Verb.StartFirstLogin, Verb.StartHandoff]);
  });

  it("does not greet every new member of a team, only when the bot joins it", async () => {
    const channel = new Conversation(bot.endpoint);
    const conversation = { id: channel.conversationId, conversationType: "channel", isGroup: true, name: "Helpdesk" };
    const memberJoins = await channel.send({ type: "conversationUpdate", conversation, membersAdded: [{ id: "someone-new", name: "New" }] });
    assert.equal(memberJoins.length, 0);
    const botJoins = await channel.send({ type: "conversationUpdate", conversation, membersAdded: [{ id: "bot", name: "bot" }] });
    assert.equal(botJoins.length, 1);
  });

  it("answers unknown text with the help card, not silence", async () => {
    const replies = await new Conversation(bot.endpoint).say("what's the weather like?");
    assert.equal(replies[0].text, NOT_UNDERSTOOD);
    assert.deepEqual(verbsIn(cards(replies)[0]), [Verb.StartReset, Verb.StartFirstLogin, Verb.StartHandoff]);
  });

  it("says so when a person cancels with nothing in progress", async () => {
    const replies = await new Conversation(bot.endpoint).say("cancel");
    assert.equal(replies[0].text, NOTHING_TO_CANCEL);
  });

  it("starts the reset from free text and from the welcome card's button", async () => {
    assert.equal((await new Conversation(bot.endpoint).say("I forgot my password"))[0].text, ASK_EMAIL);
    assert.equal((await new Conversation(bot.endpoint).submit({ verb: Verb.StartReset }))[0].text, ASK_EMAIL);
  });

  it("keeps a journey going across turns and lets a start button replace it", async () => {
    const chat = new Conversation(bot.endpoint);
    await chat.say("reset my password");
    assert.match(visibleText(await chat.say("not an email")), /doesn't look like an email address/);
    const signIn = await chat.submit({ verb: Verb.StartFirstLogin });
    assert.match(visibleText(signIn), /@nhs\.net/);
    assert.equal((await chat.say("cancel"))[0].text, FIRST_LOGIN_CANCELLED, "the reset was replaced by first login");
  });

  it("handles every verb on every card template", async () => {
    const verbs = new Set(Object.values(templates).flatMap((t) => verbsIn(JSON.parse(JSON.stringify(t).replace(/\$\{(?:\$root\.)?verbs\.(\w+)\}/g, (_m, key: string) => verbFor(key))))));
    assert.equal(verbs.size, Object.keys(Verb).length, "every verb appears on a card");
    for (const verb of verbs) {
      const kinds = [GLOBAL_VERBS, DIALOG_VERBS, AGENT_VERBS].filter((set) => set.has(verb)).length;
      assert.equal(kinds, 1, `${verb} must start a journey, answer a step or be an agent's, exactly one`);
      const replies = await new Conversation(bot.endpoint).submit({ verb });
      assert.ok(replies.length > 0, `${verb} got no answer`);
      // A start button is handled anywhere; a step's button (proved in the journey tests) says it has expired here.
      if (GLOBAL_VERBS.has(verb)) assert.notEqual(replies[0].text, STALE_CARD, `${verb} has no handler`);
      else if (AGENT_VERBS.has(verb)) assert.equal(replies[0].text, AGENTS_ONLY, `${verb} pressed in a personal chat`);
      else assert.equal(replies[0].text, STALE_CARD, `${verb} pressed with no journey in progress`);
    }
  });

  it("tells a person when a button belongs to a finished conversation", async () => {
    const replies = await new Conversation(bot.endpoint).submit({ verb: "reset.somethingOld", code: "123456" });
    assert.equal(replies[0].text, STALE_CARD);
  });

  it("says what actually happened to a message with only an attachment, or nothing at all", async () => {
    const picture = await new Conversation(bot.endpoint).send({ attachments: [{ contentType: "image/png", contentUrl: "https://example.invalid/x.png" }] });
    assert.equal(picture[0].text, ATTACHMENT_ONLY);
    assert.equal((await new Conversation(bot.endpoint).send({ text: "   " }))[0].text, EMPTY_MESSAGE);
    assert.equal((await new Conversation(bot.endpoint).send({}))[0].text, EMPTY_MESSAGE);
  });

  it("routes every command listed in the Teams manifest", async () => {
    const titles = manifestCommandTitles();
    assert.equal(titles.length, 5);
    for (const title of titles) {
      const replies = await new Conversation(bot.endpoint).say(title);
      assert.ok(replies.length > 0, `"${title}" got no answer`);
      assert.notEqual(replies[0].text, NOT_UNDERSTOOD, `"${title}" has no route`);
    }
  });
});

/** Maps a template's `${verbs.x}` key to the verb constant with the same name. */
function verbFor(key: string): string {
  const match = Object.entries(Verb).find(([name]) => name.toLowerCase() === key.toLowerCase());
  assert.ok(match, `cards use an unknown verb key: ${key}`);
  return match[1];
}
