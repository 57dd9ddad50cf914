import assert from "node:assert/strict";
import os from "node:os";
import type { Activity } from "botbuilder";
import { Verb } from "../../cards/verbs";
import { currentTotp } from "../../src/verification/totp";
import { FakeConnector } from "../proactive/fake-connector";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { KNOWN_EMAIL, KNOWN_TEMPORARY_PASSWORD, TeamsUser, isFirstLoginCard, startNotifyBot } from "../proactive/support";
import type { NotifyBot } from "../proactive/support";

const NEW_PASSWORD = "Kestrel-Harvest-Ridge-42";
const SECRET_WORD = "Cormorant";
const START = Date.parse("2026-11-22T10:00:00Z");

/** Every piece of text a person would read in an activity (message text and card texts, titles, labels). */
function readable(activity: Partial<Activity>): string {
  const parts: string[] = [activity.text ?? ""];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (typeof value === "string" && ["text", "title", "label"].includes(key)) parts.push(value);
      else walk(value);
    }
  };
  walk(activity.attachments?.map((a) => a.content as unknown));
  return parts.join("\n");
}

/** The checklist card's line for a task: its status word. */
function statusOf(activity: Partial<Activity>, title: RegExp): string | undefined {
  const card = JSON.stringify(activity.attachments?.[0]?.content ?? {});
  const tasks = (JSON.parse(card) as { body: Array<{ items?: Array<{ columns?: Array<{ items: Array<{ text: string }> }> }> }> }).body;
  for (const container of tasks) {
    const columns = container.items?.[0]?.columns;
    if (columns && title.test(columns[1].items[0].text)) return columns[2].items[0].text;
  }
  return undefined;
}

