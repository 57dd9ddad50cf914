import assert from "node:assert/strict";
import { ConversationState, TestAdapter } from "botbuilder";
import type { Activity, Middleware, Storage } from "botbuilder";
import { DialogSet, DialogTurnStatus } from "botbuilder-dialogs";
import { DialogTestClient } from "botbuilder-testing";
import { Verb } from "../../cards/verbs";
import {
  ALREADY_CHATTING,
  ANSWER_SENT,
  CHAT_ENDED,
  CLOSED_FOR_OTHER,
  EMPTY_ANSWER,
  HandoffDialog,
  LEFT_CHAT,
  LEFT_QUEUE,
  NO_AGENTS,
  NO_CHECK_WAITING,
  SECRET_NOT_RELAYED,
  SOMETHING_ELSE,
  WAIT_FOR_SYNC,
  YES_OR_NO,
  ANSWERED_SOMETHING_ELSE,
  alreadyWaiting,
  stillWaiting,
  syncWaitMessage,
} from "../../dialogs/handoff-dialog";
import type { HandoffDependencies, HandoffOptions } from "../../dialogs/handoff-dialog";
import { REPEATED_FAILURES } from "../../dialogs/verify-identity-dialog";
import { BLOCKED_MESSAGE } from "../../dialogs/reset-services";
import { WRONG_CODE } from "../../dialogs/phone-code-dialog";
import { StoreHandoffs } from "../../src/handoff/store";
import type { ChallengeOutcome, HandoffDesk, HandoffRecord, OpenResult, SyncAnswer } from "../../src/handoff/ports";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { cardElements, readableText } from "../support/card-elements";
import { ResetHarness } from "../support/reset-harness";

const CONTACT = { phone: "0333 200 1133", email: "helpdesk@nhs.net" };
const SECRET = "Blackbird over the harbour";
const AGENT = { id: "29:agent", name: "Alex Jones" };
/** The person, as Teams names them. */
const PERSON = { id: "29:person", aadObjectId: "aad-person", name: "Sam Patel" };
const escape = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

/**
 * A small desk over the real handoff store: what the agents' side would do is done by the test (take, close, ask
 * for the secret). Messages for the agent are collected; an answer to the identity check is compared, never kept.
 */
class TestDesk implements HandoffDesk {
  agents = true;
  readonly toAgent: Array<{ text: string; waiting: boolean }> = [];
  readonly opened: Array<Parameters<HandoffDesk["open"]>[0]> = [];
  answers = 0;

  constructor(
    readonly handoffs: StoreHandoffs,
    private readonly now: () => Date,
  ) {}

  async open(request: Parameters<HandoffDesk["open"]>[0]): Promise<OpenResult> {
    if (!this.agents) return { status: "no-agents" };
    this.opened.push(request);
    const record = await this.handoffs.create({ ...request, at: this.now() });
    const position = (await this.handoffs.position(record.id)) ?? 1;
    return { status: "queued", record, position, estimateMinutes: await this.handoffs.estimateMinutes(position) };
  }

  openFor(userId: string): Promise<HandoffRecord | undefined> {
    return this.handoffs.openForUser(userId);
  }

  fromUser(record: HandoffRecord, text: string): Promise<void> {
    this.toAgent.push({ text, waiting: record.status === "waiting" });
    return Promise.resolve();
  }

  async endByUser(record: HandoffRecord): Promise<void> {
    await this.handoffs.close(record.id, "user", this.now());
  }

  syncAnswer(userId: string): Promise<SyncAnswer | undefined> {
    return this.handoffs.syncAnswer(userId, this.now());
  }

  async rememberSyncAnswer(userId: string, answer: SyncAnswer, minutesLeft: number): Promise<void> {
    await this.handoffs.rememberSyncAnswer(userId, answer, new Date(this.now().getTime() + minutesLeft * 60_000), this.now());
  }

  async answerChallenge(record: HandoffRecord, answer: string): Promise<ChallengeOutcome> {
    this.answers++;
    const check = (await this.handoffs.get(record.id))?.challenge;
    if (!check || check.result) return "no-challenge";
    const result = answer === SECRET ? "verified" : "not-verified";
    await this.handoffs.update(record.id, (r) => ({ ...r, challenge: { ...check, result } }));
    return result;
  }
}

