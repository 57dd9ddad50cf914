import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { TurnContext } from "botbuilder";
import type { Activity } from "botbuilder";
import { Verb } from "../../cards/verbs";
import type { Account } from "../../src/directory/account";
import { EmbeddedDirectory } from "../../src/directory/embedded-directory";
import { SecretBox } from "../../src/directory/secret-box";
import { REMINDER_SWEEP_ID, SYNC_READY_TEXT, registerFirstLoginJobs } from "../../src/first-login/follow-ups";
import type { FirstLoginJobs } from "../../src/first-login/follow-ups";
import { UserLinks } from "../../src/first-login/user-links";
import { JobKind, JobScheduler } from "../../src/jobs";
import { ConversationReferenceStore } from "../../src/proactive/references";
import { UserMessenger } from "../../src/proactive/user-messenger";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { FakeConnector } from "../proactive/fake-connector";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { TempDir } from "../support/temp-dir";
import { CapturedLog, TEST_START, TestClock } from "../jobs/support";

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");
const MFA_TITLE = "Set up multi-factor authentication (MFA)";
const EXPIRY_TITLE = "Your password expires soon";

/** A Teams user in a personal chat whose conversation's service URL is the fake connector. */
class ChatUser {
  readonly aadObjectId = randomUUID();
  readonly conversationId = `a:${randomUUID()}`;
  readonly tenantId = randomUUID();
  constructor(private readonly serviceUrl: string) {}
  message(): Partial<Activity> {
    return {
      type: "message",
      id: randomUUID(),
      channelId: "msteams",
      serviceUrl: this.serviceUrl,
      text: "hello",
      from: { id: `29:${randomUUID()}`, name: "Jane Smith", aadObjectId: this.aadObjectId },
      recipient: { id: "28:bot", name: "NHSmail helpdesk" },
      conversation: { id: this.conversationId, conversationType: "personal", isGroup: false, name: "", tenantId: this.tenantId },
      channelData: { tenant: { id: this.tenantId } },
    };
  }
}

/** A new user's account: MFA required (created after 5 October 2023), password changed, AUP accepted, not enrolled. */
function account(email: string, changes: Partial<Account> = {}): Account {
  return {
    email,
    displayName: "Jane Smith",
    createdAt: "2027-11-01T09:00:00Z",
    passwordHash: "not-a-real-hash",
    previousPasswordHashes: [],
    passwordChangedAt: "2027-11-20T09:00:00Z",
    passwordExpiresAt: new Date(TEST_START + 300 * DAY).toISOString(),
    temporaryPassword: false,
    aupAcceptedAt: "2027-11-20T09:05:00Z",
    ...changes,
  };
}

/** The bot's parts over one store: the real adapter, references, messenger, links, directory and scheduler. */
class Bot {
  readonly adapter = new TeamsAdapter({});
  readonly references: ConversationReferenceStore;
  readonly links: UserLinks;
  readonly directory: EmbeddedDirectory;
  readonly jobs: JobScheduler;
  readonly followUps: FirstLoginJobs;

  constructor(readonly store: StateStore, clock: TestClock, log: CapturedLog, settings: { expiryReminderDays?: number[] } = {}) {
    this.references = new ConversationReferenceStore(store, clock.now);
    this.links = new UserLinks(store);
    this.directory = new EmbeddedDirectory(store.storage, new SecretBox(SECRETS_KEY));
    const messenger = new UserMessenger({
      references: this.references,
      adapter: this.adapter,
      botAppId: "",
      logger: log.logger,
      backoff: { delay: () => Promise.resolve() },
    });
    this.jobs = new JobScheduler(store, { clock: clock.now, logger: log.logger, retryBaseMs: 10 * 60_000 });
    this.followUps = registerFirstLoginJobs(this.jobs, {
      listAccounts: () => this.directory.list(),
      links: this.links,
      messenger,
      store,
      clock: clock.now,
      logger: log.logger,
      mfaReminderHours: 24,
      expiryReminderDays: settings.expiryReminderDays ?? [14, 7, 1],
      sweepEveryMs: HOUR,
    });
  }

  /** Adds an account, and (unless told not to) links it to a Teams user who has chatted with the bot. */
  async person(user: ChatUser, details: Account, options: { linked?: boolean; chatted?: boolean } = {}): Promise<void> {
    await this.directory.upsert(details);
    if (options.linked !== false) await this.links.link(user.aadObjectId, details.email);
    if (options.chatted !== false) await this.references.capture(new TurnContext(this.adapter, user.message()));
  }
}

