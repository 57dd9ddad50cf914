import assert from "node:assert/strict";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { Verb } from "../../cards/verbs";
import { AgentsTeam } from "../handoff/support";
import type { Agent } from "../handoff/support";
import { FakeConnector } from "../proactive/fake-connector";
import { latestCode } from "../support/outbox";
import { findChromium, isCi, launchBrowser, startBot } from "./harness";
import type { E2eBot } from "./harness";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";
const NEW_PASSWORD = "Violet-Compass-Thunder-8";
const JANE_SECRET = "Heron";
const SKIP = "  skipped: web chat end-to-end suite (Chromium not found; install the Debian chromium package)";

/** The web chat page in a browser: type, press, fill, and wait for what the bot says. */
class WebChatPage {
  constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string, width = 1280): Promise<WebChatPage> {
    // bypassCSP only so that axe-core can be injected; the page itself is served with its strict policy.
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${url}/chat`);
    const chat = new WebChatPage(page);
    await chat.waitFor("NHSmail helpdesk");
    return chat;
  }

  /** The chat's text box. */
  private box() {
    return this.page.locator("#chat [data-id='webchat-sendbox-input'], #chat .webchat__send-box-text-box__input").first();
  }

  async say(text: string): Promise<void> {
    await this.box().fill(text);
    await this.box().press("Enter");
  }

  /** Waits until the chat shows `text` (the last match). */
  async waitFor(text: string | RegExp): Promise<void> {
    await this.page.locator("#chat").getByText(text).last().waitFor({ state: "visible" });
  }

  /** Presses a button of the newest card that has it. */
  async press(title: string): Promise<void> {
    await this.page.locator("#chat .ac-adaptiveCard").getByRole("button", { name: title, exact: true }).last().click();
  }

  /** Fills a labelled input of the newest card that has it. */
  async fill(label: string | RegExp, value: string): Promise<void> {
    await this.page.locator("#chat .ac-adaptiveCard").getByLabel(label).last().fill(value);
  }

  async axeSeriousViolations(): Promise<string[]> {
    await this.page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await this.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
    });
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}, ${v.count})`);
  }

  close(): Promise<void> {
    return this.page.context().close();
  }

  /** Saves the page as `<name>.png` into `E2E_SCREENSHOT_DIR` (the README's pictures), when it is set. */
  async picture(name: string): Promise<void> {
    const dir = process.env.E2E_SCREENSHOT_DIR;
    if (dir) await this.page.screenshot({ path: path.join(dir, `${name}.png`) });
  }
}

/** Walks a reset by text message with one wrong code; leaves the chat on the success card. */
async function resetByText(chat: WebChatPage, bot: E2eBot): Promise<void> {
  await chat.say("reset my password");
  await chat.waitFor(/email address\?/);
  await chat.say(JANE);
  await chat.waitFor(/Verify it.s you/);
  await chat.press("Send a text to my mobile phone");
  await chat.waitFor(/type your complete mobile number/);
  await chat.say("07700 900118");
  await chat.waitFor(/on its way to \*{5}18/);
  await bot.service.drainMessages();
  const code = latestCode(bot.outboxFile, JANE_MOBILE);
  await chat.fill(/Verification code/, code === "000000" ? "111111" : "000000");
  await chat.press("Next");
  await chat.waitFor(/That code isn.t right/);
  await chat.fill(/Verification code/, code);
  await chat.press("Next");
  await chat.waitFor("Choose a new password");
  await chat.fill(/^New password/, NEW_PASSWORD);
  await chat.fill(/^Type it again/, NEW_PASSWORD);
  await chat.press("Finish");
  await chat.waitFor("Your password has been changed");
}