/** The handoff dialog on a memory store, a test desk, and a movable clock. */
class Fixture {
  now = Date.parse("2027-11-23T14:35:00Z");
  /** The channel the person talks on (Teams unless a test says otherwise). */
  channelId = "msteams";
  store!: StateStore;
  handoffs!: StoreHandoffs;
  desk!: TestDesk;
  client!: DialogTestClient;
  conversationState!: ConversationState;
  /** Every write of the conversation's state (the dialog stack), as JSON. */
  readonly stateWrites: string[] = [];
  /** Cards the bot replaced (updateActivity), as sent. */
  readonly updates: Array<Partial<Activity>> = [];
  private deps!: HandoffDependencies;

  async start(deps: Partial<HandoffDependencies> = {}, options?: HandoffOptions): Promise<this> {
    this.store = await openStateStore("memory://");
    this.handoffs = new StoreHandoffs(this.store, { averageMinutes: 5 });
    this.desk = new TestDesk(this.handoffs, () => new Date(this.now));
    this.deps = {
      contact: CONTACT,
      desk: this.desk,
      transcript: () => Promise.resolve([{ from: "user", text: "I'm locked out", at: new Date(this.now).toISOString() }]),
      emailOf: (user) => Promise.resolve(user === PERSON.aadObjectId ? "jane.smith@nhs.net" : undefined),
      position: (id) => this.handoffs.position(id),
      ...deps,
    };
    const storage = this.store.storage;
    const recording: Storage = {
      read: (keys) => storage.read(keys),
      write: (changes) => (this.stateWrites.push(JSON.stringify(changes)), storage.write(changes)),
      delete: (keys) => storage.delete(keys),
    };
    this.conversationState = new ConversationState(recording);
    this.client = this.newClient(options);
    return this;
  }

  /** A new client over the same stored state: what a restarted bot sees. */
  newClient(options?: HandoffOptions): DialogTestClient {
    const recordUpdates: Middleware = {
      onTurn: async (context, next) => {
        context.onUpdateActivity(async (_ctx, activity, nextUpdate) => {
          this.updates.push(activity);
          await nextUpdate();
        });
        await next();
      },
    };
    return new DialogTestClient(this.channelId, new HandoffDialog(this.deps), options, [recordUpdates], this.conversationState);
  }

  async stop(): Promise<void> {
    await this.store.close();
  }

  async send(input: string | Record<string, unknown>, extra: Partial<Activity> = {}): Promise<Array<Partial<Activity>>> {
    const base: Partial<Activity> = { type: "message", from: PERSON, ...extra };
    const activity: Partial<Activity> = typeof input === "string" ? { ...base, text: input } : { ...base, value: input };
    const replies: Array<Partial<Activity>> = [];
    for (let reply = (await this.client.sendActivity(activity)) as Partial<Activity> | undefined; reply; reply = this.client.getNextReply() as Partial<Activity> | undefined) {
      replies.push(reply);
    }
    return replies;
  }

  async say(input: string | Record<string, unknown>, extra: Partial<Activity> = {}): Promise<string> {
    return readableText(await this.send(input, extra));
  }

  /** The person's request as stored. */
  async record(): Promise<HandoffRecord> {
    const id = (await this.handoffs.openForUser(PERSON.id))?.id;
    assert.ok(id, "an open request");
    const record = await this.handoffs.get(id);
    assert.ok(record);
    return record;
  }

  /** Another journey's start button, as the app handles it: every dialog is cancelled first. */
  async pressElsewhere(verb: string): Promise<Array<Partial<Activity>>> {
    const dialogs = new DialogSet(this.conversationState.createProperty("DialogState"));
    dialogs.add(new HandoffDialog(this.deps));
    const adapter = new TestAdapter(async (context) => {
      await (await dialogs.createContext(context)).cancelAllDialogs();
      await this.conversationState.saveChanges(context);
    }, { channelId: "msteams" });
    await adapter.receiveActivity({ type: "message", from: PERSON, value: { verb } });
    return adapter.activeQueue.splice(0);
  }

  get status(): DialogTurnStatus {
    return this.client.dialogTurnResult.status;
  }
}