describe("first-login follow-ups and reminders, over the real Teams adapter and a fake connector", () => {
  let connector: FakeConnector;
  let serviceUrl: string;
  let dir: TempDir;
  let clock: TestClock;
  let log: CapturedLog;
  const stores: StateStore[] = [];

  const open = async (url = "memory://"): Promise<StateStore> => {
    const store = await openStateStore(url);
    stores.push(store);
    return store;
  };
  const bot = async (settings?: { expiryReminderDays?: number[] }): Promise<Bot> => new Bot(await open(), clock, log, settings);
  const to = (user: ChatUser): ReceivedActivity[] => connector.received.filter((r) => r.conversationId === user.conversationId);
  const cardsTo = (user: ChatUser, title: string): string[] =>
    to(user)
      .map((r) => JSON.stringify(r.activity.attachments?.[0]?.content ?? null))
      .filter((card) => card.includes(title));
  /** Runs the scheduler every hour for `hours` hours (the first run now). */
  const hourly = async (b: Bot, hours: number): Promise<void> => {
    for (let hour = 0; hour < hours; hour++) {
      await b.jobs.runDue();
      clock.advance(HOUR);
    }
  };

  beforeEach(async () => {
    connector = new FakeConnector();
    serviceUrl = await connector.start();
    dir = new TempDir();
    clock = new TestClock();
    log = new CapturedLog();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await connector.stop();
    dir.remove();
    assert.doesNotMatch(log.text, /@nhs\.net/, "no address is logged");
  });

  describe("the sync follow-up", () => {
    it("arrives once, when synchronisation should be over and not before", async () => {
      const b = await bot();
      const user = new ChatUser(serviceUrl);
      await b.person(user, account("new.starter@nhs.net"));
      await b.jobs.schedule(JobKind.SyncFollowUp, "sync|new.starter@nhs.net", clock.in(120 * 60_000), { email: "new.starter@nhs.net" });
      clock.advance(119 * 60_000);
      await b.jobs.runDue();
      assert.equal(to(user).length, 0, "nothing before the two hours are up");
      clock.advance(60_000);
      assert.deepEqual(await b.jobs.runDue(), { ran: 1, failed: 0 });
      clock.advance(HOUR);
      await b.jobs.runDue();
      assert.deepEqual(to(user).map((r) => r.activity.text), [SYNC_READY_TEXT]);
      assert.match(SYNC_READY_TEXT, /talk to a person/);
    });

    it("still arrives, once, after the bot restarts on the same SQLite file", async () => {
      const file = `sqlite://${dir.file("state.sqlite")}`;
      const user = new ChatUser(serviceUrl);
      const before = new Bot(await open(file), clock, log);
      await before.person(user, account("new.starter@nhs.net"));
      await before.jobs.schedule(JobKind.SyncFollowUp, "sync|new.starter@nhs.net", clock.in(2 * HOUR), { email: "new.starter@nhs.net" });
      await before.store.close();

      clock.advance(2 * HOUR);
      const after = new Bot(await open(file), clock, log);
      assert.deepEqual(await after.jobs.runDue(), { ran: 1, failed: 0 });
      const again = new Bot(await open(file), clock, log);
      assert.deepEqual(await again.jobs.runDue(), { ran: 0, failed: 0 });
      assert.deepEqual(to(user).map((r) => r.activity.text), [SYNC_READY_TEXT]);
    });

    it("is dropped without error for a person who cannot be reached: no link, no conversation, or the bot removed (403)", async () => {
      const b = await bot();
      const [unlinked, silent, removed] = [new ChatUser(serviceUrl), new ChatUser(serviceUrl), new ChatUser(serviceUrl)];
      await b.person(unlinked, account("unlinked@nhs.net"), { linked: false });
      await b.person(silent, account("silent@nhs.net"), { chatted: false });
      await b.person(removed, account("removed@nhs.net"));
      for (const email of ["unlinked@nhs.net", "silent@nhs.net", "removed@nhs.net"]) {
        await b.jobs.schedule(JobKind.SyncFollowUp, `sync|${email}`, clock.now(), { email });
      }
      connector.failNext(403);
      assert.deepEqual(await b.jobs.runDue(), { ran: 3, failed: 0 });
      assert.deepEqual(connector.attempts, [403], "one try, for the only person with a conversation");
      assert.deepEqual(await b.jobs.list(), [], "nothing is kept to retry");
      assert.equal(await b.references.find(removed.aadObjectId), undefined, "the refused reference is forgotten");
      assert.doesNotMatch(log.text, /"level":50/, "no error is logged");
    });

    it("is tried again later when Teams keeps throttling it", async () => {
      const b = await bot();
      const user = new ChatUser(serviceUrl);
      await b.person(user, account("new.starter@nhs.net"));
      await b.jobs.schedule(JobKind.SyncFollowUp, "sync|new.starter@nhs.net", clock.now(), { email: "new.starter@nhs.net" });
      connector.failNext(429, 429, 429);
      assert.deepEqual(await b.jobs.runDue(), { ran: 0, failed: 1 });
      assert.deepEqual(connector.attempts, [429, 429, 429], "the messenger's own retries were used up");
      assert.equal(to(user).length, 0);
      clock.advance(10 * 60_000);
      assert.deepEqual(await b.jobs.runDue(), { ran: 1, failed: 0 });
      assert.deepEqual(to(user).map((r) => r.activity.text), [SYNC_READY_TEXT]);
    });
  });

  describe("the reminder sweep", () => {
    it("is scheduled once, runs at once, and keeps rescheduling itself", async () => {
      const b = await bot();
      assert.equal(await b.followUps.ensureReminderSweep(), true);
      assert.equal(await b.followUps.ensureReminderSweep(), false);
      await hourly(b, 3);
      const sweeps = (await b.jobs.list()).filter((j) => j.id === REMINDER_SWEEP_ID);
      assert.deepEqual(sweeps.map((j) => j.dueAt), [clock.now().toISOString()], "the next sweep is due now, an hour after the last");
      assert.equal(log.lines.filter((l) => l.includes("reminder sweep done")).length, 3);
    });

    it("reminds about MFA at most once per MFA_REMINDER_HOURS, with a button that opens the MFA task", async () => {
      const b = await bot();
      const user = new ChatUser(serviceUrl);
      await b.person(user, account("new.starter@nhs.net"));
      await b.followUps.ensureReminderSweep();
      await hourly(b, 24);
      assert.equal(cardsTo(user, MFA_TITLE).length, 1, "one reminder in the first day");
      await hourly(b, 25);
      const cards = cardsTo(user, MFA_TITLE);
      assert.equal(cards.length, 3, "then one a day");
      const card = JSON.parse(cards[0]) as { body: Array<{ text?: string }>; actions: Array<{ title: string; data?: Record<string, string> }> };
      assert.ok(card.body.some((block) => block.text?.startsWith("MFA is required for your account")), "says why");
      assert.deepEqual(card.actions[0], { type: "Action.Submit", title: "Set up MFA now", style: "positive", data: { verb: Verb.StartFirstLogin, task: "mfa" } });
    });

    it("stops the MFA reminders once the person enrols", async () => {
      const b = await bot();
      const user = new ChatUser(serviceUrl);
      await b.person(user, account("new.starter@nhs.net"));
      await b.followUps.sweep();
      await b.directory.enrolMfa("new.starter@nhs.net", { method: "sms", mobile: "+447700900123" }, clock.now());
      clock.advance(2 * DAY);
      await b.followUps.sweep();
      assert.equal(cardsTo(user, MFA_TITLE).length, 1);
    });

    it("sends no MFA reminder to exempt, older, enrolled or unlinked accounts, nor before the temporary password is changed", async () => {
      const b = await bot();
      const users = Array.from({ length: 6 }, () => new ChatUser(serviceUrl));
      await b.person(users[0], account("pharmacist@nhs.net", { organisationType: "Pharmacy", nasManaged: true }));
      await b.person(users[1], account("old.hand@nhs.net", { createdAt: "2021-05-01T09:00:00Z" }));
      await b.person(users[2], account("enrolled@nhs.net", { mfaMethod: "app", mfaEnrolledAt: "2027-11-21T09:00:00Z" }));
      await b.person(users[3], account("unlinked@nhs.net"), { linked: false });
      await b.person(users[4], account("temporary@nhs.net", { temporaryPassword: true, aupAcceptedAt: undefined }));
      await b.person(users[5], account("no.aup.yet@nhs.net", { aupAcceptedAt: undefined }));
      const summary = await b.followUps.sweep();
      assert.equal(summary.mfaReminders, 0);
      assert.equal(connector.attempts.length, 0);

      await b.directory.setPassword("temporary@nhs.net", { password: "not kept", hash: "another-hash" }, clock.now());
      await b.directory.acceptAup("temporary@nhs.net", "v", clock.now());
      assert.equal((await b.followUps.sweep()).mfaReminders, 1);
      assert.equal(cardsTo(users[4], MFA_TITLE).length, 1, "reminded once the earlier tasks are done");
    });

    it("sends one MFA reminder when two instances sweep at once", async () => {
      const file = `sqlite://${dir.file("state.sqlite")}`;
      const [a, b] = [new Bot(await open(file), clock, log), new Bot(await open(file), clock, log)];
      const user = new ChatUser(serviceUrl);
      await a.person(user, account("new.starter@nhs.net"));
      await Promise.all([a.followUps.sweep(), b.followUps.sweep(), a.followUps.sweep(), b.followUps.sweep()]);
      assert.equal(cardsTo(user, MFA_TITLE).length, 1);
    });

    it("reminds about password expiry at 14, 7 and 1 days, once each, and never after it expired", async () => {
      const b = await bot();
      const user = new ChatUser(serviceUrl);
      const expires = new Date(TEST_START + 20 * DAY);
      await b.person(user, account("expiring@nhs.net", { passwordExpiresAt: expires.toISOString(), mfaEnrolledAt: "2027-11-21T09:00:00Z" }));
      await b.followUps.ensureReminderSweep();
      await hourly(b, 23 * 24);
      const cards = cardsTo(user, EXPIRY_TITLE);
      assert.equal(cards.length, 3);
      assert.match(cards[0], /expires in 14 days \(Monday 13 December 2027 at 10:00am\)/);
      assert.match(cards[1], /expires in 7 days/);
      assert.match(cards[2], /expires tomorrow/);
      const card = JSON.parse(cards[0]) as { actions: Array<Record<string, unknown>> };
      assert.deepEqual(card.actions[0], { type: "Action.Submit", title: "Change my password now", style: "positive", data: { verb: Verb.StartPasswordChange } });
      assert.deepEqual(card.actions[1], { type: "Action.OpenUrl", title: "Open portal.nhs.net", url: "https://portal.nhs.net" });
      assert.equal(cardsTo(user, MFA_TITLE).length, 0, "an enrolled person is not reminded about MFA");
    });

    it("sends only the smallest threshold that applies, and none for a temporary or expired password", async () => {
      const b = await bot();
      const [soon, temporary, expired] = [new ChatUser(serviceUrl), new ChatUser(serviceUrl), new ChatUser(serviceUrl)];
      const enrolled = { mfaEnrolledAt: "2027-11-21T09:00:00Z" };
      await b.person(soon, account("soon@nhs.net", { ...enrolled, passwordExpiresAt: new Date(TEST_START + 5 * DAY).toISOString() }));
      await b.person(temporary, account("temporary@nhs.net", { ...enrolled, temporaryPassword: true, passwordExpiresAt: new Date(TEST_START + 2 * DAY).toISOString() }));
      await b.person(expired, account("expired@nhs.net", { ...enrolled, passwordExpiresAt: new Date(TEST_START - HOUR).toISOString() }));
      await b.followUps.sweep();
      await b.followUps.sweep();
      assert.deepEqual(cardsTo(soon, EXPIRY_TITLE).map((c) => /expires (in \d+ days|tomorrow|today)/.exec(c)?.[1]), ["in 5 days"]);
      clock.advance(4 * DAY);
      await b.followUps.sweep();
      clock.advance(2 * DAY);
      await b.followUps.sweep();
      assert.equal(cardsTo(soon, EXPIRY_TITLE).length, 2, "the 1-day reminder, then nothing once expired");
      assert.match(cardsTo(soon, EXPIRY_TITLE)[1], /expires tomorrow/);
      assert.equal(to(temporary).length + to(expired).length, 0);
    });

    it("skips a person who cannot be reached without error, and reminds them once they are back", async () => {
      const b = await bot();
      const user = new ChatUser(serviceUrl);
      await b.person(user, account("new.starter@nhs.net"));
      connector.failNext(403);
      const refused = await b.followUps.sweep();
      assert.deepEqual({ sent: refused.mfaReminders, unreachable: refused.unreachable, failed: refused.failed }, { sent: 0, unreachable: 1, failed: 0 });
      assert.equal(await b.references.find(user.aadObjectId), undefined);
      const silent = await b.followUps.sweep();
      assert.equal(silent.unreachable, 1);
      assert.equal(connector.attempts.length, 1, "no conversation, no attempt");

      await b.references.capture(new TurnContext(b.adapter, user.message()));
      assert.equal((await b.followUps.sweep()).mfaReminders, 1);
      assert.equal(cardsTo(user, MFA_TITLE).length, 1);
    });
  });
});
