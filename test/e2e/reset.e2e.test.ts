import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { PasswordHasher } from "../../src/policy";
import { latestCode, readOutbox } from "../support/outbox";
import { describePlayground, settle } from "./harness";
import type { PlaygroundChat } from "./harness";

const WELCOME_TITLE = "NHSmail helpdesk";
const ASK_EMAIL = "What's your @nhs.net email address?";
const EMAIL = "jane.smith@nhs.net";
const METHOD_TITLE = "Verify it's you";
const METHODS = ["Send a text to my mobile phone", "Call my mobile phone", "Enter a code from my authenticator app", "Cancel"];
const ASK_MOBILE = "To protect your account, type your complete mobile number (*****18). I'll then text it with a verification code.";
const MOBILE_TYPED = "07700 900118";
const MOBILE_E164 = "+447700900118";
const CODE_SENT = "If that's the number registered to your account, a text with a 6-digit code is on its way to *****18.";
const WRONG_CODE = "That code isn't right. Check the message and type it again, or type try again for a new code.";
const NEW_PASSWORD_TITLE = "Choose a new password";
const SUBMITTED_TITLE = "New password set";
const SUBMITTED_NOTE = "For your security, the boxes have been cleared.";
const DONE_TITLE = "Your password has been changed";
const NEW_PASSWORD = "Violet-Compass-Thunder-8";


/** From the open chat to the "Verify it's you" card, typing the request and the address; returns that card. */
async function reachMethodCard(chat: PlaygroundChat): Promise<Locator> {
  await chat.waitForBotText(WELCOME_TITLE);
  await chat.waitForBotText(ASK_EMAIL, { after: await chat.sendText("reset my password") });
  await chat.waitForBotText(METHOD_TITLE, { after: await chat.sendText(EMAIL) });
  return chat.lastCard(METHOD_TITLE);
}

/** Presses "Send a text to my mobile phone", types the number and waits for the "on its way" message. */
async function requestTextCode(chat: PlaygroundChat, card: Locator): Promise<{ question: Locator; sent: Locator }> {
  const question = await chat.waitForBotText(ASK_MOBILE, { after: await chat.clickCardAction(METHODS[0], { card }) });
  const sent = await chat.waitForBotText(CODE_SENT, { after: await chat.sendText(MOBILE_TYPED) });
  return { question, sent };
}

/** Types `code` and waits for the new-password card; returns it. */
/** Types the code into the code card's masked box and presses Next, as the card asks. */
async function enterCode(chat: PlaygroundChat, code: string): Promise<Locator> {
  const card = chat.lastCard("Verification code");
  await chat.fillCardInput("Verification code", code, { card });
  await chat.waitForBotText(NEW_PASSWORD_TITLE, { after: await chat.clickCardAction("Next", { card }) });
  return chat.lastCard(NEW_PASSWORD_TITLE);
}

/** A 6-digit code that is not `code`. */
function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