describe("HandoffDialog: the person's side of a helpdesk chat", () => {
  let f: Fixture;
  afterEach(() => f.stop());

  it("without a desk, gives the helpdesk's details and ends", async () => {
    f = await new Fixture().start({ desk: undefined });
    const replies = await f.send("talk to a person");
    assert.match(readableText(replies), /Contact the helpdesk/);
    assert.match(JSON.stringify(replies), /0333 200 1133/);
    assert.equal(f.status, DialogTurnStatus.complete);
  });

  it("announces the request with a handoff.initiate event on a channel other than Teams, and never in Teams", async () => {
    f = new Fixture();
    f.channelId = "directline";
    await f.start();
    const events = (await f.send("talk to a person")).filter((r) => r.type === "event" && r.name === "handoff.initiate");
    assert.equal(events.length, 1);
    const value = events[0].value as { handoffId?: string; trigger?: string };
    assert.equal(value.handoffId, (await f.record()).id);
    assert.equal(value.trigger, "asked");
    const transcript = JSON.stringify(events[0].attachments);
    assert.match(transcript, /I'm locked out/, "the redacted transcript travels with it");
    await f.stop();

    f = await new Fixture().start();
    const inTeams = await f.send("talk to a person");
    assert.equal(inTeams.filter((r) => r.type === "event").length, 0, "Teams refuses handoff.initiate: the bot relays itself");
  });

  it("with no agents' channel to send to, gives the helpdesk's details and keeps no request", async () => {
    f = await new Fixture().start();
    f.desk.agents = false;
    const replies = await f.send("talk to a person");
    assert.match(readableText(replies), escape(NO_AGENTS));
    assert.match(JSON.stringify(replies), /helpdesk@nhs\.net/);
    assert.equal(f.status, DialogTurnStatus.complete);
    assert.equal(await f.handoffs.openForUser(PERSON.id), undefined);
  });

  it("queues the request with who, why and the transcript, and shows the place in the queue and the wait", async () => {
    f = await new Fixture().start({}, { trigger: "locked-out", failedStep: "the verification code" });
    await f.handoffs.create({ user: { id: "someone-else" }, userConversationId: "c2", trigger: "asked", transcript: [], at: new Date(f.now) });
    const replies = await f.send("talk to a person");
    assert.match(readableText(replies), /You're number 2 in the queue\. Expected wait: about 10 minutes\./);
    const leave = cardElements(replies).find((e) => e.type === "Action.Submit");
    assert.deepEqual(leave?.data, { verb: Verb.LeaveHandoff });
    assert.equal(f.status, DialogTurnStatus.waiting, "stays on the stack while the request is open");
    const [request] = f.desk.opened;
    assert.deepEqual(request.user, PERSON);
    assert.equal(request.email, "jane.smith@nhs.net", "the linked account");
    assert.equal(request.trigger, "locked-out");
    assert.equal(request.failedStep, "the verification code");
    assert.equal(request.transcript.length, 1);
  });

  it("relays messages while waiting (with a reminder of the place) and after an agent takes it (without one)", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    assert.equal(await f.say("My email stopped working this morning"), stillWaiting(1));
    const record = await f.record();
    assert.ok((await f.handoffs.take(record.id, AGENT, new Date(f.now))).ok);
    assert.deepEqual(await f.send("Thanks, it says my account is disabled"), []);
    assert.deepEqual(f.desk.toAgent, [
      { text: "My email stopped working this morning", waiting: true },
      { text: "Thanks, it says my account is disabled", waiting: false },
    ]);
    assert.equal(f.status, DialogTurnStatus.waiting);
  });

  for (const [how, input] of [
    ["typing end", "end"],
    ["typing cancel", "cancel"],
    ["the Leave the queue button", { verb: Verb.LeaveHandoff }],
  ] as const) {
    it(`closes the request on ${how} and returns the person to the bot`, async () => {
      f = await new Fixture().start();
      await f.say("talk to a person");
      const id = (await f.record()).id;
      assert.equal(await f.say(input), LEFT_QUEUE);
      assert.equal(f.status, DialogTurnStatus.complete);
      assert.equal((await f.handoffs.get(id))?.closedBy, "user");
      assert.equal(await f.handoffs.position(id), undefined, "out of the queue");
    });
  }

  it("ends an active chat when the person types end", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    const id = (await f.record()).id;
    await f.handoffs.take(id, AGENT, new Date(f.now));
    assert.equal(await f.say("End."), LEFT_CHAT);
    assert.equal((await f.handoffs.get(id))?.status, "closed");
    assert.deepEqual(f.desk.toAgent, [], "'end' is not relayed");
  });

  it("when the agent has closed it, the next message says so, shows the help card and ends", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    const id = (await f.record()).id;
    await f.handoffs.take(id, AGENT, new Date(f.now));
    await f.handoffs.close(id, "agent", new Date(f.now));
    const replies = await f.send("are you still there?");
    assert.equal(replies[0].text, CHAT_ENDED);
    assert.match(readableText(replies), /Reset my password/);
    assert.equal(f.status, DialogTurnStatus.complete);
    assert.deepEqual(f.desk.toAgent, [], "nothing goes to a closed request");
  });

  it("asking for a person again says where they are, without a second request", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    assert.equal(await f.say("can I speak to the helpdesk please"), alreadyWaiting(1));
    await f.handoffs.take((await f.record()).id, AGENT, new Date(f.now));
    assert.equal(await f.say("talk to a person"), ALREADY_CHATTING);
    assert.equal(f.desk.opened.length, 1);
    assert.deepEqual(f.desk.toAgent, []);
  });

  it("pressing Talk to the helpdesk again picks the open request up, rather than closing it", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    const id = (await f.record()).id;
    assert.deepEqual(await f.pressElsewhere(Verb.StartHandoff), []);
    f.client = f.newClient();
    assert.equal(await f.say("hello?"), alreadyWaiting(1));
    assert.equal((await f.record()).id, id);
  });

  it("starting another journey closes the open request and says so", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    const id = (await f.record()).id;
    const replies = await f.pressElsewhere(Verb.StartReset);
    assert.equal(replies[0]?.text, CLOSED_FOR_OTHER);
    assert.equal((await f.handoffs.get(id))?.closedBy, "user");
  });

  it("answers the identity check from the masked box: never echoed, never relayed, the card replaced", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    const id = (await f.record()).id;
    await f.handoffs.take(id, AGENT, new Date(f.now));
    await f.handoffs.update(id, (r) => ({ ...r, challenge: { kind: "secret", askedAt: new Date(f.now).toISOString() } }));

    assert.equal(await f.say({ verb: Verb.AnswerChallenge, answer: "   " }, { replyToId: "card-1" }), EMPTY_ANSWER);
    assert.equal(await f.say({ verb: Verb.AnswerChallenge, answer: "Blackbird" }, { replyToId: "card-1" }), ANSWER_SENT);
    assert.equal((await f.handoffs.get(id))?.challenge?.result, "not-verified");
    await f.handoffs.update(id, (r) => ({ ...r, challenge: { kind: "secret", askedAt: new Date(f.now + 60_000).toISOString() } }));
    const replies = await f.send({ verb: Verb.AnswerChallenge, answer: SECRET }, { replyToId: "card-2" });
    assert.equal(readableText(replies), ANSWER_SENT, "the same words whatever the outcome");
    assert.equal((await f.handoffs.get(id))?.challenge?.result, "verified");
    assert.deepEqual(f.updates.map((u) => u.id), ["card-1", "card-2"], "each card with the box was replaced");
    assert.doesNotMatch(JSON.stringify(f.updates), /Blackbird/);
    assert.doesNotMatch(JSON.stringify(f.updates), /Input\.Text/);
    assert.deepEqual(f.desk.toAgent, []);
    assert.doesNotMatch(JSON.stringify(await f.handoffs.get(id)), /Blackbird/, "not kept with the request");
    assert.ok(f.stateWrites.length > 0, "the dialog state was written");
    assert.doesNotMatch(f.stateWrites.join("\n"), /Blackbird/, "nor in the dialog state");

    assert.equal(await f.say({ verb: Verb.AnswerChallenge, answer: "a second go" }, { replyToId: "card-2" }), NO_CHECK_WAITING);
    assert.equal(f.status, DialogTurnStatus.waiting);
  });

  for (const typed of ["my password is Harbour-Lantern-58", "the code is 482913", "P@ssw0rd!2027"]) {
    it(`does not relay a message that looks like a secret: "${typed}"`, async () => {
      f = await new Fixture().start();
      await f.say("talk to a person");
      assert.equal(await f.say(typed), SECRET_NOT_RELAYED);
      assert.deepEqual(f.desk.toAgent, []);
      assert.equal(f.status, DialogTurnStatus.waiting, "the chat goes on");
    });
  }

  it("carries on relaying after a restart, from the stored dialog state and request", async () => {
    f = await new Fixture().start();
    await f.say("talk to a person");
    await f.handoffs.take((await f.record()).id, AGENT, new Date(f.now));
    f.client = f.newClient();
    assert.deepEqual(await f.send("I'm back"), []);
    assert.deepEqual(f.desk.toAgent, [{ text: "I'm back", waiting: false }]);
  });

  describe("inside the first-login synchronisation window", () => {
    const syncWindow = (): Promise<{ minutesLeft: number; readyAt: string }> => Promise.resolve({ minutesLeft: 73, readyAt: "12:00pm" });

    it("explains the wait first and stops when it is about sending email", async () => {
      f = await new Fixture().start({ syncWindow });
      const replies = await f.send("talk to a person");
      assert.equal(replies[0].text, syncWaitMessage(73, "12:00pm"));
      assert.match(JSON.stringify(replies[1]), escape(SOMETHING_ELSE));
      assert.equal(await f.say("no"), WAIT_FOR_SYNC);
      assert.equal(f.desk.opened.length, 0);
      assert.equal(f.status, DialogTurnStatus.complete);
    });

    it("goes on to the queue when it is about something else, as a new user's request", async () => {
      f = await new Fixture().start({ syncWindow });
      await f.say("talk to a person");
      assert.match(await f.say("yes"), /You're number 1 in the queue/);
      assert.equal(f.desk.opened[0]?.trigger, "first-login");
    });

    it("asks with an Adaptive Card's Yes and No buttons (Action.Submit), not suggested actions", async () => {
      f = await new Fixture().start({ syncWindow });
      const replies = await f.send("talk to a person");
      assert.equal(replies.length, 2);
      const question = replies[1];
      assert.equal(question.suggestedActions, undefined, "no imBack buttons: the Agents Playground does not support them");
      assert.equal(question.attachments?.[0]?.contentType, "application/vnd.microsoft.card.adaptive");
      const buttons = cardElements([question]).filter((e) => e.type?.startsWith("Action."));
      assert.deepEqual(
        buttons.map((b) => [b.type, b.title, b.data]),
        [
          ["Action.Submit", "Yes, something else", { verb: Verb.HandoffSomethingElse }],
          ["Action.Submit", "No, it's about email", { verb: Verb.HandoffAboutEmail }],
        ],
      );
      assert.match(readableText([question]), escape(SOMETHING_ELSE));
    });

    it("goes on to the queue when Yes is pressed, and turns the pressed card into a record of the answer", async () => {
      f = await new Fixture().start({ syncWindow });
      await f.send("talk to a person");
      assert.match(await f.say({ verb: Verb.HandoffSomethingElse }, { replyToId: "question-card" }), /You're number 1 in the queue/);
      assert.equal(f.desk.opened[0]?.trigger, "first-login");
      assert.deepEqual(f.updates.map((u) => u.id), ["question-card"]);
      assert.match(JSON.stringify(f.updates[0]), escape(ANSWERED_SOMETHING_ELSE));
      assert.doesNotMatch(JSON.stringify(f.updates[0]), /Action\.Submit/, "no buttons left to press twice");
    });

    it("stops when No is pressed, as when it is typed", async () => {
      f = await new Fixture().start({ syncWindow });
      await f.send("talk to a person");
      assert.equal(await f.say({ verb: Verb.HandoffAboutEmail }, { replyToId: "question-card" }), WAIT_FOR_SYNC);
      assert.equal(f.desk.opened.length, 0);
      assert.equal(f.status, DialogTurnStatus.complete);
    });

    it("asks again, with the card, when the answer is neither yes nor no", async () => {
      f = await new Fixture().start({ syncWindow });
      await f.send("talk to a person");
      const replies = await f.send("maybe");
      assert.equal(replies[0].text, YES_OR_NO);
      assert.ok(cardElements(replies).some((e) => e.data?.verb === Verb.HandoffSomethingElse));
      assert.equal(f.desk.opened.length, 0);
      assert.equal(f.status, DialogTurnStatus.waiting);
    });

    it("asks once per window: after Yes, a later request in the same window goes straight to the queue", async () => {
      f = await new Fixture().start({ syncWindow });
      await f.send("talk to a person");
      await f.say({ verb: Verb.HandoffSomethingElse });
      assert.equal(await f.say("leave the queue"), LEFT_QUEUE);
      f.now += 30 * 60_000;
      const again = await f.send("talk to a person");
      assert.doesNotMatch(readableText(again), escape(SOMETHING_ELSE), "not asked again");
      assert.doesNotMatch(readableText(again), /minutes left/, "nor told about the wait again");
      assert.match(readableText(again), /You're number 1 in the queue/);
      assert.equal(f.desk.opened.length, 2);
      assert.equal(f.desk.opened[1]?.trigger, "first-login", "still marked as a new user's request");
    });

    it("asks once per window: after No, asking again in the same window goes straight on too", async () => {
      f = await new Fixture().start({ syncWindow });
      await f.send("talk to a person");
      assert.equal(await f.say("no"), WAIT_FOR_SYNC);
      const again = await f.send("talk to a person");
      assert.doesNotMatch(readableText(again), escape(SOMETHING_ELSE));
      assert.match(readableText(again), /You're number 1 in the queue/);
    });

    it("remembers the answer per person, and only until the window ends", async () => {
      f = await new Fixture().start({ syncWindow });
      await f.send("talk to a person");
      await f.say({ verb: Verb.HandoffSomethingElse });
      await f.say("leave the queue");
      const someoneElse = { id: "29:someone-else", name: "Kim Lee" };
      assert.match(JSON.stringify(await f.send("talk to a person", { from: someoneElse })), escape(SOMETHING_ELSE), "another person is asked");
      assert.equal(await f.handoffs.syncAnswer(PERSON.id, new Date(f.now)), "something-else");
      f.now += 74 * 60_000;
      assert.equal(await f.handoffs.syncAnswer(PERSON.id, new Date(f.now)), undefined, "forgotten once the 73 minutes are over");
      f.client = f.newClient();
      assert.match(JSON.stringify(await f.send("talk to a person")), escape(SOMETHING_ELSE), "a new window asks again");
    });

    it("without a desk, explains the wait and gives the details for anything else", async () => {
      f = await new Fixture().start({ syncWindow, desk: undefined });
      const text = await f.say("talk to a person");
      assert.match(text, /about 73 minutes left/);
      assert.match(text, /If it's about something else, you can reach the helpdesk here:/);
      assert.equal(f.status, DialogTurnStatus.complete);
    });
  });
});

describe("automatic offers to talk to the helpdesk (reset journey on the real services)", function () {
  this.timeout(30_000);
  let h: ResetHarness;
  beforeEach(async () => (h = await new ResetHarness().start()));
  afterEach(() => h.stop());

  const sms = { verb: Verb.ChooseMethod, method: "sms" };
  const offers = (replies: Array<Partial<Activity>>) =>
    cardElements(replies)
      .filter((e) => e.type === "Action.Submit" && e.data?.verb === Verb.StartHandoff)
      .map((e) => e.data);

  async function toCode(email: string): Promise<void> {
    await h.send("hi");
    await h.send(email);
    await h.send(sms);
    await h.send("07700 900118");
  }

  it("offers it under the method choice, the same for an account with no method and an unknown address", async () => {
    const seen: string[] = [];
    for (const email of ["tom.evans@nhs.net", "no.such.person@nhs.net"]) {
      await h.send("hi");
      const replies = (await h.send(email)) as Array<Partial<Activity>>;
      const [offer] = offers(replies);
      assert.equal(offer?.trigger, "no-method");
      assert.equal(typeof offer?.step, "string");
      seen.push(JSON.stringify(replies.map((r) => r.attachments)));
      await h.send("cancel");
    }
    assert.equal(seen[0], seen[1]);
  });

  it(`offers it after ${REPEATED_FAILURES} wrong codes, naming the step, and after the lockout with the helpdesk's details`, async () => {
    await toCode("jane.smith@nhs.net");
    const first = (await h.send("999999")) as Array<Partial<Activity>>;
    assert.match(readableText(first), escape(WRONG_CODE));
    assert.deepEqual(offers(first), []);
    const second = (await h.send("999998")) as Array<Partial<Activity>>;
    assert.deepEqual(offers(second), [{ verb: Verb.StartHandoff, trigger: "repeated-failures", step: "the verification code" }]);
    assert.deepEqual(offers((await h.send("999997")) as Array<Partial<Activity>>), [], "offered once");
    await h.send("999996");
    const blocked = (await h.send("999995")) as Array<Partial<Activity>>;
    assert.match(readableText(blocked), escape(BLOCKED_MESSAGE));
    assert.match(JSON.stringify(blocked), /0333 200 1133/, "the helpdesk's phone number");
    assert.deepEqual(offers(blocked), [{ verb: Verb.StartHandoff, trigger: "locked-out", step: "the verification code" }]);
  });

  it("offers it when a new journey finds the account locked", async () => {
    await toCode("jane.smith@nhs.net");
    for (let i = 0; i < 5; i++) await h.send(`99999${i}`);
    await h.send("hi");
    const blocked = (await h.send("jane.smith@nhs.net")) as Array<Partial<Activity>>;
    assert.match(readableText(blocked), escape(BLOCKED_MESSAGE));
    assert.deepEqual(offers(blocked), [{ verb: Verb.StartHandoff, trigger: "locked-out", step: "" }]);
  });
});
