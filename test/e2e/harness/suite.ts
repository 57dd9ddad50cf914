/**
 * Mocha glue for end-to-end suites in the Agents Playground: one browser per suite; a fresh bot, a fresh
 * Playground (so a new conversation) and a fresh page for every test; artifacts for failing tests; teardown
 * that always runs.
 *
 * @packageDocumentation
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { startBot } from "./bot";
import type { BotUnderTest, E2eBot, StartBotOptions } from "./bot";
import { PlaygroundChat, chromiumPath, findChromium, launchBrowser } from "./browser";
import { startTestPlayground } from "./playground";
import type { PlaygroundTeam, PlaygroundUser, TestPlayground } from "./playground";

/** Printed, once per run, when Chromium is missing outside CI. */
export const SKIP_LINE = "  skipped: Playground end-to-end suite (Chromium not found; install the Debian chromium package)";

/**
 * Where failing tests leave `screenshot.png`, `page.html`, `bot.log`, `playground.log`, `playground-output.txt`
 * and `blocked-requests.txt`: `test-results/e2e/<test name>/`.
 */
export const ARTIFACTS_ROOT = path.resolve(__dirname, "..", "..", "..", "test-results", "e2e");

/** Options for {@link describePlayground}. */
export interface PlaygroundSuiteOptions<Bot extends BotUnderTest = E2eBot> {
  /** Starts the bot for each test; the real service via {@link startBot} (with `botEnv`) by default. */
  readonly startBot?: () => Promise<Bot>;
  /** Settings for the real service (ignored with `startBot`). */
  readonly botEnv?: StartBotOptions["env"];
  /**
   * The Playground's signed-in user, over its built-in one (whose `aadObjectId` is not a GUID): the Playground is
   * then started with a config file naming it (`currentUser` of {@link startTestPlayground}).
   */
  readonly playgroundUser?: Partial<PlaygroundUser>;
  /**
   * The Playground's team, over its built-in one (`team` of {@link startTestPlayground}); its `id` is the
   * conversation id of the team's General channel. Starts the Playground with a config file, as `playgroundUser`.
   */
  readonly playgroundTeam?: Partial<PlaygroundTeam>;
  /** Mocha timeout of every test and hook, in milliseconds; 60 000 by default. */
  readonly timeoutMs?: number;
  /** Default timeout of page actions and waits, in milliseconds; 15 000 by default. */
  readonly pageTimeoutMs?: number;
}

/** What a test in a {@link describePlayground} suite works with. Each getter throws outside a test. */
export interface PlaygroundSuite<Bot extends BotUnderTest = E2eBot> {
  /** This test's bot (fresh state). */
  readonly bot: Bot;
  /** This test's Playground (a new conversation id). */
  readonly playground: TestPlayground;
  /** This test's page, already showing the Playground's personal chat. */
  readonly chat: PlaygroundChat;
  /** The suite's browser, to open a second chat for example. */
  readonly browser: Browser;
  /**
   * Saves the current view as `<name>.png` into the folder named by `E2E_SCREENSHOT_DIR` (e.g.
   * `docs/screenshots`); does nothing when it is not set.
   */
  docsScreenshot(name: string): Promise<void>;
  /** Records a timing; printed after the test when `E2E_TIMINGS` is set. */
  recordTiming(label: string, ms: number): void;
}

let skipLinePrinted = false;

/** Whether the `CI` variable is set (any value but empty, `0` or `false`). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/**
 * Declares a mocha suite that drives the bot through the Agents Playground in headless Chromium.
 *
 * Without Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`) the suite is not declared and {@link SKIP_LINE} is
 * printed once; when `CI` is set it is declared with one failing test instead, so a CI run cannot pass
 * without it.
 *
 * @example
 * ```ts
 * describePlayground("Welcome", (e2e) => {
 *   it("shows the welcome card", async () => {
 *     await e2e.chat.waitForBotText("NHSmail helpdesk");
 *   });
 * });
 * ```
 */
export function describePlayground(
  title: string,
  body: (suite: PlaygroundSuite) => void,
  options?: PlaygroundSuiteOptions,
): void;
/** With a bot of your own (a stub, say): `options.startBot` is then required. */
export function describePlayground<Bot extends BotUnderTest>(
  title: string,
  body: (suite: PlaygroundSuite<Bot>) => void,
  options: PlaygroundSuiteOptions<Bot> & { readonly startBot: () => Promise<Bot> },
): void;
export function describePlayground<Bot extends BotUnderTest>(
  title: string,
  body: (suite: PlaygroundSuite<Bot>) => void,
  options: PlaygroundSuiteOptions<Bot> = {},
): void {
  const executable = findChromium();
  if (executable === undefined) {
    if (isCi()) {
      describe(title, () => {
        it("needs Chromium for the Playground end-to-end suite", () => {
          throw new Error(
            `Chromium not found at ${chromiumPath()} and CI is set: install the Debian chromium package or set CHROMIUM_PATH.`,
          );
        });
      });
    } else if (!skipLinePrinted) {
      skipLinePrinted = true;
      console.log(SKIP_LINE);
    }
    return;
  }

  describe(title, function () {
    this.timeout(options.timeoutMs ?? 60_000);
    // Without `startBot` the first overload applies, so Bot is E2eBot.
    const start = options.startBot ?? (() => startBot({ env: options.botEnv }) as Promise<BotUnderTest> as Promise<Bot>);
    const state = new SuiteState(executable, options, start);

    before(async () => state.launch());
    beforeEach(async function () {
      try {
        await state.startTest();
      } catch (error: unknown) {
        await state.saveArtifacts(`${this.currentTest?.fullTitle() ?? title} (setup)`);
        throw error;
      }
    });
    afterEach(async function () {
      const test = this.currentTest;
      if (test?.state === "failed") await state.saveArtifacts(test.fullTitle());
      await state.endTest();
    });
    after(async () => state.shutdown());

    body(state.view());
  });
}

