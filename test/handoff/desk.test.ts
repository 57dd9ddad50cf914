import assert from "node:assert/strict";
import { Verb } from "../../cards/verbs";
import { templates } from "../../cards/render";
import { OUTCOMES } from "../../src/handoff/request-card";
import type { HandoffRecord, TranscriptLine } from "../../src/handoff/ports";
import * as say from "../../src/handoff/wording";
import { readOutbox } from "../support/outbox";
import type { TeamsUser } from "../proactive/support";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { CardView, holdsNumber, startDeskRig, stateFileText } from "./support";
import type { Agent, DeskRig } from "./support";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";
const JANE_SECRET = "Heron";
const JANE_PASSWORD = "Harbour-Lantern-58";

describe("the helpdesk desk (agents' channel, request card, Take, relay, identity checks)", function () {
  this.timeout(60_000);
  let rig: DeskRig;
  let alex: Agent;
  let priya: Agent;

  beforeEach(async () => {
    rig = await startDeskRig();
    alex = rig.team.agent("Alex Jones");
    priya = rig.team.agent("Priya Shah");
  });
  afterEach(async () => rig.close());

  const desk = () => rig.wiring.desk;
  const texts = (user: TeamsUser): string[] => rig.toPerson(user).map((r) => r.activity.text ?? "").filter(Boolean);
  const cardsTo = (user: TeamsUser): CardView[] => rig.toPerson(user).filter((r) => (r.activity.attachments ?? []).length > 0).map((r) => new CardView(r.activity));

  /** A person asks for the helpdesk; returns them, their record and the request card as posted. */
  const ask = async (
    transcript: TranscriptLine[] = [],
    email: string | null = JANE,
  ): Promise<{ user: TeamsUser; record: HandoffRecord; request: ReceivedActivity }> => {
    const user = await rig.person();
    const opened = await desk().open({
      user: { id: user.id, aadObjectId: user.aadObjectId, name: "Jane Smith" },
      userConversationId: user.conversationId,
      email: email ?? undefined,
      trigger: "locked-out",
      failedStep: "the verification code",
      transcript,
    });
    assert.equal(opened.status, "queued");
    const request = rig.team.requests().at(-1);
    assert.ok(request, "a request card is posted in the agents' channel");
    return { user, record: opened.record, request };
  };
  const taken = async (agent: Agent = alex) => {
    const asked = await ask();
    await rig.agents(agent.press(asked.request, rig.team.card(asked.request).button(Verb.TakeHandoff)));
    return asked;
  };
  const press = (agent: Agent, request: ReceivedActivity, verb: string) => rig.agents(agent.press(request, { verb, handoffId: rig.team.card(request).button(verb).handoffId }));
  const lastThreadText = (request: ReceivedActivity): string => rig.team.threadTexts(request).at(-1) ?? "";

  describe("the agents' channel", () => {
    it("answers no-agents until the bot has seen the channel, and learns it from the install in the team", async () => {
      const fresh = await startDeskRig({ installed: false });
      try {
        const user = await fresh.person();
        const request = { user: { id: user.id, name: "Jane Smith" }, userConversationId: user.conversationId, trigger: "asked" as const, transcript: [] };
        assert.deepEqual(await fresh.wiring.desk.open(request), { status: "no-agents" });
        await fresh.agents(fresh.team.agent("Alex Jones").activity("19:another-channel@thread.tacv2", { type: "conversationUpdate", membersAdded: [{ id: "28:bot", name: "NHSmail helpdesk" }] }));
        assert.deepEqual(await fresh.wiring.desk.open(request), { status: "no-agents" }, "another channel is not the agents' channel");
        await fresh.agents(fresh.team.install());
        assert.ok(fresh.connector.received.some((r) => r.conversationId === fresh.team.channelId && r.activity.text === say.CHANNEL_READY), "the bot says hello");
        assert.equal((await fresh.wiring.desk.open(request)).status, "queued");
        assert.equal(fresh.team.requests().length, 1);
      } finally {
        await fresh.close();
      }
    });

    it("learns the channel from a message in one of its threads, and posts new requests at the top of the channel", async () => {
      const fresh = await startDeskRig({ installed: false });
      try {
        const agent = fresh.team.agent("Alex Jones");
        await fresh.agents(agent.activity(`${fresh.team.channelId};messageid=1700000000000`, { type: "message", text: "hello" }));
        const user = await fresh.person();
        const opened = await fresh.wiring.desk.open({ user: { id: user.id }, userConversationId: user.conversationId, trigger: "asked", transcript: [] });
        assert.equal(opened.status, "queued");
        assert.equal(fresh.team.requests()[0].conversationId, fresh.team.channelId);
      } finally {
        await fresh.close();
      }
    });

    it("says what the channel is for to a message at its top, and that other threads are not requests", async () => {
      await rig.agents(alex.post("what do you do?"));
      const top = rig.connector.received.filter((r) => r.conversationId === rig.team.channelId).at(-1);
      assert.equal(top?.activity.text, say.CHANNEL_HELP);
      await rig.agents(alex.say(`${rig.team.channelId};messageid=42`, "hi"));
      assert.equal(rig.connector.received.at(-1)?.activity.text, say.NOT_A_REQUEST_THREAD);
    });

    it("stays quiet when agents talk among themselves outside a request's thread without mentioning the bot", async () => {
      const { user, request } = await taken();
      const before = rig.connector.received.length;
      await rig.agents(priya.say(rig.team.channelId, "Coffee anyone?", { mention: false }));
      await rig.agents(priya.say(`${rig.team.channelId};messageid=42`, "Rota for next week?", { mention: false }));
      assert.equal(rig.connector.received.length, before, "no answer, nothing relayed");
      await rig.agents(alex.reply(request, "Hi Jane, Alex here.", { mention: false }));
      assert.equal(texts(user).at(-1), "**Helpdesk (Alex):** Hi Jane, Alex here.", "the agent who took it needs no mention once the bot can read the channel");
    });

    it("drops messages it overhears in the team's other channels (the permission covers them all), and still answers a mention there", async () => {
      const general = `19:${"0".repeat(32)}@thread.tacv2`;
      const overheard = alex.say(general, "Morning all", { mention: false });
      assert.equal(rig.wiring.isAgentActivity(rig.contextFor(overheard)), true, "taken from the router, so it posts no group-chat answer");
      const before = rig.connector.received.length;
      await rig.agents(overheard);
      assert.equal(rig.connector.received.length, before, "no answer");
      assert.equal(rig.wiring.isAgentActivity(rig.contextFor(alex.say(general, "what can you do?"))), false, "a mention goes to the router as before");
    });
  });

  describe("the request card", () => {
    it("shows who, the masked address, why, the failed step and a redacted transcript, with a Take button", async () => {
      const at = new Date().toISOString();
      const { record, request } = await ask([
        { from: "bot", text: "What's your NHSmail address?", at },
        { from: "user", text: "jane.smith@nhs.net", at },
        { from: "user", text: `my password is ${JANE_PASSWORD}`, at },
        { from: "user", text: "my mobile is 07700 900118 and the code was 123456", at },
      ]);
      const card = rig.team.card(request);
      assert.equal(card.texts[0], "Help request from Jane Smith");
      assert.equal(card.fact("Account"), "j***.s***@nhs.net");
      assert.equal(card.fact("Why"), "Locked out after too many attempts");
      assert.equal(card.fact("Stuck at"), "the verification code");
      assert.equal(card.fact("Asked at"), "2:35pm");
      assert.match(card.texts[1], /^Waiting since 2:35pm$/);
      assert.deepEqual(card.buttons, [{ title: "Take", data: { verb: Verb.TakeHandoff, handoffId: record.id } }]);
      const shown = card.texts.join("\n");
      assert.match(shown, /\*\*Bot:\*\* What's your NHSmail address\?/);
      assert.match(shown, /\*\*Jane Smith:\*\* my password is \[removed\]/);
      assert.match(shown, /\*\*\*\*\*18/);
      const everything = rig.team.everything();
      for (const secret of [JANE_PASSWORD, "07700 900118", "900118", "123456", JANE]) assert.ok(!everything.includes(secret), `${secret} reached the channel`);
    });

    it("says 'not given' when the account is unknown, and offers the outcome choices the desk understands", async () => {
      const { request } = await ask([], null);
      assert.equal(rig.team.card(request).fact("Account"), "not given");
      const form = JSON.stringify(templates.handoffOutcome);
      for (const [value, title] of Object.entries(OUTCOMES)) assert.ok(form.includes(`{"title":"${title}","value":"${value}"}`), `${value} is on the form`);
    });

    it("keeps one request per person: asking again returns the same one and posts no second card", async () => {
      const { user, record } = await ask();
      const again = await desk().open({ user: { id: user.id, aadObjectId: user.aadObjectId }, userConversationId: user.conversationId, trigger: "asked", transcript: [] });
      assert.equal(again.status === "queued" && again.record.id, record.id);
      assert.equal(rig.team.requests().length, 1);
    });
  });

  describe("the request card's layout", () => {
    const lines = (n: number): TranscriptLine[] =>
      Array.from({ length: n }, (_, i): TranscriptLine => ({ from: i % 2 === 0 ? "bot" : "user", text: `line ${i + 1}`, at: new Date().toISOString() }));

    it("shows the latest 4 lines of the chat, with the rest behind a 'Show the whole chat' toggle", async () => {
      const { request } = await ask(lines(10));
      const card = rig.team.card(request);
      const visible = card.visibleTexts.filter((t) => /line \d+$/.test(t));
      assert.deepEqual(visible, ["**Bot:** line 7", "**Jane Smith:** line 8", "**Bot:** line 9", "**Jane Smith:** line 10"]);
      const earlier = card.elements.find((e) => e.id === "earlierLines");
      assert.equal(earlier?.isVisible, false, "the earlier lines start hidden");
      assert.deepEqual(earlier?.items?.map((e) => e.text), [1, 2, 3, 4, 5, 6].map((n) => `**${n % 2 === 1 ? "Bot" : "Jane Smith"}:** line ${n}`));
      const toggles = card.actions.filter((a) => a.type === "Action.ToggleVisibility");
      assert.deepEqual(toggles.map((t) => t.title), ["Show the whole chat", "Show only the latest"]);
      const ids = card.elements.map((e) => e.id).filter((id): id is string => id !== undefined);
      assert.equal(new Set(ids).size, ids.length, `element ids are unique on the card: ${ids.join(", ")}`);
      for (const toggle of toggles) {
        for (const target of toggle.targetElements ?? []) {
          const id = typeof target === "string" ? target : target.elementId;
          assert.ok(ids.includes(id), `${id} exists`);
        }
      }
      assert.ok(card.visibleTexts.length < card.texts.length);
    });

    it("puts Take (and later the agent's actions) before the transcript, so a long chat never pushes it down", async () => {
      const { request } = await ask(lines(20));
      const readingOrder = (card: CardView): string[] =>
        card.elements.flatMap((e) => (e.type === "ActionSet" ? (e.actions ?? []).map((a) => `button:${a.title ?? ""}`) : e.text ? [e.text] : []));
      const order = readingOrder(rig.team.card(request));
      const take = order.indexOf("button:Take");
      assert.ok(take >= 0, order.join(" | "));
      assert.ok(take < order.findIndex((t) => t.startsWith("Conversation with the bot")), "Take comes before the transcript");
      assert.equal(rig.team.card(request).content.actions, undefined, "no buttons left at the foot of the card");
      await rig.agents(alex.press(request, rig.team.card(request).button(Verb.TakeHandoff)));
      const active = readingOrder(rig.team.card(request));
      assert.ok(active.indexOf("button:End") < active.findIndex((t) => t.startsWith("Conversation with the bot")));
    });

    it("shows no toggle when the chat is short, and says how to be heard in the thread", async () => {
      const { request } = await ask(lines(3));
      const card = rig.team.card(request);
      assert.equal(card.actions.filter((a) => a.type === "Action.ToggleVisibility").length, 0);
      assert.equal(card.elements.filter((e) => e.id !== undefined).length, 0);
      assert.ok(card.visibleTexts.includes(say.replyHint("Jane Smith", "waiting")));
      assert.match(say.replyHint("Jane Smith", "waiting"), /@mention NHSmail helpdesk in your reply/);
    });

    it("reads card presses as words and keeps the bot's own sentences whole", async () => {
      const at = new Date().toISOString();
      const { request } = await ask([
        { from: "user", text: "(pressed: Send a text to my mobile phone)", at },
        { from: "bot", text: "Thanks: your account secret is set.", at },
        { from: "bot", text: "Press **Send a new code** (or type **try again**).", at },
      ]);
      const shown = rig.team.card(request).texts.join("\n");
      assert.match(shown, /\*\*Jane Smith:\*\* \(pressed: Send a text to my mobile phone\)/);
      assert.match(shown, /\*\*Bot:\*\* Thanks: your account secret is set\./);
      assert.match(shown, /Press \*\*Send a new code\*\* \(or type \*\*try again\*\*\)\./);
      assert.doesNotMatch(shown, /\[removed\]/);
    });
  });

  describe("replies in a request's thread that cannot reach the person are never silent", () => {
    it("tells the agents to @mention the bot in their replies when a request is taken", async () => {
      const { request } = await taken();
      const note = rig.team.threadTexts(request).find((t) => t.includes("has taken this request"));
      assert.ok(note?.includes("@mention NHSmail helpdesk in your reply"), note);
      assert.match(say.CHANNEL_READY, /@mention NHSmail helpdesk in your reply/);
    });

    it("says so to a reply before anyone has taken the request, mentioned or not", async () => {
      const { user, request } = await ask();
      await rig.agents(alex.reply(request, "Hi, are you there?", { mention: false }));
      assert.equal(lastThreadText(request), say.notRelayedWaiting("Jane Smith"));
      assert.deepEqual(texts(user), []);
    });

    it("says so to a reply after a request ended without anyone taking it", async () => {
      const { user, record, request } = await ask();
      await desk().endByUser(record);
      await rig.agents(alex.reply(request, "Sorry for the wait, Jane", { mention: false }));
      assert.equal(lastThreadText(request), say.notRelayedEnded("Jane Smith"));
      assert.deepEqual(texts(user), []);
    });

    it("says so to a reply from a colleague of the agent who took it, mentioned or not", async () => {
      const { user, request } = await taken();
      await rig.agents(priya.reply(request, "Jane, can you hear me?", { mention: false }));
      assert.equal(lastThreadText(request), say.notRelayedNotYours("Jane Smith", "Alex Jones"));
      assert.ok(!texts(user).some((t) => t.includes("can you hear me")));
    });

    it("says so to a reply after the conversation has ended", async () => {
      const { user, record, request } = await taken();
      await desk().endByUser(record);
      await rig.agents(alex.reply(request, "Anything else?", { mention: false }));
      assert.equal(lastThreadText(request), say.notRelayedEnded("Jane Smith"));
      assert.ok(!texts(user).some((t) => t.includes("Anything else")));
    });

    it("says so when the person's chat can't be reached any more, and when Teams refuses for a moment", async () => {
      const { request } = await taken();
      rig.connector.failNext(400);
      await rig.agents(alex.reply(request, "Still with me?"));
      assert.equal(lastThreadText(request), say.notDelivered("Jane Smith", "failed"));
      rig.connector.failNext(403);
      await rig.agents(alex.reply(request, "Hello?"));
      assert.equal(lastThreadText(request), say.notDelivered("Jane Smith", "gone"));
      await rig.agents(alex.reply(request, "Are you there?"));
      assert.equal(lastThreadText(request), say.notDelivered("Jane Smith", "no-reference"), "the reference was dropped: still said");
      await rig.agents(alex.reply(request, "end"));
      assert.ok(rig.team.threadTexts(request).includes(say.endNotDelivered("Jane Smith")), "ending is said to have not reached her either");
    });

    it("says an edit or a deletion of a reply is not passed on", async () => {
      const { user, request } = await taken();
      await rig.agents(alex.reply(request, "Your acount is locked"));
      const sent = texts(user).length;
      await rig.agents(alex.edits(request, "edit"));
      assert.equal(lastThreadText(request), say.editNotRelayed("Jane Smith"));
      await rig.agents(alex.edits(request, "delete"));
      assert.equal(lastThreadText(request), say.deleteNotRelayed("Jane Smith"));
      assert.equal(texts(user).length, sent, "nothing more reached the person");
      const before = rig.connector.received.length;
      await rig.agents(priya.edits(request, "edit"));
      assert.equal(rig.connector.received.length, before, "a colleague's edit was of a reply never passed on (and said so then)");
    });
  });

  describe("Take", () => {
    it("lets exactly one of two agents take a request when both press at once", async () => {
      const { user, request } = await ask();
      const take = rig.team.card(request).button(Verb.TakeHandoff);
      await Promise.all([rig.agents(alex.press(request, take)), rig.agents(priya.press(request, take))]);
      const notes = rig.team.threadTexts(request);
      const winners = notes.filter((t) => / has taken this request/.test(t));
      assert.equal(winners.length, 1, notes.join("\n"));
      const winner = winners[0].startsWith("Alex Jones") ? "Alex Jones" : "Priya Shah";
      assert.ok(notes.includes(say.alreadyTaken(winner)), "the other agent is told who has it");
      assert.equal(rig.team.card(request).texts[1].startsWith(`Taken by ${winner}`), true);
      assert.deepEqual(texts(user), [say.agentJoined(winner)]);
      assert.deepEqual(
        rig.team.card(request).buttons.map((b) => b.title),
        ["Ask for account secret", "Text a code", "Send reset link (check identity first)", "Unlock account (check identity first)", "End"],
      );
    });

    it("refuses Take from someone who isn't a member of the channel, and from a member outside it", async () => {
      const { user, record, request } = await ask();
      const take = rig.team.card(request).button(Verb.TakeHandoff);
      const mallory = rig.team.outsider("Mallory");
      await rig.agents(mallory.press(request, take));
      assert.equal(lastThreadText(request), say.AGENTS_ONLY);
      // A member pressing a copy of the button elsewhere (a group chat) is refused too: only the channel counts.
      await rig.agents(alex.activity("19:some-group-chat@thread.v2", { type: "message", value: take }));
      assert.equal(rig.connector.received.at(-1)?.activity.text, say.AGENTS_ONLY);
      assert.equal((await rig.handoffs.get(record.id))?.status, "waiting");
      assert.deepEqual(texts(user), []);
      const audit = await rig.services.reset.audit.list({ limit: 5 });
      assert.ok(audit.some((e) => e.type === Verb.TakeHandoff && e.outcome === "blocked" && e.actor === mallory.aadObjectId));
    });
  });

  describe("the conversation", () => {
    it("passes messages both ways, marks the agent's as from the helpdesk, and ends on 'end'", async () => {
      const { user, record, request } = await taken();
      await desk().fromUser(record, "Hello, I'm locked out");
      assert.equal(lastThreadText(request), "**Jane Smith:** Hello, I'm locked out");
      await rig.agents(alex.reply(request, "Hi Jane, I can help with that."));
      assert.equal(texts(user).at(-1), "**Helpdesk (Alex):** Hi Jane, I can help with that.");
      await rig.agents(priya.reply(request, "I'll take it from here"));
      assert.equal(lastThreadText(request), say.notRelayedNotYours("Jane Smith", "Alex Jones"));
      assert.ok(!texts(user).some((t) => t.includes("take it from here")), "only the agent who took it talks to the person");
      await rig.agents(alex.reply(request, "end"));
      assert.equal(texts(user).at(-1), say.agentEnded("Alex Jones"));
      assert.equal((await rig.handoffs.get(record.id))?.status, "closed");
      assert.equal(await desk().openFor(user.id), undefined);
      assert.match(rig.team.card(request).texts[1], /^Closed at 2:35pm: ended by Alex Jones$/);
      assert.deepEqual(rig.team.card(request).buttons, [], "a closed request has no buttons");
      const form = rig.team.thread(request).at(-1);
      assert.ok(form && new CardView(form.activity).texts[0] === "Record the outcome");
      await rig.agents(alex.press(request, { verb: Verb.RecordOutcome, handoffId: record.id, outcome: "resolved", note: "Talked through it; she'll call back if needed" }, form));
      assert.equal((await rig.handoffs.get(record.id))?.outcome, "Resolved. Talked through it; she'll call back if needed");
      assert.match(rig.team.card(request).texts[1], /Outcome: Resolved/);
      const audit = await rig.services.reset.audit.list({ email: JANE });
      for (const type of [Verb.TakeHandoff, Verb.EndHandoff, Verb.RecordOutcome]) {
        assert.ok(audit.some((e) => e.type === type && e.actor === alex.aadObjectId && e.outcome === "passed"), `${type} audited with the agent`);
      }
    });

    it("adds the person's messages to the request while it waits, redacted", async () => {
      const { record, request } = await ask();
      await desk().fromUser(record, `Still waiting. My password is ${JANE_PASSWORD}`);
      assert.equal(lastThreadText(request), "**Jane Smith (while waiting):** Still waiting. My password is [removed]");
      assert.equal((await rig.handoffs.get(record.id))?.transcript.at(-1)?.text, "Still waiting. My password is [removed]");
      assert.ok(!rig.team.everything().includes(JANE_PASSWORD));
      await rig.agents(alex.reply(request, "hello?"));
      assert.equal(lastThreadText(request), say.notRelayedWaiting("Jane Smith"));
    });

    it("closes when the person leaves: the thread is told, the card closed and the timeout dropped", async () => {
      const { record, request } = await ask();
      assert.equal((await rig.services.jobs.list()).filter((j) => j.kind === "handoff.timeout").length, 1);
      await desk().endByUser(record);
      assert.equal(lastThreadText(request), say.personLeft("Jane Smith"));
      assert.match(rig.team.card(request).texts[1], /Jane Smith left/);
      assert.equal((await rig.services.jobs.list()).filter((j) => j.kind === "handoff.timeout").length, 0);
      await rig.agents(alex.press(request, { verb: Verb.TakeHandoff, handoffId: record.id }));
      assert.equal(lastThreadText(request), say.ALREADY_ENDED);
    });

    it("tells the person when nobody takes the request in time, with the helpdesk's details", async () => {
      const { user, record, request } = await ask();
      rig.advance(14 * 60_000);
      await rig.services.jobs.runDue();
      assert.equal((await rig.handoffs.get(record.id))?.status, "waiting", "not before the timeout");
      rig.advance(60_000);
      await rig.services.jobs.runDue();
      assert.equal((await rig.handoffs.get(record.id))?.status, "closed");
      assert.equal(texts(user).at(-1), say.NOBODY_FREE);
      const contact = cardsTo(user).at(-1);
      assert.equal(contact?.fact("Phone"), "[0333 200 1133](tel:+443332001133)");
      assert.equal(contact?.fact("Email"), "[helpdesk@nhs.net](mailto:helpdesk@nhs.net)");
      assert.match(rig.team.card(request).texts[1], /nobody took it in time/);
      assert.equal(lastThreadText(request), say.timedOutNote(15, "Jane Smith"));
      assert.equal(await desk().openFor(user.id), undefined, "the person can ask again");
      await rig.agents(alex.press(request, { verb: Verb.TakeHandoff, handoffId: record.id }));
      assert.equal(lastThreadText(request), say.ALREADY_ENDED);
    });

    it("does not time out a request that was taken", async () => {
      const { user, record } = await taken();
      rig.advance(60 * 60_000);
      await rig.services.jobs.runDue();
      assert.equal((await rig.handoffs.get(record.id))?.status, "active");
      assert.ok(!texts(user).includes(say.NOBODY_FREE));
    });
  });

  describe("identity checks and actions", () => {
    it("checks the account secret without the agent, the channel, the log or the store ever seeing it", async () => {
      const { user, record, request } = await taken();
      await press(alex, request, Verb.SendResetLink);
      assert.equal(lastThreadText(request), say.VERIFY_FIRST, "no reset link before the person is verified");
      await press(alex, request, Verb.ChallengeSecret);
      assert.equal(texts(user).at(-1), say.secretRequested("Alex Jones"));
      const challenge = cardsTo(user).at(-1);
      assert.deepEqual(challenge?.inputs.map((i) => [i.id, i.style]), [["answer", "password"]]);
      assert.equal(lastThreadText(request), say.secretAsked("Jane Smith"));
      assert.equal(await desk().answerChallenge(record, ` ${JANE_SECRET} `), "verified");
      assert.equal(lastThreadText(request), "Identity check (account secret): verified");
      assert.equal(rig.team.card(request).fact("Identity"), "Account secret: verified");
      assert.equal(await desk().answerChallenge(record, JANE_SECRET), "no-challenge", "one answer per check");
      await press(alex, request, Verb.SendResetLink);
      const reset = cardsTo(user).at(-1);
      assert.equal(reset?.texts[0], say.resetLinkTitle("Alex Jones"));
      assert.ok(reset?.buttons.some((b) => b.title === "Reset my password" && b.data.verb === Verb.StartReset));
      assert.equal(lastThreadText(request), say.resetLinkSent("Jane Smith"));
      for (const place of [rig.team.everything(), rig.log.text, stateFileText(rig.stateFile)]) assert.ok(!place.includes(JANE_SECRET));
    });

    it("reports a wrong secret as not verified, and keeps the actions refused", async () => {
      const { record, request } = await taken();
      await press(alex, request, Verb.ChallengeSecret);
      assert.equal(await desk().answerChallenge(record, "Kestrel"), "not-verified");
      assert.equal(lastThreadText(request), "Identity check (account secret): not verified");
      await press(alex, request, Verb.UnlockAccount);
      assert.equal(lastThreadText(request), say.VERIFY_FIRST);
      assert.ok(!rig.team.everything().includes("Kestrel"));
    });

    it("won't pass on a secret typed in the chat instead of the box", async () => {
      const { user, record, request } = await taken();
      await press(alex, request, Verb.ChallengeSecret);
      await desk().fromUser(record, JANE_SECRET);
      assert.match(lastThreadText(request), /typed their answer in the chat instead of the box/);
      assert.match(texts(user).at(-1) ?? "", /only in the box/);
      assert.ok(!rig.team.everything().includes(JANE_SECRET));
      assert.equal((await rig.handoffs.get(record.id))?.challenge?.result, undefined, "the check is still open");
    });

    it("checks a texted code, then lets the agent unlock the account", async () => {
      const { user, record, request } = await taken();
      for (let i = 0; i < 10; i++) await rig.services.reset.throttles.consume("identityFailed", JANE);
      assert.equal((await rig.services.reset.throttles.check("identityFailed", JANE)).allowed, false);
      await press(alex, request, Verb.ChallengeSms);
      await rig.services.drainMessages();
      const sms = readOutbox(rig.outbox).filter((m) => m.to === JANE_MOBILE).at(-1);
      const code = sms?.text.match(/\b\d{6}\b/)?.[0];
      assert.ok(code, "a code was texted to the registered mobile");
      assert.equal(texts(user).at(-1), say.codeRequested("Alex Jones", "*****18"));
      assert.equal(lastThreadText(request), say.codeSent("Jane Smith", "*****18"));
      assert.equal(await desk().answerChallenge(record, code), "verified");
      assert.equal(lastThreadText(request), "Identity check (text code): verified");
      await press(alex, request, Verb.UnlockAccount);
      assert.equal(lastThreadText(request), say.UNLOCKED);
      assert.equal(texts(user).at(-1), say.unlockedForPerson("Alex Jones"));
      assert.equal((await rig.services.reset.throttles.check("identityFailed", JANE)).allowed, true);
      for (const place of [rig.team.everything(), rig.log.text, stateFileText(rig.stateFile)]) assert.ok(!holdsNumber(place, code), "the code stays out");
      const audit = await rig.services.reset.audit.list({ email: JANE });
      assert.ok(audit.some((e) => e.type === Verb.ChallengeSms && e.actor === alex.aadObjectId));
      assert.ok(audit.some((e) => e.type === Verb.UnlockAccount && e.actor === alex.aadObjectId && e.outcome === "passed"));
    });

    it("lets only the agent who took the request act on it", async () => {
      const { user, request } = await taken();
      await press(priya, request, Verb.ChallengeSecret);
      assert.equal(lastThreadText(request), say.notYours("Alex Jones"));
      await press(priya, request, Verb.EndHandoff);
      assert.equal(lastThreadText(request), say.notYours("Alex Jones"));
      assert.deepEqual(texts(user), [say.agentJoined("Alex Jones")]);
    });
  });
});
