import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { Verb } from "../../cards/verbs";
import { LEFT_QUEUE, SOMETHING_ELSE, syncWaitMessage } from "../../dialogs/handoff-wording";
import { FakeConnector } from "../proactive/fake-connector";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { KNOWN_EMAIL, KNOWN_TEMPORARY_PASSWORD, TeamsUser, isFirstLoginCard, startNotifyBot } from "../proactive/support";
import type { NotifyBot } from "../proactive/support";
import { cardElements, readableText } from "../support/card-elements";
import { AgentsTeam } from "./support";

const START = Date.parse("2026-11-22T10:00:00Z");
const NEW_PASSWORD = "Kestrel-Harvest-Ridge-42";

/**
 * "Talk to a person" inside a new account's 2-hour synchronisation window, over the real server with an agents'
 * channel: the question is a card with Yes and No buttons (Action.Submit, which the Agents Playground supports), and
 * it is asked once per window.
 */
describe("talking to a person while a new account synchronises, over the real server", function () {
  this.timeout(60_000);
  let connector: FakeConnector;
  let team: AgentsTeam;
  let bot: NotifyBot;
  let user: TeamsUser;
  let now: number;

  beforeEach(async () => {
    now = START;
    connector = new FakeConnector();
    team = new AgentsTeam(await connector.start(), connector);
    bot = await startNotifyBot({ ACCOUNTS_FILE: "env/accounts.dev.json", AGENTS_CHANNEL_ID: team.channelId }, { clock: () => new Date(now) });
    assert.equal(await bot.post(team.install()), 200);
    user = new TeamsUser(team.serviceUrl);
  });
  afterEach(async () => {
    await bot.service.close();
    await connector.stop();
  });

  /** What the bot sent the person while `action` ran. */
  const since = async (action: () => Promise<unknown>): Promise<ReceivedActivity[]> => {
    const before = connector.received.length;
    await action();
    return connector.received.slice(before).filter((r) => r.conversationId === user.conversationId);
  };
  const post = (activity: Partial<Activity>): Promise<ReceivedActivity[]> => since(async () => assert.equal(await bot.post(activity), 200));
  const lastCard = (received: ReceivedActivity[]): ReceivedActivity => {
    const found = received.filter((r) => !r.update && (r.activity.attachments ?? []).length > 0).at(-1);
    assert.ok(found, "a card was sent");
    return found;
  };
  const activities = (received: ReceivedActivity[]): Array<Partial<Activity>> => received.map((r) => r.activity);

  /** The new user changes their temporary password and accepts the AUP: their account starts synchronising. */
  const intoTheWindow = async (): Promise<void> => {
    await post(user.install());
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "delivered");
    const checklist = connector.received.find((r) => r.conversationId === user.conversationId && !r.update && isFirstLoginCard(r.activity));
    assert.ok(checklist, "the checklist was delivered");
    const passwordCard = lastCard(await post(user.submit({ verb: Verb.StartFirstLogin, task: "password" }, checklist.id)));
    const change = { verb: Verb.SubmitPasswordChange, oldPassword: KNOWN_TEMPORARY_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD };
    const aup = lastCard(await post(user.submit(change, passwordCard.id)));
    await post(user.submit({ verb: Verb.AcceptAup }, aup.id));
    await post(user.message("cancel"));
    now += 47 * 60_000;
  };

  it("asks with a card's Yes and No buttons, once per window, and queues a new user's request", async () => {
    await intoTheWindow();
    const asked = await post(user.message("talk to a person"));
    assert.match(readableText(activities(asked)), new RegExp(syncWaitMessage(73, "12:00pm").slice(0, 60).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    assert.ok(asked.every((r) => r.activity.suggestedActions === undefined), "no imBack suggested actions");
    const question = lastCard(asked);
    assert.match(readableText([question.activity]), new RegExp(SOMETHING_ELSE.replace(/[?]/g, "\\?")));
    const verbs = cardElements([question.activity]).filter((e) => e.type === "Action.Submit").map((e) => e.data?.verb);
    assert.deepEqual(verbs, [Verb.HandoffSomethingElse, Verb.HandoffAboutEmail]);

    const answered = await post(user.submit({ verb: Verb.HandoffSomethingElse }, question.id));
    assert.ok(answered.some((r) => r.update && r.id === question.id), "the question's card becomes a record of the answer");
    assert.match(readableText(activities(answered)), /You're number 1 in the queue/);
    assert.equal(team.requests().length, 1);
    assert.equal(team.card(team.requests()[0]).fact("Why"), "Needs help with their first login");

    assert.match(readableText(activities(await post(user.message("leave the queue")))), new RegExp(LEFT_QUEUE.slice(0, 30)));
    now += 20 * 60_000;
    const again = readableText(activities(await post(user.message("talk to a person"))));
    assert.doesNotMatch(again, /something other than sending email/, "asked once per window");
    assert.doesNotMatch(again, /minutes left/);
    assert.match(again, /You're number 1 in the queue/);
    assert.equal(team.requests().length, 2, "straight to the queue");
  });
});
