import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { Locator } from "playwright-core";
import { AUP_VERSION } from "../../src/first-login";
import { PasswordHasher } from "../../src/policy";
import { REFERENCES_NAMESPACE } from "../../src/proactive/references";
import type { StoredReference } from "../../src/proactive/references";
import { ukTime } from "../../src/uk-time";
import { describePlayground, settle } from "./harness";
import type { E2eBot, PlaygroundChat, PlaygroundSuite, PlaygroundUser } from "./harness";

const NOTIFY_SECRET = randomBytes(24).toString("hex");
const SYNC_MINUTES = 120;
const BOT_ENV = { NOTIFY_SECRET, SYNC_MINUTES: String(SYNC_MINUTES) };

const WELCOME_TITLE = "NHSmail helpdesk";
const CHECKLIST_TITLE = "Your first NHSmail login";
const TASKS = [
  "Change your temporary password",
  "Accept the Acceptable Use Policy",
  "Update your profile and set your account secret",
  "Enrol for multi-factor authentication (MFA)",
] as const;
const AUP_TITLE = "Acceptable Use Policy";
const AUP_ACCEPTED = "Acceptable Use Policy accepted";
const SYNC_NOTICE = "Thanks, you've accepted the Acceptable Use Policy";
const PROFILE_TITLE = "Update your profile";
const CHANGE_TITLE = "Change your temporary password";
const CHANGE_SUBMITTED = "Password change submitted";
const PASSWORD_CHANGED = "Your password has been changed, and your temporary password no longer works.";

const LENA = "lena.murphy@nhs.net";
const SAM = "sam.okafor@nhs.net";
const SAM_TEMPORARY_PASSWORD = "Welcome-Temp-2701";
const SAM_NEW_PASSWORD = "Violet-Compass-Thunder-8";

/**
 * The Playground's signed-in user for each suite. Its built-in user (Alex Wilber) sends `from.id` "user-id-0" and
 * `from.aadObjectId` "00000000-0000-0000-0000-0000000000020" (13 digits in the last group): not a GUID, so the
 * notify API refuses it (400, "aadObjectId must be a GUID"). Real Teams sends the user's Entra object id, a GUID;
 * the Playground's config file gives its user one, so every activity (install, messages, card buttons) comes from
 * the same Entra user the notify call names, as in Teams.
 */
const LENA_USER: Partial<PlaygroundUser> = {
  id: "29:1lena-murphy-e2e",
  name: "Lena Murphy",
  givenName: "Lena",
  surname: "Murphy",
  aadObjectId: "5b0f3c2e-8d41-4a7c-9e26-1f4d7a9c3b58",
  userPrincipleName: LENA,
  email: LENA,
};
const SAM_USER: Partial<PlaygroundUser> = {
  id: "29:1sam-okafor-e2e",
  name: "Sam Okafor",
  givenName: "Sam",
  surname: "Okafor",
  aadObjectId: "c7e94a10-2f6b-4d38-a51e-83b0d6f2e947",
  userPrincipleName: SAM,
  email: SAM,
};


/** Each task's status as the checklist card shows it ("Done", "To do", "Waiting"), in the order of {@link TASKS}. */
async function taskStatuses(card: Locator): Promise<string[]> {
  const lines = (await card.innerText()).split("\n").map((line) => line.trim()).filter((line) => line !== "");
  return TASKS.map((title) => {
    const at = lines.indexOf(title);
    return at < 0 ? `"${title}" missing` : (lines.slice(at + 1).find((line) => /^(Done|To do|Waiting)$/.test(line)) ?? "no status");
  });
}

/** The titles of the card's buttons, in order. */
async function buttonTitles(card: Locator): Promise<string[]> {
  return (await card.getByRole("button").allInnerTexts()).map((title) => title.trim());
}

/**
 * Waits for the welcome (the page load installed the bot), then checks that the bot keeps a reference to this
 * personal chat under the Entra object id the Playground sends: the id a notify call names.
 */
