/**
 * Headless Chromium (the Debian `chromium` package, driven by playwright-core) and a page object for the Agents
 * Playground's chat.
 *
 * @packageDocumentation
 */
import fs from "node:fs";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";

/** Where Debian's `chromium` package installs the browser. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Flags for a quiet, offline headless Chromium. Playwright adds `--headless` itself, and gives every launch a
 * fresh temporary profile (`--user-data-dir`), which it deletes on close.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium to use: `CHROMIUM_PATH` if set, else {@link DEFAULT_CHROMIUM_PATH}. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHROMIUM_PATH?.trim();
  return configured !== undefined && configured !== "" ? configured : DEFAULT_CHROMIUM_PATH;
}

/** Returns {@link chromiumPath} if that file exists and is executable, `undefined` otherwise. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidate = chromiumPath(env);
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return fs.statSync(candidate).isFile() ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** Launches headless Chromium with {@link CHROMIUM_ARGS}. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}

/** Whether a URL stays on this machine; every other request from the page is aborted. */
export function isLoopbackUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return ["localhost", "127.0.0.1", "[::1]"].includes(hostname);
}

/** Text to look for: a case-insensitive, whitespace-normalised substring, or a regular expression. */
export type TextMatch = string | RegExp;

/** Entries of the Playground's "Mock an Activity" menu (0.2.28). */
export type MockActivityItem =
  | "Install application"
  | "Uninstall application"
  | "Add user"
  | "Add application"
  | "Add channel"
  | "Remove user"
  | "Remove application"
  | "Remove channel"
  | "Remove team"
  | "Rename channel"
  | "Rename team"
  | "Custom activity";

/** Options for {@link PlaygroundChat.open}. */
export interface OpenChatOptions {
  /** Default timeout of every page action and wait, in milliseconds; 15 000 by default. */
  readonly timeoutMs?: number;
  /** Viewport; 1280×800 by default (the Playground's three columns fit). */
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** Options for waits on bot messages. */
export interface BotTextOptions {
  /**
   * Only messages after the first `after` bot messages count: pass the mark returned by
   * {@link PlaygroundChat.sendText} or {@link PlaygroundChat.clickCardAction} to wait for a *new* reply.
   */
  readonly after?: number;
  /** Overrides the page's default timeout, in milliseconds. */
  readonly timeoutMs?: number;
}

/** Options for actions on a card. */
export interface CardOptions {
  /** The card to act on; {@link PlaygroundChat.lastCard} by default. */
  readonly card?: Locator;
}

/** Selectors of the Playground UI (0.2.28), in one place for when the UI changes. */
export const PlaygroundSelectors = {
  /** The compose box (a Lexical editor). */
  messageBox: '[role="textbox"][data-lexical-editor="true"]',
  /** One message from the bot: text, or a card inside it. Not user messages, not the chat-list preview. */
  botMessage: ".fai-OutputCard",
  /** A rendered Adaptive Card. */
  adaptiveCard: ".ac-adaptiveCard",
  /** An item of a menu, such as "Mock an Activity". */
  menuItem: '[role="menuitem"]',
  /** A chat or channel in the left column; filter by `aria-label`. */
  chatListItem: '[role="treeitem"]',
  /**
   * A card of a channel's view: each post (with its replies inside it), and also the "Start a new post" box; see
   * {@link PlaygroundChat.channelPosts}.
   */
  channelCard: '.fui-Card[role="group"]',
  /** The menu button in the header of each channel post (not in the "Start a new post" box). */
  postMenuButton: '[aria-label="Show more information"]',
} as const;

/**
 * The Playground's chat, in its own browser context: fresh storage, and every request that does not stay on
 * this machine aborted (the UI asks a CDN for fonts; offline that would only slow it down).
 *
 * Bot messages are counted in the order they appear in the chat on screen; methods that make the bot answer
 * return that count beforehand (a "mark"), so a test can wait for a reply that is new rather than for one seen
 * earlier.
 */
export class PlaygroundChat {
  /** Requests that were aborted because they left the machine. */
  readonly blockedRequests: string[] = [];

  private constructor(
    /** The browser context of this chat. */
    readonly context: BrowserContext,
    /** The page showing the Playground. */
    readonly page: Page,
    /** The Playground's address. */
    readonly url: string,
  ) {}