describe("First login over the real server, a Teams-like user and the connector client", () => {
  let bot: NotifyBot;
  let connector: FakeConnector;
  let serviceUrl: string;
  let now: number;
  let user: TeamsUser;

  const start = async (env: Record<string, string> = {}): Promise<void> => {
    bot = await startNotifyBot({ ACCOUNTS_FILE: "env/accounts.dev.json", ...env }, { clock: () => new Date(now) });
  };
  beforeEach(async () => {
    now = START;
    connector = new FakeConnector();
    serviceUrl = await connector.start();
    await start();
    user = new TeamsUser(serviceUrl);
  });
  afterEach(async () => {
    await bot.service.close();
    await connector.stop();
  });

  const sent = (): ReceivedActivity[] => connector.received.filter((r) => r.conversationId === user.conversationId);
  const since = async (action: () => Promise<unknown>): Promise<ReceivedActivity[]> => {
    const before = connector.received.length;
    await action();
    await bot.service.drainMessages();
    return connector.received.slice(before).filter((r) => r.conversationId === user.conversationId);
  };
  const post = async (activity: Partial<Activity>): Promise<ReceivedActivity[]> => since(async () => assert.equal(await bot.post(activity), 200));
  const textOf = (received: ReceivedActivity[]): string => received.map((r) => readable(r.activity)).join("\n");
  const lastCard = (received: ReceivedActivity[]): ReceivedActivity => {
    const cards = received.filter((r) => !r.update && (r.activity.attachments ?? []).length > 0);
    assert.ok(cards.length > 0, `a card was sent; got: ${textOf(received)}`);
    return cards[cards.length - 1];
  };
  const checklist = (): ReceivedActivity => {
    const original = sent().find((r) => !r.update && isFirstLoginCard(r.activity));
    assert.ok(original, "a checklist card was sent");
    const updates = sent().filter((r) => r.update && r.id === original.id);
    return updates.length > 0 ? updates[updates.length - 1] : original;
  };
  const notified = async (): Promise<ReceivedActivity> => {
    await post(user.install());
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "delivered");
    return checklist();
  };
  const changeTemporaryPassword = async (card: ReceivedActivity): Promise<ReceivedActivity[]> =>
    post(user.submit({ verb: Verb.SubmitPasswordChange, oldPassword: KNOWN_TEMPORARY_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, card.id));

  it("delivers the checklist after a notify call, with the first task ready and the rest waiting", async () => {
    const card = await notified();
    assert.equal(statusOf(card.activity, /temporary password/), "To do");
    assert.equal(statusOf(card.activity, /Acceptable Use Policy/), "Waiting");
    assert.equal(statusOf(card.activity, /profile/), "Waiting");
    assert.equal(statusOf(card.activity, /MFA/), "Waiting");
    assert.match(readable(card.activity), /MFA is required for your account/);
  });

  it("walks the tasks in order from the proactive card, updating that card in place", async () => {
    const card = await notified();
    const passwordCard = lastCard(await post(user.submit({ verb: Verb.StartFirstLogin, task: "password" }, card.id)));
    assert.equal(sent().filter((r) => !r.update && isFirstLoginCard(r.activity)).length, 1, "the checklist on screen is reused, not posted again");
    const masked = JSON.stringify(passwordCard.activity.attachments?.[0]?.content).match(/"style":"password"/g) ?? [];
    assert.equal(masked.length, 3, "linked by the notify call, not signed in here: the temporary password is asked for");

    const afterPassword = await changeTemporaryPassword(passwordCard);
    assert.doesNotMatch(JSON.stringify(afterPassword), new RegExp(NEW_PASSWORD), "the password is never echoed");
    assert.equal(statusOf(checklist().activity, /temporary password/), "Done");
    assert.equal(checklist().id, card.id, "the same card was updated");
    const account = await bot.service.directory.findByEmail(KNOWN_EMAIL);
    assert.equal(account?.temporaryPassword, false, "the temporary password no longer works");

    const aup = lastCard(afterPassword);
    assert.match(readable(aup.activity), /Acceptable Use Policy/);
    const afterAup = await post(user.submit({ verb: Verb.AcceptAup }, aup.id));
    assert.equal(statusOf(checklist().activity, /Acceptable Use Policy/), "Done");
    assert.match(textOf(afterAup), /up to 2 hours/);
    assert.match(textOf(afterAup), /12:00pm/, "ready two hours after 10:00 UTC (10am in London in November)");
    const accepted = await bot.service.directory.findByEmail(KNOWN_EMAIL);
    assert.equal(accepted?.aupAcceptedAt, new Date(START).toISOString());
    assert.ok(accepted?.aupVersion);

    const profile = lastCard(afterAup);
    const afterProfile = await post(
      user.submit({ verb: Verb.SubmitProfile, displayName: "Sam Okafor", jobTitle: "Staff Nurse", department: "Ward 7", organisation: "Leeds Teaching Hospitals NHS Trust", workPhone: "0113 243 3144", accountSecret: SECRET_WORD, confirmSecret: SECRET_WORD }, profile.id),
    );
    assert.doesNotMatch(JSON.stringify(afterProfile), new RegExp(SECRET_WORD));
    assert.equal(statusOf(checklist().activity, /profile/), "Done");
    const withProfile = await bot.service.directory.findByEmail(KNOWN_EMAIL);
    assert.equal(withProfile?.jobTitle, "Staff Nurse");
    assert.ok(withProfile?.accountSecretHash && !withProfile.accountSecretHash.includes(SECRET_WORD));

    const choose = lastCard(afterProfile);
    assert.match(readable(choose.activity), /required/i);
    const appCard = lastCard(await post(user.submit({ verb: Verb.ChooseMfaMethod, method: "app" }, choose.id)));
    const key = /\b([A-Z2-7]{4}(?: [A-Z2-7]{4}){7})\b/.exec(readable(appCard.activity))?.[1];
    assert.ok(key, "the key is shown for typing by hand");
    const done = await post(user.submit({ verb: Verb.SubmitCode, code: currentTotp(key.replace(/ /g, ""), new Date(now)) }, appCard.id));
    assert.equal(statusOf(checklist().activity, /MFA/), "Done");
    assert.match(textOf(done), /all four first-login tasks are done/i);
    const finished = readable(checklist().activity);
    assert.match(finished, /email sending works from about 12:00pm/, "still synchronising: when email works, not 'ready to use'");
    assert.doesNotMatch(finished, /ready to use|MFA is required|until you enrol/);
    const enrolled = await bot.service.directory.findByEmail(KNOWN_EMAIL);
    assert.equal(enrolled?.mfaMethod, "app");
  });

  it("keeps the order: a later task waits until the ones before it are done", async () => {
    const card = await notified();
    const replies = await post(user.submit({ verb: Verb.StartFirstLogin, task: "profile" }, card.id));
    assert.match(textOf(replies), /has to wait/);
    assert.match(readable(lastCard(replies).activity), /old|temporary|current/i, "the password card comes first");
    assert.equal((await bot.service.directory.findByEmail(KNOWN_EMAIL))?.profileUpdatedAt, undefined);
  });

  it("sends the sync follow-up once at the time it said, and explains the wait to a helpdesk request inside it", async () => {
    const card = await notified();
    const passwordCard = lastCard(await post(user.submit({ verb: Verb.StartFirstLogin, task: "password" }, card.id)));
    const aup = lastCard(await changeTemporaryPassword(passwordCard));
    await post(user.submit({ verb: Verb.AcceptAup }, aup.id));
    await post(user.message("cancel"));

    now = START + 47 * 60_000;
    const handoff = textOf(await post(user.message("talk to a person")));
    assert.match(handoff, /about 73 minutes left/);
    assert.match(handoff, /12:00pm/);

    const followUps = (received: ReceivedActivity[]) => received.filter((r) => /finished synchronising/.test(readable(r.activity)));
    now = START + 119 * 60_000;
    assert.equal(followUps(await since(() => bot.service.jobs.runDue())).length, 0, "nothing before the time");
    now = START + 120 * 60_000;
    assert.equal(followUps(await since(() => bot.service.jobs.runDue())).length, 1);
    assert.equal(followUps(await since(() => bot.service.jobs.runDue())).length, 0, "only once");

    const later = textOf(await post(user.message("talk to a person")));
    assert.doesNotMatch(later, /minutes left/);
  });

  it("resumes from \"I'm a new user\" where the person left off, after a restart", async () => {
    const file = `sqlite://${os.tmpdir()}/first-login-${user.aadObjectId}.sqlite`;
    await bot.service.close();
    await start({ STATE_URL: file });
    const card = await notified();
    const passwordCard = lastCard(await post(user.submit({ verb: Verb.StartFirstLogin, task: "password" }, card.id)));
    const aup = lastCard(await changeTemporaryPassword(passwordCard));
    await post(user.submit({ verb: Verb.DeferAup }, aup.id));

    await bot.service.close();
    await start({ STATE_URL: file });
    const resumed = await post(user.message("I'm a new user"));
    assert.equal(statusOf(lastCard(resumed.filter((r) => isFirstLoginCard(r.activity))).activity, /temporary password/), "Done");
    assert.match(readable(lastCard(resumed).activity), /Acceptable Use Policy/);
  });

  it("changes an expiring password from the reminder's button, for the person linked to the account", async () => {
    await post(user.install());
    assert.equal((await bot.notify({ email: "lena.murphy@nhs.net", aadObjectId: user.aadObjectId })).body.status, "delivered");
    const card = lastCard(await post(user.submit({ verb: Verb.StartPasswordChange })));
    const inputs = JSON.stringify(card.activity.attachments?.[0]?.content).match(/"style":"password"/g) ?? [];
    assert.equal(inputs.length, 3, "old password and the new one twice, all masked");
    const before = await bot.service.directory.findByEmail("lena.murphy@nhs.net");
    now = START + 3_600_000;
    const done = await post(user.submit({ verb: Verb.SubmitPasswordChange, oldPassword: "Lantern-Quay-4821", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, card.id));
    assert.match(textOf(done), /every device/);
    const after = await bot.service.directory.findByEmail("lena.murphy@nhs.net");
    assert.notEqual(after?.passwordHash, before?.passwordHash);
    assert.equal(after?.passwordExpiresAt, new Date(START + 3_600_000 + 365 * 86_400_000).toISOString());
  });

  it("asks a person it doesn't know to sign in with their address and password first", async () => {
    const replies = await post(user.message("I'm a new user"));
    assert.match(textOf(replies), /@nhs\.net/);
    assert.ok(!sent().some((r) => isFirstLoginCard(r.activity)), "no checklist before the person is known");
  });

  it("queues the checklist for a user who uninstalled the bot, and never sends to the old chat", async () => {
    await post(user.install());
    await post(user.uninstall());
    assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "queued");
    assert.equal(sent().filter((r) => isFirstLoginCard(r.activity)).length, 0);
    await post(user.install());
    assert.equal(sent().filter((r) => isFirstLoginCard(r.activity)).length, 1);
  });
});
