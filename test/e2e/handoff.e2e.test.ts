import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { AGENTS_CHANNEL_NAMESPACE } from "../../src/handoff/agents-channel";
import { describePlayground, PLAYGROUND_DEFAULT_USER, settle } from "./harness";
import type { PlaygroundSuite, PlaygroundTeam } from "./harness";

/**
 * The agents' channel. The Playground gives its team's General channel the team's id (as Teams does), and that id is
 * "team-id" unless its config file says otherwise; a real General channel's id looks like this, and AGENTS_CHANNEL_ID
 * accepts nothing else (`19:…`), so the Playground's team is given this id.
 */
const AGENTS_CHANNEL = "19:5d8b0e2c4f7a4e1b9c3d6a8f2e1b7c40@thread.tacv2";
const AGENTS_TEAM: Partial<PlaygroundTeam> = { id: AGENTS_CHANNEL, name: "Helpdesk agents" };
/** The General channel in the Playground's left column. */
const GENERAL = "Helpdesk agents - General";
const PERSONAL = "Personal Chat";

/** The Playground's signed-in user: the person asking for help, and (the only user it can act as) the agent too. */
const PERSON = PLAYGROUND_DEFAULT_USER.name;
const FIRST_NAME = PLAYGROUND_DEFAULT_USER.givenName;

const WELCOME_TITLE = "NHSmail helpdesk";
const CHANNEL_READY = "When someone in a chat with me asks for a person, I'll post their request here as a card.";
const NOT_UNDERSTOOD = "Sorry, I didn't understand that.";
/** Something a stuck person might type first; the number must reach the agents with all but its last two digits removed. */
const STUCK = "I've got a new phone and my number is now 07700 900118";
const NUMBER_DIGITS = ["07700", "900118"];
const NUMBER_MASKED = "*****18";
const QUEUE_TITLE = "You're in the queue for the helpdesk";
const QUEUE_PLACE = "You're number 1 in the queue. Expected wait: about 5 minutes.";
const REQUEST_TITLE = `Help request from ${PERSON}`;
const JOINED = `${FIRST_NAME} from the helpdesk has joined the chat. Anything you type here now goes to them.`;