  /**
   * Opens the Playground at `url` in a new context of `browser` and waits until the compose box shows. The
   * page load itself makes the Playground send `installationUpdate` and `conversationUpdate` to the bot.
   */
  static async open(browser: Browser, url: string, options: OpenChatOptions = {}): Promise<PlaygroundChat> {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    context.setDefaultTimeout(options.timeoutMs ?? 15_000);
    const chat = new PlaygroundChat(context, await context.newPage(), url);
    await context.route("**/*", async (route) => {
      const requested = route.request().url();
      if (isLoopbackUrl(requested)) {
        await route.continue();
      } else {
        chat.blockedRequests.push(requested);
        await route.abort("blockedbyclient");
      }
    });
    try {
      await chat.page.goto(url, { waitUntil: "domcontentloaded" });
      await chat.messageBox().waitFor();
    } catch (error: unknown) {
      await context.close();
      throw error;
    }
    return chat;
  }

  /** Reloads the page. The Playground then shows an empty chat and sends the install and welcome events again. */
  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: "domcontentloaded" });
    await this.messageBox().waitFor();
  }

  /**
   * The compose box of a personal or group chat. A channel shows a "Start a new post" box and a reply box per
   * post instead (and its posts are not {@link PlaygroundSelectors.botMessage}): see {@link channelPosts}.
   */
  messageBox(): Locator {
    return this.page.locator(PlaygroundSelectors.messageBox);
  }

  /** Bot messages, optionally only those matching `match`, and only after the first `after` bot messages. */
  botMessages(match?: TextMatch, options: Pick<BotTextOptions, "after"> = {}): Locator {
    const after = options.after ?? 0;
    const all =
      after > 0
        ? this.page.locator(`xpath=(//*[contains(concat(" ", normalize-space(@class), " "), " fai-OutputCard ")])[position() > ${after}]`)
        : this.page.locator(PlaygroundSelectors.botMessage);
    return match === undefined ? all : all.filter({ hasText: match });
  }

  /** How many bot messages (matching `match`, if given) the chat shows now. */
  botMessageCount(match?: TextMatch): Promise<number> {
    return this.botMessages(match).count();
  }

  /**
   * Waits until a bot message matching `match` shows (after the mark `options.after`, if given) and returns the
   * last such message. Text is matched as rendered: markdown `**bold**` shows without its asterisks.
   */
  async waitForBotText(match: TextMatch, options: BotTextOptions = {}): Promise<Locator> {
    const message = this.botMessages(match, options).last();
    await message.waitFor({ state: "visible", timeout: options.timeoutMs });
    return message;
  }

  /**
   * Types `text` into the compose box and sends it.
   *
   * @returns the number of bot messages before sending (a mark for {@link waitForBotText})
   */
  async sendText(text: string): Promise<number> {
    const mark = await this.botMessageCount();
    const box = this.messageBox();
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.getByRole("button", { name: "Send Message", exact: true }).click();
    return mark;
  }

  /** The last Adaptive Card shown (by the bot), optionally the last one containing `match`. */
  lastCard(match?: TextMatch): Locator {
    const cards = this.page.locator(PlaygroundSelectors.adaptiveCard);
    return (match === undefined ? cards : cards.filter({ hasText: match })).last();
  }

  /** How many Adaptive Cards (containing `match`, if given) the chat shows now. */
  cardCount(match?: TextMatch): Promise<number> {
    const cards = this.page.locator(PlaygroundSelectors.adaptiveCard);
    return (match === undefined ? cards : cards.filter({ hasText: match })).count();
  }

  /**
   * Presses the card button whose title is exactly `title`.
   *
   * @returns the number of bot messages before pressing (a mark for {@link waitForBotText})
   */
  async clickCardAction(title: string, options: CardOptions = {}): Promise<number> {
    const mark = await this.botMessageCount();
    await (options.card ?? this.lastCard()).getByRole("button", { name: title, exact: true }).click();
    return mark;
  }

  /**
   * Fills the card input labelled `label` (the Adaptive Card `label`; a required input's label ends in ` *`,
   * which a string label may leave out). Works for `style: "password"` inputs too.
   */
  async fillCardInput(label: TextMatch, value: string, options: CardOptions = {}): Promise<void> {
    const card = options.card ?? this.lastCard();
    const byLabel =
      typeof label === "string" ? card.getByLabel(new RegExp(`^\\s*${escapeRegExp(label)}(\\s*\\*)?\\s*$`)) : card.getByLabel(label);
    await byLabel.fill(value);
  }

  /**
   * Sends a mocked activity from the "Mock an Activity" menu: opens the menu, picks `item`, optionally edits
   * the activity JSON the Playground prefilled in the dialog's editor, and presses "Send activity".
   *
   * @param edit - receives the prefilled activity (ids, conversation, serviceUrl filled in) and returns the one
   * to send; for "Custom activity" especially
   * @returns the number of bot messages before sending (a mark for {@link waitForBotText})
   */
  async mockActivity(item: MockActivityItem, edit?: (prefilled: Record<string, unknown>) => Record<string, unknown>): Promise<number> {
    const mark = await this.botMessageCount();
    await this.page.getByRole("button", { name: "Mock an Activity", exact: true }).click();
    await this.page.locator(PlaygroundSelectors.menuItem).filter({ hasText: new RegExp(`^${escapeRegExp(item)}$`) }).click();
    const dialog = this.page.getByRole("dialog");
    const send = dialog.getByRole("button", { name: "Send activity", exact: true });
    await send.waitFor();
    if (edit !== undefined) {
      // A Monaco editor renders only the visible lines, so read its text through the clipboard; then replace it
      // in one insertion, on one line (typing would auto-close brackets, and new lines would be auto-indented).
      await this.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(this.url).origin });
      await dialog.locator(".monaco-editor").click();
      await this.page.keyboard.press("ControlOrMeta+A");
      await this.page.keyboard.press("ControlOrMeta+C");
      const prefilled = JSON.parse(await this.page.evaluate<string>("navigator.clipboard.readText()")) as Record<string, unknown>;
      await this.page.keyboard.press("ControlOrMeta+A");
      await this.page.keyboard.press("Delete");
      await this.page.keyboard.insertText(JSON.stringify(edit(prefilled)));
    }
    await send.click();
    await dialog.waitFor({ state: "hidden" });
    return mark;
  }

  /**
   * Opens a chat or channel from the left column by its accessible name: "Personal Chat", "Group Chat",
   * "My Team - General", "My Team - Announcements". Opening one sends the bot `installationUpdate` and
   * `conversationUpdate` for that conversation (the first time in this page). The page then shows only that
   * conversation's messages, so marks taken before switching mean nothing afterwards; the URL does not change.
   */
  async selectChat(name: string): Promise<void> {
    await this.page.getByRole("treeitem", { name, exact: true }).click();
  }

  /**
   * The posts of the channel on screen (after {@link selectChat} of a channel), optionally only those containing
   * `match`. The Playground lists them newest first; each includes its thread's replies (and their reply box). The
   * "Start a new post" box is not one.
   */
  channelPosts(match?: TextMatch): Locator {
    const posts = this.page.locator(PlaygroundSelectors.channelCard).filter({ has: this.page.locator(PlaygroundSelectors.postMenuButton) });
    return match === undefined ? posts : posts.filter({ hasText: match });
  }

  /** Waits until a channel post containing `match` shows, and returns the newest such post. */
  async waitForChannelPost(match: TextMatch, options: Pick<BotTextOptions, "timeoutMs"> = {}): Promise<Locator> {
    const post = this.channelPosts(match).first();
    await post.waitFor({ state: "visible", timeout: options.timeoutMs });
    return post;
  }

  /**
   * Hides the Playground's log panel (the right column), which echoes every activity, what the user typed included;
   * for screenshots that should show only what the chat or channel shows. It stays hidden while the page is open.
   */
  async hideLogPanel(): Promise<void> {
    const hide = this.page.getByRole("button", { name: "Hide log panel", exact: true });
    if (await hide.isVisible()) await hide.click();
    await hide.waitFor({ state: "hidden" });
  }

  /** Takes a PNG screenshot of the viewport; writes it to `file` when given. */
  screenshot(file?: string): Promise<Buffer> {
    return this.page.screenshot({ path: file, animations: "disabled", caret: "hide" });
  }

  /** The page's current HTML. */
  html(): Promise<string> {
    return this.page.content();
  }

  /** Closes this chat's browser context. Safe to call more than once. */
  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Waits until `target` has stopped moving (the chat scrolls to a new message smoothly), so that a screenshot
 * shows it where it comes to rest.
 */
export async function settle(target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  let previous = JSON.stringify(await target.boundingBox());
  for (let i = 0; i < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const current = JSON.stringify(await target.boundingBox());
    if (current === previous) return;
    previous = current;
  }
}
