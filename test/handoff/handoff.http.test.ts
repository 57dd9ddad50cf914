import assert from "node:assert/strict";
import fs from "node:fs";
import { Verb } from "../../cards/verbs";
import * as say from "../../src/handoff/wording";
import { FakeConnector } from "../proactive/fake-connector";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { TeamsUser, startNotifyBot } from "../proactive/support";
import type { NotifyBot } from "../proactive/support";
import { readOutbox } from "../support/outbox";
import { NOT_YOUR_JOURNEY } from "../../src/app";
import { ANSWER_IN_THE_BOX } from "../../dialogs/handoff-wording";
import { TempDir } from "../support/temp-dir";
import { AgentsTeam, CardView, holdsNumber, stateFileText, titleOf } from "./support";
import type { Agent } from "./support";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";
const JANE_SECRET = "Heron";
const JANE_PASSWORD = "Harbour-Lantern-58";
const WAITING_TITLE = "You're in the queue for the helpdesk";

/**
 * The handoff over the real server, with two conversations on one fake Teams connector: a person's personal chat and
 * the helpdesk agents' channel. Everything goes through POST /api/messages, the app's routes, the person's handoff
 * dialog and the desk, and comes back through the connector.
 */
describe("handing a conversation to a helpdesk agent, over the real server", function () {
  this.timeout(60_000);
  let connector: FakeConnector;
  let team: AgentsTeam;
  let dir: TempDir;
  let bot: NotifyBot;
  let alex: Agent;
  let priya: Agent;
  let now: number;
  const clock = (): Date => new Date(now);

  const start = async (env: Record<string, string> = {}): Promise<NotifyBot> =>
    startNotifyBot({ AGENTS_CHANNEL_ID: team.channelId, OUTBOX_FILE: dir.file("outbox.jsonl"), STATE_URL: `sqlite://${dir.file("state.sqlite")}`, ...env }, { clock });

  beforeEach(async () => {
    now = Date.parse("2027-11-23T14:35:00Z");
    dir = new TempDir();
    connector = new FakeConnector();
    team = new AgentsTeam(await connector.start(), connector);
    alex = team.agent("Alex Jones");
    priya = team.agent("Priya Shah");
    bot = await start();
    assert.equal(await bot.post(team.install()), 200);
  });
  afterEach(async () => {
    await bot.service.close();
    await connector.stop();
    dir.remove();
  });

  const sent = (user: TeamsUser): ReceivedActivity[] => connector.received.filter((r) => r.conversationId === user.conversationId && !r.update);
  const texts = (user: TeamsUser): string[] => sent(user).map((r) => r.activity.text ?? "").filter(Boolean);
  const cards = (user: TeamsUser): CardView[] => sent(user).filter((r) => (r.activity.attachments ?? []).length > 0).map((r) => new CardView(r.activity));
  const lastThreadText = (request: ReceivedActivity): string => team.threadTexts(request).at(-1) ?? "";
  const post = async (activity: Parameters<NotifyBot["post"]>[0]): Promise<void> => assert.equal(await bot.post(activity), 200);
  const press = (agent: Agent, request: ReceivedActivity, verb: string) => post(agent.press(request, team.card(request).button(verb)));

  /** Jane, in a personal chat with the bot, linked to her account (as a notify call links a Teams user). */
  const jane = async (): Promise<TeamsUser> => {
    const user = new TeamsUser(team.serviceUrl);
    await post(user.install());
    assert.equal((await bot.notify({ email: JANE, aadObjectId: user.aadObjectId })).status, 200);
    return user;
  };
  /** Jane asks for a person; returns the request card posted in the agents' channel. */
  const asks = async (user: TeamsUser): Promise<ReceivedActivity> => {
    const before = team.requests().length;
    await post(user.message("talk to a person"));
    const request = team.requests().at(-1);
    assert.equal(team.requests().length, before + 1, "one request card is posted in the agents' channel");
    assert.ok(request);
    return request;
  };
  const takes = async (agent: Agent, request: ReceivedActivity): Promise<void> => press(agent, request, Verb.TakeHandoff);

  it("queues the request, shows it in the channel, and relays both ways once taken, until the person ends it", async () => {
    const user = await jane();
    const request = await asks(user);
    const waiting = cards(user).find((c) => c.texts[0] === WAITING_TITLE);
    assert.ok(waiting, "the person sees the waiting card");
    assert.match(waiting.texts.join("\n"), /You're number 1 in the queue\. Expected wait: about 5 minutes\./);
    const card = team.card(request);
    assert.equal(card.texts[0], "Help request from Jane Smith");
    assert.equal(card.fact("Account"), "j***.s***@nhs.net");
    assert.equal(card.fact("Why"), "Asked to talk to a person");

    await post(user.message("Hello, is anyone there?"));
    assert.equal(lastThreadText(request), "**Jane Smith (while waiting):** Hello, is anyone there?");

    await takes(alex, request);
    assert.match(team.card(request).texts[1], /^Taken by Alex Jones/);
    assert.equal(texts(user).at(-1), say.agentJoined("Alex Jones"));

    await post(user.message("I'm locked out of my account"));
    assert.equal(lastThreadText(request), "**Jane Smith:** I'm locked out of my account");
    await post(alex.reply(request, "Hi Jane, I'm Alex. Let's sort that out."));
    assert.equal(texts(user).at(-1), "**Helpdesk (Alex):** Hi Jane, I'm Alex. Let's sort that out.");

    await post(user.message("end"));
    assert.ok(team.threadTexts(request).includes(say.personLeft("Jane Smith")), "the agent is told the person left");
    assert.match(team.card(request).texts[1], /Jane Smith left/);
    assert.ok(team.thread(request).some((r) => titleOf(r.activity) === "Record the outcome"), "the agent is asked for the outcome");
    await post(alex.reply(request, "Are you still there?"));
    assert.equal(lastThreadText(request), say.notRelayedEnded("Jane Smith"));
    assert.ok(!texts(user).some((t) => t.includes("Are you still there")), "nothing is relayed after the end");
  });

  it("returns the person to the bot when the agent ends the conversation", async () => {
    const user = await jane();
    const request = await asks(user);
    await takes(alex, request);
    await press(alex, request, Verb.EndHandoff);
    assert.equal(texts(user).at(-1), say.agentEnded("Alex Jones"));
    assert.match(team.card(request).texts[1], /ended by Alex Jones/);
    const before = team.threadTexts(request).length;
    await post(user.message("thanks!"));
    assert.equal(team.threadTexts(request).length, before, "the person's next message stays with the bot");
    await post(user.message("reset my password"));
    assert.match(texts(user).at(-1) ?? "", /email/i, "the bot's own journeys work again");
  });

  it("relays a reply without an @mention (the team granted the permission to read its channel messages), and never ignores one it can't relay", async () => {
    const user = await jane();
    const request = await asks(user);
    await post(alex.reply(request, "Hi Jane?", { mention: false }));
    assert.equal(lastThreadText(request), say.notRelayedWaiting("Jane Smith"), "not taken yet: said so in the thread");
    await takes(alex, request);
    assert.ok(team.threadTexts(request).some((t) => t.includes("@mention NHSmail helpdesk in your reply")), "the thread says how to be heard until then");
    await post(alex.reply(request, "Hi Jane, Alex here.", { mention: false }));
    assert.equal(texts(user).at(-1), "**Helpdesk (Alex):** Hi Jane, Alex here.");
    await post(priya.reply(request, "Shall I take over?", { mention: false }));
    assert.equal(lastThreadText(request), say.notRelayedNotYours("Jane Smith", "Alex Jones"));
    assert.ok(!texts(user).some((t) => t.includes("take over")));
  });

  it("answers nothing it overhears in the team's other channels, but still answers a mention there", async () => {
    const general = `19:${"1".repeat(32)}@thread.tacv2`;
    const before = connector.received.length;
    await post(alex.say(general, "Morning all, who's on the phones today?", { mention: false }));
    assert.equal(connector.received.length, before, "nothing posted under a message that was not for the bot");
    await post(alex.say(general, "reset my password"));
    assert.equal(connector.received.filter((r) => r.conversationId === general).length, 1, "a mention is answered (with the private-chat card)");
  });

  it("shows card presses on the request card as the buttons' words", async () => {
    const user = await jane();
    await post(user.message("reset my password"));
    await post(user.message(JANE));
    await post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }));
    const request = await asks(user);
    const shown = team.card(request).texts.join("\n");
    assert.match(shown, /\*\*Jane Smith:\*\* \(pressed: Send a text to my mobile phone\)/);
    assert.doesNotMatch(shown, /pressed a button: |\[removed\]/);
  });

  it("lets exactly one of two agents take a request when both press Take at once", async () => {
    const user = await jane();
    const request = await asks(user);
    const take = team.card(request).button(Verb.TakeHandoff);
    await Promise.all([post(alex.press(request, take)), post(priya.press(request, take))]);
    const notes = team.threadTexts(request);
    const winners = notes.filter((t) => / has taken this request/.test(t));
    assert.equal(winners.length, 1, notes.join("\n"));
    const winner = winners[0].startsWith("Alex Jones") ? "Alex Jones" : "Priya Shah";
    assert.ok(notes.includes(say.alreadyTaken(winner)), "the other agent is told who took it");
    assert.deepEqual(texts(user).filter((t) => t.includes("has joined")), [say.agentJoined(winner)]);
  });

  it("refuses Take from someone who isn't a member of the agents' channel", async () => {
    const user = await jane();
    const request = await asks(user);
    const take = team.card(request).button(Verb.TakeHandoff);
    await post(team.outsider("Mallory").press(request, take));
    assert.equal(lastThreadText(request), say.AGENTS_ONLY);
    assert.equal(team.card(request).texts[1], "Waiting since 2:35pm");
    // The same button data sent from a personal chat is refused whoever sends it.
    await post(user.submit(take));
    assert.equal(texts(user).at(-1), say.AGENTS_ONLY);
    assert.ok(!texts(user).some((t) => t.includes("has joined")));
  });

  it("shows the conversation so far on the request card with passwords, codes and phone digits removed", async () => {
    const user = await jane();
    await post(user.message(`my password is ${JANE_PASSWORD}`));
    await post(user.message("my mobile is 07700 900118 and the code was 482913"));
    const request = await asks(user);
    const shown = team.card(request).texts.join("\n");
    assert.match(shown, /\*\*Jane Smith:\*\* my password is \[removed\]/);
    assert.match(shown, /\*\*\*\*\*18/);
    assert.match(shown, /talk to a person/, "the words that asked for a person are on the card too");
    const everything = team.everything();
    for (const secret of [JANE_PASSWORD, "900118", "482913", JANE]) assert.ok(!everything.includes(secret), `${secret} reached the channel`);
    await bot.service.close();
    const stored = fs.readdirSync(dir.path).filter((name) => name.startsWith("state.sqlite")).map((name) => fs.readFileSync(dir.file(name)).toString("latin1")).join("");
    // (The registered mobile is in the directory by design; what the person typed is not kept anywhere in clear.)
    for (const secret of [JANE_PASSWORD, "482913", "07700 900118"]) assert.ok(!stored.includes(secret), `${secret} was stored in clear`);
  });

  it("names the account a person typed in a reset before asking, masked, when they aren't linked to one", async () => {
    const user = new TeamsUser(team.serviceUrl);
    await post(user.install());
    await post(user.message("reset my password"));
    await post(user.message(JANE));
    const request = await asks(user);
    const shown = team.card(request).texts.join("\n");
    assert.match(shown, /j\*\*\*\.s\*\*\*@nhs\.net/);
    assert.ok(!team.everything().includes(JANE), "the address is masked in the channel");
  });

  it("tells the person when nobody takes the request in time, and gives them the helpdesk's details", async () => {
    const user = await jane();
    const request = await asks(user);
    now += 15 * 60_000;
    await bot.service.jobs.runDue();
    assert.equal(texts(user).at(-1), say.NOBODY_FREE);
    const contact = cards(user).at(-1);
    assert.equal(contact?.fact("Phone"), "[0333 200 1133](tel:+443332001133)");
    assert.equal(contact?.fact("Email"), "[helpdesk@nhs.net](mailto:helpdesk@nhs.net)");
    assert.match(team.card(request).texts[1], /nobody took it in time/);
    assert.deepEqual(team.card(request).buttons, [], "a closed request has no buttons");
    await post(alex.press(request, { verb: Verb.TakeHandoff, handoffId: idOf(request) }));
    assert.equal(lastThreadText(request), say.ALREADY_ENDED);
  });

  it("keeps an active conversation going across a restart, both ways", async () => {
    const user = await jane();
    const request = await asks(user);
    await takes(alex, request);
    await bot.service.close();
    bot = await start();
    await post(user.message("Are you still there after the restart?"));
    assert.equal(lastThreadText(request), "**Jane Smith:** Are you still there after the restart?");
    await post(alex.reply(request, "Yes, still here."));
    assert.equal(texts(user).at(-1), "**Helpdesk (Alex):** Yes, still here.");
    await press(alex, request, Verb.EndHandoff);
    assert.equal(texts(user).at(-1), say.agentEnded("Alex Jones"));
  });

  it("checks the account secret: the agent sees only 'verified', and the secret appears nowhere", async () => {
    const user = await jane();
    const request = await asks(user);
    await takes(alex, request);
    await press(alex, request, Verb.ChallengeSecret);
    const challenge = sent(user).filter((r) => (r.activity.attachments ?? []).length > 0).at(-1);
    assert.ok(challenge);
    assert.deepEqual(new CardView(challenge.activity).inputs.map((i) => [i.id, i.style]), [["answer", "password"]]);
    await post(user.submit({ verb: Verb.AnswerChallenge, answer: JANE_SECRET }, challenge.id));
    assert.equal(lastThreadText(request), "Identity check (account secret): verified");
    assert.equal(team.card(request).fact("Identity"), "Account secret: verified");
    assert.ok(connector.received.some((r) => r.update && r.id === challenge.id && r.conversationId === user.conversationId), "the answered card is replaced");
    await press(alex, request, Verb.SendResetLink);
    assert.ok(cards(user).at(-1)?.buttons.some((b) => b.data.verb === Verb.StartReset), "the person gets the reset button");
    for (const [where, text] of [["channel", team.everything()], ["log", bot.log.text], ["store", stateFileText(dir.file("state.sqlite"))]]) {
      assert.ok(!text.includes(JANE_SECRET), `the secret reached the ${where}`);
    }
  });

  it("refuses an identity-check answer from anyone but the person, and never relays what is typed while the box is open", async () => {
    const user = await jane();
    const request = await asks(user);
    await takes(alex, request);
    await press(alex, request, Verb.ChallengeSecret);
    const challenge = sent(user).filter((r) => (r.activity.attachments ?? []).length > 0).at(-1);
    // A second sender in Jane's conversation (a forged activity) answers the check.
    const intruder = new TeamsUser(team.serviceUrl);
    await post({ ...intruder.submit({ verb: Verb.AnswerChallenge, answer: JANE_SECRET }, challenge?.id), conversation: user.activity({}).conversation });
    assert.equal(texts(user).at(-1), NOT_YOUR_JOURNEY);
    assert.match(team.card(request).fact("Identity") ?? "", /waiting for the answer/, "nothing was checked");
    // Jane types her secret, an all-letter passphrase and an all-digit one into the chat instead of the box.
    for (const typed of [JANE_SECRET, "tangerine bicycle orbit lamp quill", "93817264"]) {
      await post(user.message(typed));
      assert.equal(texts(user).at(-1), ANSWER_IN_THE_BOX);
      assert.ok(!team.everything().includes(typed), `"${typed}" reached the agents' channel`);
    }
    await post(user.submit({ verb: Verb.AnswerChallenge, answer: JANE_SECRET }, challenge?.id));
    assert.equal(lastThreadText(request), "Identity check (account secret): verified");
    await post(user.message("Thanks, that was me"));
    assert.equal(lastThreadText(request), "**Jane Smith:** Thanks, that was me", "relaying resumes once the check is answered");
    for (const [where, text] of [["log", bot.log.text], ["store", stateFileText(dir.file("state.sqlite"))]]) {
      for (const typed of [JANE_SECRET, "tangerine bicycle orbit lamp quill", "93817264"]) assert.ok(!text.includes(typed), `"${typed}" reached the ${where}`);
    }
  });

  it("checks a texted code: the agent sees only the outcome, and the code appears nowhere but the text", async () => {
    const user = await jane();
    const request = await asks(user);
    await takes(alex, request);
    await press(alex, request, Verb.ChallengeSms);
    await bot.service.drainMessages();
    const code = readOutbox(dir.file("outbox.jsonl")).filter((m) => m.to === JANE_MOBILE).at(-1)?.text.match(/\b\d{6}\b/)?.[0];
    assert.ok(code, "a code is texted to the registered mobile");
    assert.equal(texts(user).at(-1), say.codeRequested("Alex Jones", "*****18"));
    const challenge = sent(user).filter((r) => (r.activity.attachments ?? []).length > 0).at(-1);
    await post(user.submit({ verb: Verb.AnswerChallenge, answer: code }, challenge?.id));
    assert.equal(lastThreadText(request), "Identity check (text code): verified");
    await press(alex, request, Verb.UnlockAccount);
    assert.equal(lastThreadText(request), say.UNLOCKED);
    for (const [where, text] of [["channel", team.everything()], ["log", bot.log.text], ["store", stateFileText(dir.file("state.sqlite"))]]) {
      assert.ok(!holdsNumber(text, code), `the code reached the ${where}`);
    }
  });
});

/** The handoff id a request card's buttons carried when it was posted. */
function idOf(request: ReceivedActivity): string {
  return String(new CardView(request.activity).button(Verb.TakeHandoff).handoffId);
}