describePlayground("Playground: reset a password by text message", (e2e) => {
  it("resets by text: hint, code message, masked password card replaced after Finish, success card", async () => {
    const { chat } = e2e;
    const hasher = new PasswordHasher();
    const journeyStart = Date.now();

    // 1. The request, the address, then the choice of method.
    const methodCard = await reachMethodCard(chat);
    for (const title of METHODS) {
      assert.equal(await methodCard.getByRole("button", { name: title, exact: true }).count(), 1, `button "${title}"`);
    }
    await settle(methodCard);
    await e2e.docsScreenshot("reset-1-method");

    // 2. A text: the hint shows the last two digits; the reply reads the same whatever number is typed.
    let startedAt = Date.now();
    const { question, sent } = await requestTextCode(chat, methodCard);
    e2e.recordTiming("method to code sent", Date.now() - startedAt);
    assert.match(await question.innerText(), /\(\*\*\*\*\*18\)/, "the hint shows the last two digits only");
    assert.match(await sent.innerText(), /Type the code here, or type try again if it doesn't arrive\./);
    await e2e.bot.service.drainMessages();
    const texts = readOutbox(e2e.bot.outboxFile).filter((line) => line.channel === "sms" && line.to === MOBILE_E164);
    assert.equal(texts.length, 1, "one text was sent");
    assert.match(texts[0].text, /^Your NHSmail verification code is \d{6}\b/);
    const code = latestCode(e2e.bot.outboxFile, MOBILE_E164);
    await settle(sent);
    await e2e.docsScreenshot("reset-2-code");

    // 3. The code, then the card with two masked boxes.
    startedAt = Date.now();
    const passwordCard = await enterCode(chat, code);
    e2e.recordTiming("code to password card", Date.now() - startedAt);
    const boxes = passwordCard.locator("input");
    assert.equal(await boxes.count(), 2, "two inputs");
    for (const label of [/^\s*New password(\s*\*)?\s*$/, /^\s*Type it again(\s*\*)?\s*$/]) {
      assert.equal(await passwordCard.getByLabel(label).getAttribute("type"), "password", `${String(label)} is masked`);
    }
    assert.equal(await passwordCard.getByRole("button", { name: "Finish", exact: true }).count(), 1);
    await chat.fillCardInput("New password", NEW_PASSWORD, { card: passwordCard });
    await chat.fillCardInput("Type it again", NEW_PASSWORD, { card: passwordCard });
    for (let i = 0; i < 2; i += 1) assert.equal(await boxes.nth(i).inputValue(), NEW_PASSWORD);
    // The page's HTML carries the typed value while the boxes are on screen: the check after Finish can see it.
    assert.ok((await chat.html()).includes(NEW_PASSWORD), "the filled boxes are in the page HTML");
    await settle(passwordCard);
    await e2e.docsScreenshot("reset-3-new-password");

    // 4. Finish: the success card, and the submitted card replaced in place (updateActivity) by one without boxes.
    startedAt = Date.now();
    const mark = await chat.clickCardAction("Finish", { card: passwordCard });
    const done = await chat.waitForBotText(DONE_TITLE, { after: mark });
    e2e.recordTiming("finish to success card", Date.now() - startedAt);
    const doneText = await done.innerText();
    assert.match(doneText, /It's valid until \w+day \d{1,2} \w+ \d{4}\./);
    assert.match(doneText, /Change it on every device/);
    assert.equal(await done.getByRole("link", { name: "Open portal.nhs.net", exact: true }).count(), 1, "the portal link (an OpenUrl action)");

    const replaced = chat.botMessages().nth(mark - 1);
    await replaced.filter({ hasText: SUBMITTED_TITLE }).waitFor();
    assert.ok((await replaced.innerText()).includes(SUBMITTED_NOTE), "the replacement says the boxes were cleared");
    assert.equal(await replaced.locator("input").count(), 0, "the replaced card shows no inputs");
    assert.equal(await chat.cardCount(NEW_PASSWORD_TITLE), 0, "the password card is gone");
    assert.equal(await chat.page.locator('input[type="password"]').count(), 0, "no masked box is left on the page");
    assert.equal(await chat.botMessageCount(), mark + 1, "the update replaced the card: only the success card was added");
    await settle(done);
    await e2e.docsScreenshot("reset-4-done");

    // 5. The password is nowhere: not in the page, not in the bot's logs; and it is in force.
    assert.ok(!(await chat.html()).includes(NEW_PASSWORD), "the password is not in the page HTML");
    const logLines = e2e.bot.logLines();
    assert.ok(logLines.some((line) => line.includes("reset.completed")), "the bot logged the completed reset");
    assert.deepEqual(logLines.filter((line) => line.includes(NEW_PASSWORD)), [], "the password is in no log line");
    const account = await e2e.bot.service.directory.findByEmail(EMAIL);
    assert.equal(await hasher.verify(NEW_PASSWORD, account?.passwordHash ?? ""), true, "the new password is in force");
    e2e.recordTiming("whole journey", Date.now() - journeyStart);
  });

  it("says a wrong code isn't right, then takes the right one", async () => {
    const { chat } = e2e;
    await requestTextCode(chat, await reachMethodCard(chat));
    await e2e.bot.service.drainMessages();
    const code = latestCode(e2e.bot.outboxFile, MOBILE_E164);

    const card = chat.lastCard("Verification code");
    await chat.fillCardInput("Verification code", otherCode(code), { card });
    const mark = await chat.clickCardAction("Next", { card });
    // The pressed card itself changes (updateActivity): it says the code isn't right, how many tries are left, and
    // where the code went, with its box empty; nothing new is posted, so the chat keeps one code card.
    const refusal = await chat.waitForBotText("That code isn't right");
    const refused = await refusal.innerText();
    assert.ok(refused.includes(WRONG_CODE), "the code card says the code isn't right");
    assert.match(refused, /You can try 4 more times before this account is blocked from resetting for 24 hours/);
    assert.doesNotMatch(refused, /on its way/, "it does not claim a new code was sent");
    assert.equal(await chat.botMessageCount(), mark, "the card was updated in place, nothing posted");
    assert.equal(await chat.page.locator('input[type="password"]').count(), 1, "one code card, its box empty");
    await settle(refusal);
    await e2e.docsScreenshot("reset-wrong-code");
    assert.equal(await chat.cardCount(NEW_PASSWORD_TITLE), 0, "no password card after a wrong code");
    await e2e.bot.service.drainMessages();
    assert.equal(readOutbox(e2e.bot.outboxFile).filter((line) => line.channel === "sms").length, 1, "no new code was sent");

    const passwordCard = await enterCode(chat, code);
    await chat.fillCardInput("New password", NEW_PASSWORD, { card: passwordCard });
    await chat.fillCardInput("Type it again", NEW_PASSWORD, { card: passwordCard });
    await chat.waitForBotText(DONE_TITLE, { after: await chat.clickCardAction("Finish", { card: passwordCard }) });
    assert.equal(await chat.page.locator('input[type="password"]').count(), 0, "every submitted card was cleared: no masked box is left");
  });
});