/** The non-empty lines of a rendered element's text. */
async function linesOf(target: Locator): Promise<string[]> {
  return (await target.innerText())
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The value shown after a fact's title on a card ("Who" → "Alex Wilber"). */
function fact(lines: readonly string[], title: string): string {
  const at = lines.indexOf(title);
  return at < 0 ? `"${title}" missing` : (lines[at + 1] ?? "no value");
}

/** The titles of the buttons inside `target`, in order. */
async function buttonTitles(target: Locator): Promise<string[]> {
  return (await target.getByRole("button").allInnerTexts()).map((title) => title.trim()).filter((title) => title !== "");
}

/** The conversation id of the agents' channel as the bot keeps it, if it has seen the channel. */
async function keptChannel(e2e: PlaygroundSuite): Promise<{ id?: string; type?: string } | undefined> {
  const kept = await e2e.bot.service.store.keyv<{ reference: { conversation?: { id?: string; conversationType?: string } } }>(AGENTS_CHANNEL_NAMESPACE).get("reference");
  const conversation = kept?.reference.conversation;
  return kept === undefined ? undefined : { id: conversation?.id, type: conversation?.conversationType };
}

/**
 * From the open personal chat to the request card in the agents' channel: the bot is shown the channel (opening it
 * installs the bot in the team), the person types something the bot can't help with, then "talk to a person" and
 * sees their place in the queue; the channel view then shows the request. Returns the request's post.
 */
async function requestHelp(e2e: PlaygroundSuite): Promise<Locator> {
  const { chat } = e2e;
  await chat.waitForBotText(WELCOME_TITLE);
  // The Playground's log panel echoes what the person typed: hidden, so screenshots show only what Teams would.
  await chat.hideLogPanel();
  assert.equal(await keptChannel(e2e), undefined, "the personal chat alone does not tell the bot where the agents are");

  // 1. The agents' channel: opening it adds the bot to the team, which says hello there and keeps the way back.
  let startedAt = Date.now();
  await chat.selectChat(GENERAL);
  await chat.waitForChannelPost(CHANNEL_READY);
  e2e.recordTiming("channel view to the bot's hello", Date.now() - startedAt);
  assert.deepEqual(await keptChannel(e2e), { id: AGENTS_CHANNEL, type: "channel" }, "the bot kept the agents' channel");

  // 2. The personal chat: something the bot can't help with, then "talk to a person", then the place in the queue.
  await chat.selectChat(PERSONAL);
  await chat.waitForBotText(NOT_UNDERSTOOD, { after: await chat.sendText(STUCK) });
  startedAt = Date.now();
  const waiting = await chat.waitForBotText(QUEUE_TITLE, { after: await chat.sendText("talk to a person") });
  e2e.recordTiming("talk to a person to the queue card", Date.now() - startedAt);
  assert.ok((await waiting.innerText()).includes(QUEUE_PLACE), "the person sees their place in the queue and the wait");
  assert.deepEqual(await buttonTitles(waiting), ["Leave the queue"]);

  // 3. The channel again: the request is a new post there.
  startedAt = Date.now();
  await chat.selectChat(GENERAL);
  const request = await chat.waitForChannelPost(REQUEST_TITLE);
  e2e.recordTiming("channel view to the request card", Date.now() - startedAt);
  assert.equal(await chat.channelPosts(REQUEST_TITLE).count(), 1, "one request post");
  return request;
}

describePlayground(
  "Playground: talk to a person, the request in the agents' channel",
  (e2e) => {
    it("posts the request in the agents' channel: waiting, who, why, the redacted conversation and a Take button", async () => {
      const journeyStart = Date.now();
      const request = await requestHelp(e2e);

      const lines = await linesOf(request);
      assert.match(lines[lines.indexOf(REQUEST_TITLE) + 1] ?? "", /^Waiting since \d{1,2}:\d{2}(am|pm)$/, "the status line says it is waiting");
      assert.equal(fact(lines, "Who"), PERSON);
      assert.equal(fact(lines, "Why"), "Asked to talk to a person");
      assert.equal(fact(lines, "Identity"), "Not checked yet");
      // The conversation so far, as the agents see it: the phone number reduced to its last two digits.
      assert.ok(lines.includes(`${PERSON}: I've got a new phone and my number is now ${NUMBER_MASKED}`), `the redacted line: ${lines.join(" | ")}`);
      assert.deepEqual(await buttonTitles(request), ["Take"], "a waiting request offers Take, and nothing else");
      // Every post of the channel (the Playground's own log panel beside it echoes what the person typed, so not the page).
      const posts = (await e2e.chat.channelPosts().evaluateAll((elements) => elements.map((element) => element.outerHTML))).join("\n");
      assert.ok(posts.includes(NUMBER_MASKED), "the posts were read");
      for (const digits of NUMBER_DIGITS) assert.ok(!posts.includes(digits), `"${digits}" is in no post of the channel`);

      await settle(request);
      await e2e.docsScreenshot("handoff-1-request-card");
      e2e.recordTiming("whole journey", Date.now() - journeyStart);
    });

    it("Take in the channel: the card says who took it, the thread gets a note and the person is told", async () => {
      const { chat } = e2e;
      const request = await requestHelp(e2e);

      // Take: the Playground's roster lists its user as a member of the team, so the bot lets them take it.
      let startedAt = Date.now();
      await request.getByRole("button", { name: "Take", exact: true }).click();
      await request.getByText(/^Taken by /).waitFor();
      e2e.recordTiming("Take to the card updated", Date.now() - startedAt);
      const lines = await linesOf(request);
      assert.match(lines[lines.indexOf(REQUEST_TITLE) + 1] ?? "", new RegExp(`^Taken by ${PERSON} at \\d{1,2}:\\d{2}(am|pm)$`));
      assert.equal(await chat.channelPosts(REQUEST_TITLE).count(), 1, "the card was updated in place, not posted again");
      const buttons = await buttonTitles(request);
      assert.ok(!buttons.includes("Take"), "no Take button once taken");
      for (const action of ["Ask for account secret", "Text a code", "End"]) assert.ok(buttons.includes(action), `"${action}" is offered: ${buttons.join(", ")}`);
      // The note is a reply in the request's own thread.
      await request.getByText(`${PERSON} has taken this request. To talk to ${PERSON}, reply in this thread and`).waitFor();
      await settle(request);
      await e2e.docsScreenshot("handoff-2-taken");

      // The person's chat: told that someone from the helpdesk has joined.
      startedAt = Date.now();
      await chat.selectChat(PERSONAL);
      const joined = await chat.waitForBotText(JOINED);
      e2e.recordTiming("personal chat to the joined message", Date.now() - startedAt);
      assert.equal(await chat.botMessageCount(JOINED), 1, "told once");
      assert.equal(await chat.botMessages().last().innerText(), await joined.innerText(), "it is the latest message");
      await settle(joined);
      await e2e.docsScreenshot("handoff-3-joined");
    });
  },
  { botEnv: { AGENTS_CHANNEL_ID: AGENTS_CHANNEL }, playgroundTeam: AGENTS_TEAM },
);