/** Resources of one suite, and of its test in progress. */
class SuiteState<Bot extends BotUnderTest> {
  browser?: Browser;
  bot?: Bot;
  playground?: TestPlayground;
  chat?: PlaygroundChat;
  timings: [string, number][] = [];
  private readonly killOnExit = (): void => this.playground?.killNow();

  constructor(
    private readonly executable: string,
    private readonly options: PlaygroundSuiteOptions<Bot>,
    private readonly startBot: () => Promise<Bot>,
  ) {}

  async launch(): Promise<void> {
    process.on("exit", this.killOnExit);
    const startedAt = Date.now();
    this.browser = await launchBrowser(this.executable);
    this.timings.push(["browser launch", Date.now() - startedAt]);
  }

  async startTest(): Promise<void> {
    const browser = need(this.browser, "browser");
    this.bot = await this.startBot();
    this.playground = await startTestPlayground({ appEndpoint: this.bot.messagingEndpoint, currentUser: this.options.playgroundUser, team: this.options.playgroundTeam });
    this.timings.push(["playground ready", this.playground.startupMs]);
    const openedAt = Date.now();
    this.chat = await PlaygroundChat.open(browser, this.playground.url, { timeoutMs: this.options.pageTimeoutMs });
    this.timings.push(["page ready", Date.now() - openedAt]);
  }

  async saveArtifacts(testName: string): Promise<void> {
    const dir = path.join(ARTIFACTS_ROOT, safeName(testName));
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    const chat = this.chat;
    const saves: Promise<unknown>[] = [];
    if (chat !== undefined && !chat.page.isClosed()) {
      saves.push(chat.screenshot(path.join(dir, "screenshot.png")));
      saves.push(chat.html().then((html) => fs.writeFile(path.join(dir, "page.html"), html)));
      saves.push(fs.writeFile(path.join(dir, "blocked-requests.txt"), chat.blockedRequests.join("\n")));
    }
    if (this.bot !== undefined) saves.push(fs.writeFile(path.join(dir, "bot.log"), this.bot.logLines().join("\n")));
    if (this.playground !== undefined) {
      saves.push(fs.writeFile(path.join(dir, "playground-output.txt"), this.playground.output.join("\n")));
      saves.push(fs.copyFile(this.playground.logFile, path.join(dir, "playground.log")));
    }
    const results = await Promise.allSettled(saves);
    const failed = results.filter((result) => result.status === "rejected").length;
    console.log(`      artifacts: ${path.relative(process.cwd(), dir)}${failed > 0 ? ` (${failed} could not be saved)` : ""}`);
  }

  /** Closes the page, the Playground and the bot; each even if another fails. */
  async endTest(): Promise<void> {
    const chat = this.chat;
    const playground = this.playground;
    const bot = this.bot;
    this.chat = undefined;
    this.bot = undefined;
    const results = await Promise.allSettled([chat?.close(), playground?.stop(), bot?.close()]);
    this.playground = undefined;
    if (process.env.E2E_TIMINGS !== undefined && this.timings.length > 0) {
      console.log(`      timings: ${this.timings.map(([label, ms]) => `${label} ${ms} ms`).join(", ")}`);
    }
    this.timings = [];
    const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failure !== undefined) throw failure.reason;
  }

  async shutdown(): Promise<void> {
    try {
      await this.endTest();
    } finally {
      await this.browser?.close().catch(() => undefined);
      this.browser = undefined;
      process.off("exit", this.killOnExit);
    }
  }

  view(): PlaygroundSuite<Bot> {
    return new SuiteView(this);
  }
}

/** The test-facing side of a {@link SuiteState}: live getters over the resources of the test in progress. */
class SuiteView<Bot extends BotUnderTest> implements PlaygroundSuite<Bot> {
  constructor(private readonly state: SuiteState<Bot>) {}

  get bot(): Bot {
    return need(this.state.bot, "bot");
  }

  get playground(): TestPlayground {
    return need(this.state.playground, "playground");
  }

  get chat(): PlaygroundChat {
    return need(this.state.chat, "chat");
  }

  get browser(): Browser {
    return need(this.state.browser, "browser");
  }

  async docsScreenshot(name: string): Promise<void> {
    const dir = process.env.E2E_SCREENSHOT_DIR?.trim();
    if (dir === undefined || dir === "") return;
    await fs.mkdir(dir, { recursive: true });
    await this.chat.screenshot(path.join(dir, `${safeName(name)}.png`));
  }

  recordTiming(label: string, ms: number): void {
    this.state.timings.push([label, ms]);
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The end-to-end ${what} is only available inside a test of describePlayground.`);
  return value;
}

/** A file-system-safe folder name for a test title. */
export function safeName(title: string): string {
  return (
    title
      .trim()
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 120) || "unnamed"
  );
}
