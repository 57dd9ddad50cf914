/**
 * End-to-end harness: the real bot, the Microsoft 365 Agents Playground and headless Chromium, wired for mocha.
 *
 * Start with {@link describePlayground}; each test gets a fresh bot, Playground and page as `e2e.bot`,
 * `e2e.playground` and `e2e.chat` ({@link PlaygroundChat}).
 *
 * @packageDocumentation
 */
export { describePlayground, isCi, safeName, ARTIFACTS_ROOT, SKIP_LINE } from "./suite";
export type { PlaygroundSuite, PlaygroundSuiteOptions } from "./suite";
export { startBot } from "./bot";
export type { BotUnderTest, E2eBot, StartBotOptions } from "./bot";
export { startTestPlayground, findFreePort, pollUntil, playgroundConfigFor, PlaygroundError, PLAYGROUND_DEFAULT_USER, PLAYGROUND_DEFAULT_TEAM } from "./playground";
export type { TestPlayground, TestPlaygroundOptions, RunningPlayground, PlaygroundUser, PlaygroundTeam } from "./playground";
export {
  PlaygroundChat,
  PlaygroundSelectors,
  CHROMIUM_ARGS,
  DEFAULT_CHROMIUM_PATH,
  chromiumPath,
  findChromium,
  isLoopbackUrl,
  launchBrowser,
  settle,
} from "./browser";
export type { BotTextOptions, CardOptions, MockActivityItem, OpenChatOptions, TextMatch } from "./browser";