async function personalChatUser(e2e: PlaygroundSuite, user: Partial<PlaygroundUser>): Promise<string> {
  await e2e.chat.waitForBotText(WELCOME_TITLE);
  const id = user.aadObjectId ?? "";
  // The reference is saved before the turn's routes run, so it is there once the welcome shows.
  const stored = await e2e.bot.service.store.keyv<Record<string, StoredReference>>(REFERENCES_NAMESPACE).get(id);
  const references = Object.values(stored ?? {});
  assert.equal(references.length, 1, `one conversation reference for ${id}`);
  assert.equal(references[0].reference.user?.aadObjectId, id, "the bot sees the Playground user's Entra object id");
  assert.equal(references[0].reference.conversation?.conversationType, "personal");
  return id;
}

/** Calls the bot's notify API as the provisioning system would, and returns the HTTP status and body. */
async function notifyFirstLogin(bot: E2eBot, email: string, aadObjectId: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${bot.url}/api/notify/first-login`, {
    method: "POST",
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify({ email, aadObjectId }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

/**
 * Calls the notify API for `email` and waits for the checklist card it sends, without anything typed in the
 * chat; returns the card's message and its position among the bot's messages.
 */
async function notifyAndWaitForChecklist(e2e: PlaygroundSuite, email: string, user: string): Promise<{ checklist: Locator; index: number }> {
  const { chat } = e2e;
  const mark = await chat.botMessageCount();
  const startedAt = Date.now();
  const answer = await notifyFirstLogin(e2e.bot, email, user);
  assert.deepEqual(answer, { status: 200, body: { status: "delivered" } }, "the notify API delivered the checklist at once");
  await chat.waitForBotText(CHECKLIST_TITLE, { after: mark });
  e2e.recordTiming("notify call to checklist on screen", Date.now() - startedAt);
  assert.equal(await chat.cardCount(CHECKLIST_TITLE), 1, "one checklist card");
  let index = -1;
  const count = await chat.botMessageCount();
  for (let i = mark; i < count; i += 1) if ((await chat.botMessages().nth(i).innerText()).includes(CHECKLIST_TITLE)) index = i;
  assert.ok(index >= mark, "the checklist is a new message");
  return { checklist: chat.botMessages().nth(index), index };
}

/**
 * Presses Accept on the AUP card; checks the card is replaced, the sync notice names the ready time, and the
 * checklist (message `index`) is updated in place to show the policy done. Returns the sync notice.
 */
async function acceptAup(e2e: PlaygroundSuite, email: string, index: number): Promise<Locator> {
  const { chat } = e2e;
  const aupCard = chat.lastCard(AUP_TITLE);
  const pressedAt = new Date();
  const startedAt = Date.now();
  const mark = await chat.clickCardAction("Accept", { card: aupCard });
  const notice = await chat.waitForBotText(SYNC_NOTICE, { after: mark });
  e2e.recordTiming("Accept to sync notice", Date.now() - startedAt);

  // The directory records when, and which version.
  const account = await e2e.bot.service.directory.findByEmail(email);
  assert.equal(account?.aupVersion, AUP_VERSION, "the accepted version is recorded");
  const acceptedAt = new Date(account?.aupAcceptedAt ?? 0);
  assert.ok(acceptedAt.getTime() >= pressedAt.getTime() - 1_000 && acceptedAt.getTime() <= Date.now(), `accepted at ${acceptedAt.toISOString()}`);

  // The sync notice: up to 2 hours, until about the time that makes.
  const readyAt = ukTime(new Date(acceptedAt.getTime() + SYNC_MINUTES * 60_000));
  assert.match(readyAt, /^\d{1,2}:\d{2}(am|pm)$/);
  const noticeText = await notice.innerText();
  assert.ok(noticeText.includes(`allow up to 2 hours (until about ${readyAt})`), `the notice gives the ready time: ${noticeText}`);

  // The AUP card was replaced in place by one without buttons.
  const replaced = chat.botMessages().nth(mark - 1);
  await replaced.filter({ hasText: AUP_ACCEPTED }).waitFor();
  assert.ok((await replaced.innerText()).includes(`${AUP_VERSION}, accepted on`), "the replacement names the version");
  assert.equal(await replaced.getByRole("button", { name: "Accept", exact: true }).count(), 0, "no Accept button is left");

  // The checklist was updated in place: the same message, policy done, the next two tasks ready.
  const updatedAt = Date.now();
  const checklist = chat.botMessages().nth(index);
  await checklist.getByText(/^Done$/).nth(1).waitFor();
  e2e.recordTiming("checklist updated after the notice", Date.now() - updatedAt);
  assert.deepEqual(await taskStatuses(checklist), ["Done", "Done", "To do", "To do"]);
  assert.ok((await checklist.innerText()).includes(`allow up to 2 hours, until about ${readyAt}`), "the checklist gives the ready time too");
  assert.equal(await chat.cardCount(CHECKLIST_TITLE), 1, "still one checklist card: updated, not posted again");

  // The journey carries on with the next task.
  await chat.waitForBotText(PROFILE_TITLE, { after: mark });
  return notice;
}

describePlayground(
  "Playground: first login, proactive checklist then the Acceptable Use Policy",
  (e2e) => {
    it("delivers the checklist after a notify call, then accepts the AUP and updates the checklist in place", async () => {
      const { chat } = e2e;
      const journeyStart = Date.now();

      // 1. The personal chat is open: the bot knows how to reach this Entra user.
      const user = await personalChatUser(e2e, LENA_USER);

      // 2. The notify call: the checklist arrives without anything typed; the password is done, the policy is next.
      const { checklist, index } = await notifyAndWaitForChecklist(e2e, LENA, user);
      const text = await checklist.innerText();
      assert.ok(text.includes("Welcome to NHSmail, Lena."), "it greets Lena by name");
      assert.deepEqual(await taskStatuses(checklist), ["Done", "To do", "Waiting", "Waiting"]);
      const buttons = await buttonTitles(checklist);
      assert.ok(buttons.includes("Read and accept"), `"Read and accept" is offered: ${buttons.join(", ")}`);
      for (const notReady of ["Change it now", "Update my profile", "Set up MFA"]) assert.ok(!buttons.includes(notReady), `no "${notReady}" button`);
      await settle(checklist);
      await e2e.docsScreenshot("first-login-1-checklist");

      // 3. "Read and accept": the policy card, on the checklist's own press (no second checklist).
      let startedAt = Date.now();
      const mark = await chat.clickCardAction("Read and accept", { card: checklist });
      const aup = await chat.waitForBotText(AUP_TITLE, { after: mark });
      e2e.recordTiming("Read and accept to AUP card", Date.now() - startedAt);
      assert.match(await aup.innerText(), /Version: NHSmail AUP v3\.2 \(2024\)/);
      for (const title of ["Accept", "Not now"]) {
        assert.equal(await aup.getByRole("button", { name: title, exact: true }).count(), 1, `button "${title}"`);
      }
      assert.equal(await aup.getByRole("link", { name: "Read the full policy", exact: true }).count(), 1, "the policy link (an OpenUrl action)");
      assert.equal(await chat.cardCount(CHECKLIST_TITLE), 1, "pressing the checklist's button posts no second checklist");
      await settle(aup);
      await e2e.docsScreenshot("first-login-2-aup");

      // 4. Accept: the sync notice with the ready time, the checklist updated in place, the directory updated.
      startedAt = Date.now();
      const notice = await acceptAup(e2e, LENA, index);
      e2e.recordTiming("Accept to checklist updated and next task", Date.now() - startedAt);
      // The notice at the foot of the view, so the foot of the updated checklist shows above it.
      await settle(notice);
      await notice.evaluate((element) => element.scrollIntoView({ block: "end" }));
      await settle(notice);
      await e2e.docsScreenshot("first-login-3-done");
      e2e.recordTiming("whole journey", Date.now() - journeyStart);
    });
  },
  { botEnv: BOT_ENV, playgroundUser: LENA_USER },
);

describePlayground(
  "Playground: first login with a temporary password",
  (e2e) => {
    it("changes the temporary password in masked boxes, then goes straight on to the AUP", async () => {
      const { chat } = e2e;
      const hasher = new PasswordHasher();
      const user = await personalChatUser(e2e, SAM_USER);

      const { checklist, index } = await notifyAndWaitForChecklist(e2e, SAM, user);
      assert.deepEqual(await taskStatuses(checklist), ["To do", "Waiting", "Waiting", "Waiting"]);
      assert.deepEqual(await buttonTitles(checklist), ["Change it now", "Talk to the helpdesk"], "only the password task has a button");

      // The change card: three masked boxes.
      let startedAt = Date.now();
      await chat.waitForBotText(CHANGE_TITLE, { after: await chat.clickCardAction("Change it now", { card: checklist }) });
      e2e.recordTiming("Change it now to card", Date.now() - startedAt);
      const card = chat.lastCard(/Type the temporary password your local administrator gave you/);
      for (const label of ["Current password", "New password", "New password again"]) {
        assert.equal(await card.getByLabel(new RegExp(`^\\s*${label}(\\s*\\*)?\\s*$`)).getAttribute("type"), "password", `"${label}" is masked`);
      }
      await fillPasswords(chat, card);

      // Submitted: the card is replaced, the change confirmed, the checklist updated, and the AUP comes next.
      startedAt = Date.now();
      const mark = await chat.clickCardAction("Change password", { card });
      const changed = await chat.waitForBotText(PASSWORD_CHANGED, { after: mark });
      e2e.recordTiming("Change password to confirmation", Date.now() - startedAt);
      assert.match(await changed.innerText(), /It lasts until \w+day \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)\./);
      await chat.botMessages().nth(mark - 1).filter({ hasText: CHANGE_SUBMITTED }).waitFor();
      assert.equal(await chat.page.locator('input[type="password"]').count(), 0, "no masked box is left on the page");
      await chat.botMessages().nth(index).getByText(/^Done$/).waitFor();
      assert.deepEqual(await taskStatuses(chat.botMessages().nth(index)), ["Done", "To do", "Waiting", "Waiting"]);
      await chat.waitForBotText(AUP_TITLE, { after: mark });
      assert.equal(await chat.cardCount(CHECKLIST_TITLE), 1, "still one checklist card");

      // The new password is in force, the temporary one is not; neither is in the page or the logs.
      const account = await e2e.bot.service.directory.findByEmail(SAM);
      assert.equal(await hasher.verify(SAM_NEW_PASSWORD, account?.passwordHash ?? ""), true, "the new password is in force");
      assert.equal(await hasher.verify(SAM_TEMPORARY_PASSWORD, account?.passwordHash ?? ""), false, "the temporary password no longer works");
      assert.equal(account?.temporaryPassword, false, "the account no longer has a temporary password");
      const html = await chat.html();
      for (const secret of [SAM_NEW_PASSWORD, SAM_TEMPORARY_PASSWORD]) {
        assert.ok(!html.includes(secret), "no password in the page HTML");
        assert.deepEqual(e2e.bot.logLines().filter((line) => line.includes(secret)), [], "no password in any log line");
      }

      // Then the policy, straight away.
      await acceptAup(e2e, SAM, index);
    });
  },
  { botEnv: BOT_ENV, playgroundUser: SAM_USER },
);

/** Types the temporary password and the new one (twice) into the change card's masked boxes. */
async function fillPasswords(chat: PlaygroundChat, card: Locator): Promise<void> {
  await chat.fillCardInput("Current password", SAM_TEMPORARY_PASSWORD, { card });
  await chat.fillCardInput("New password", SAM_NEW_PASSWORD, { card });
  await chat.fillCardInput("New password again", SAM_NEW_PASSWORD, { card });
}