const executable = findChromium();
if (!executable && !isCi()) {
  console.log(SKIP);
} else {
  describe("Web chat page on the local Direct Line (headless Chromium)", function () {
    this.timeout(90_000);
    let browser: Browser;
    let bot: E2eBot;
    let chat: WebChatPage | undefined;
    before(async () => {
      if (!executable) throw new Error("Chromium not found and CI is set: install the Debian chromium package or set CHROMIUM_PATH.");
      browser = await launchBrowser(executable);
    });
    after(async () => browser?.close());
    afterEach(async function () {
      // A failing test shows the end of the bot's log (it never holds secrets) to say what the page could not.
      if (this.currentTest?.state === "failed") console.log(bot?.logLines().slice(-15).join("\n"));
      await chat?.close();
      chat = undefined;
      await bot?.close();
    });

    it("resets a password by text message, with one wrong code on the way", async () => {
      bot = await startBot();
      chat = await WebChatPage.open(browser, bot.url);
      await resetByText(chat, bot);
      await chat.picture("web-chat-desktop");
      const account = await bot.service.directory.findByEmail(JANE);
      assert.equal(account?.temporaryPassword, false);
      assert.ok(!(await chat.page.content()).includes(NEW_PASSWORD), "the password is not on the page");
      assert.equal(await chat.page.locator('#chat input[type="password"]').count(), 0, "every card with a masked box was replaced once used");
    });

    it("does the same at 375 px wide, as on a phone", async () => {
      bot = await startBot();
      chat = await WebChatPage.open(browser, bot.url, 375);
      await resetByText(chat, bot);
      await chat.picture("web-chat-phone");
      const overflow = await chat.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    });

    it("has no serious or critical accessibility problems, with the welcome card and with the new-password card open", async () => {
      bot = await startBot();
      chat = await WebChatPage.open(browser, bot.url);
      await chat.waitFor("Reset my password");
      assert.deepEqual(await chat.axeSeriousViolations(), [], "with the welcome card");
      await chat.say("reset my password");
      await chat.waitFor(/email address\?/);
      await chat.say(JANE);
      await chat.press("Send a text to my mobile phone");
      await chat.waitFor(/type your complete mobile number/);
      await chat.say("07700 900118");
      await chat.waitFor(/on its way/);
      await bot.service.drainMessages();
      await chat.fill(/Verification code/, latestCode(bot.outboxFile, JANE_MOBILE));
      await chat.press("Next");
      await chat.waitFor("Choose a new password");
      assert.deepEqual(await chat.axeSeriousViolations(), [], "with the new-password card");
    });

    it("reaches a helpdesk agent in Teams: the request, the agent's reply pushed to the page, and end", async () => {
      const connector = new FakeConnector();
      const team = new AgentsTeam(await connector.start(), connector);
      const alex: Agent = team.agent("Alex Jones");
      try {
        bot = await startBot({ env: { AGENTS_CHANNEL_ID: team.channelId } });
        const post = async (activity: object): Promise<void> => {
          const response = await fetch(bot.messagingEndpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
          assert.equal(response.status, 200);
        };
        await post(team.install());
        chat = await WebChatPage.open(browser, bot.url);
        // The address typed in a reset tells the desk which account to check against.
        await chat.say("reset my password");
        await chat.waitFor(/email address\?/);
        await chat.say(JANE);
        await chat.waitFor(/Verify it.s you/);
        await chat.say("talk to a person");
        await chat.waitFor(/in the queue/);
        const request = team.requests().at(-1);
        assert.ok(request, "the request reached the agents' channel");
        assert.match(JSON.stringify(request.activity), /web chat/i, "marked as from the web chat");
        await post(alex.press(request, { verb: Verb.TakeHandoff, handoffId: JSON.stringify(request.activity).match(/"handoffId":"([^"]+)"/)?.[1] }));
        await chat.waitFor(/from the helpdesk has joined the chat/);
        await post(alex.reply(request, "Hello, I'm Alex from the helpdesk."));
        await chat.waitFor(/Hello, I.m Alex from the helpdesk/);
        // The identity check, as in Teams: the account secret in a masked box, cleared once answered.
        await post(alex.press(request, { verb: Verb.ChallengeSecret, handoffId: JSON.stringify(request.activity).match(/"handoffId":"([^"]+)"/)?.[1] }));
        await chat.waitFor(/Check it.s you/);
        await chat.page.locator("#chat .ac-adaptiveCard input[type='password']").last().fill(JANE_SECRET);
        await chat.press("Send");
        await chat.waitFor(/checked your answer/);
        assert.match(team.threadTexts(request).join("\n"), /Identity check \(account secret\): verified/);
        assert.equal(await chat.page.locator('#chat input[type="password"]').count(), 0, "the answered card was cleared");
        await chat.say("end");
        await chat.waitFor(/ended your chat with the helpdesk/);
      } finally {
        await connector.stop();
      }
    });
  });
}
