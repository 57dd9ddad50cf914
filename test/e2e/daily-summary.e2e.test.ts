import assert from "node:assert/strict";
import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Locator } from "playwright-core";
import { AgentsChannel } from "../../src/handoff/agents-channel";
import { JobScheduler } from "../../src/jobs";
import { DailyTally } from "../../src/telemetry/daily-tally";
import { registerDailySummary } from "../../src/telemetry/summary-job";
import { Telemetry } from "../../src/telemetry/telemetry";
import type { StateStore } from "../../src/state";
import { describePlayground, settle } from "./harness";
import type { PlaygroundTeam } from "./harness";

/** The agents' channel: the Playground's team's General channel, given a real channel id (see handoff.e2e.test.ts). */
const AGENTS_CHANNEL = "19:5d8b0e2c4f7a4e1b9c3d6a8f2e1b7c40@thread.tacv2";
const AGENTS_TEAM: Partial<PlaygroundTeam> = { id: AGENTS_CHANNEL, name: "Helpdesk agents" };
const GENERAL = "Helpdesk agents - General";
const WELCOME_TITLE = "NHSmail helpdesk";
const CHANNEL_READY = "When someone in a chat with me asks for a person, I'll post their request here as a card.";
const TITLE = "Helpdesk bot: the last 24 hours";

const HOUR = 3600_000;
/** The summary's run: 8am UK time on Tuesday 23 November 2027 (GMT). */
const RUN_AT = Date.parse("2027-11-23T08:00:00Z");

/** The non-empty lines of a rendered element's text. */
async function linesOf(target: Locator): Promise<string[]> {
  return (await target.innerText())
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The value shown after a fact's title on a card (the first fact with that title). */
function fact(lines: readonly string[], title: string): string {
  const at = lines.indexOf(title);
  return at < 0 ? `"${title}" missing` : (lines[at + 1] ?? "no value");
}

/**
 * A working day in the bot's store, counted through Telemetry into a tally: resets through the day, a few help
 * requests, checks that failed, and resets that stopped early.
 */
async function seedDay(store: StateStore): Promise<void> {
  let now = RUN_AT - 24 * HOUR;
  const tally = new DailyTally(store, { clock: () => new Date(now), flushEveryMs: 0 });
  const telemetry = new Telemetry();
  telemetry.addSink(tally);
  const resets = [1, 3, 5, 6, 4, 3, 2, 4, 5, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 4];
  const requests = [0, 1, 2, 1, 0, 1, 0, 2, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
  resets.forEach((count, hour) => {
    now = RUN_AT - 24 * HOUR + hour * HOUR + 20 * 60_000;
    telemetry.count("helpdesk_resets_completed", {}, count);
    if (requests[hour] > 0) telemetry.count("helpdesk_handoffs_requested", { trigger: "asked" }, requests[hour]);
  });
  telemetry.count("helpdesk_resets_ended", { reason: "blocked", step: "code" }, 2);
  telemetry.count("helpdesk_resets_ended", { reason: "cancelled", step: "code" }, 3);
  telemetry.count("helpdesk_resets_ended", { reason: "timed_out", step: "new_password" }, 2);
  telemetry.count("helpdesk_verifications", { method: "sms", outcome: "failed" }, 4);
  telemetry.count("helpdesk_verifications", { method: "app", outcome: "failed" }, 1);
  telemetry.count("helpdesk_handoffs_taken", {}, 12);
  telemetry.count("helpdesk_handoffs_timed_out", {}, 1);
  // Waits of 1 to 12 minutes: median (6th of 12) 6 minutes, 90th percentile (11th of 12) 11 minutes.
  for (let minutes = 1; minutes <= 12; minutes++) telemetry.observe("helpdesk_handoff_wait", minutes * 60);
  telemetry.count("helpdesk_first_logins_completed", {}, 3);
  await tally.close();
}

describePlayground(
  "Playground: the daily summary in the agents' channel",
  (e2e) => {
    it("posts the summary card, numbers and chart, as a new post in the agents' channel", async () => {
      const { chat } = e2e;
      const service = e2e.bot.service;
      await chat.waitForBotText(WELCOME_TITLE);
      await chat.hideLogPanel();
      // Opening the channel adds the bot to the team, which keeps the way back to it.
      await chat.selectChat(GENERAL);
      await chat.waitForChannelPost(CHANNEL_READY);

      // The summary over the running bot's store, run at once with the clock at 8am on the day. (Run now rather than
      // through the scheduler, so the bot's own scheduled summary, if it has one, cannot be due on this clock too.)
      await seedDay(service.store);
      const clock = (): Date => new Date(RUN_AT);
      const adapter = new TeamsAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: "" });
      const channel = new AgentsChannel({ store: service.store, adapter, botAppId: "", channelId: AGENTS_CHANNEL, logger: service.logger, clock });
      const jobs = new JobScheduler(service.store, { clock, logger: service.logger }); // never started: it only takes the handler
      const tally = new DailyTally(service.store, { clock, flushEveryMs: 0 });
      const summary = registerDailySummary(jobs, { tally, channel, store: service.store, clock, logger: service.logger, time: "08:00" });
      const startedAt = Date.now();
      assert.equal(await summary.runNow(), "posted");

      const post = await chat.waitForChannelPost(TITLE);
      e2e.recordTiming("run to the summary in the channel", Date.now() - startedAt);
      assert.equal(await chat.channelPosts(TITLE).count(), 1, "one summary post");
      const lines = await linesOf(post);
      assert.ok(lines.includes("From 8:00am on Monday 22 November 2027 to 8:00am on Tuesday 23 November 2027 (UK time)."), lines.join(" | "));
      assert.equal(fact(lines, "Completed"), "46");
      assert.equal(fact(lines, "Blocked"), "2");
      assert.equal(fact(lines, "Most often stopped at"), "the verification code (5 of 7)");
      assert.equal(fact(lines, "Code by text"), "4");
      assert.equal(fact(lines, "Authenticator app code"), "1");
      assert.equal(fact(lines, "Asked for a person"), "13");
      assert.equal(fact(lines, "Taken by an agent"), "12");
      assert.equal(fact(lines, "Nobody free in time"), "1");
      assert.equal(fact(lines, "Typical wait (median)"), "6 minutes");
      assert.equal(fact(lines, "9 in 10 waited at most"), "11 minutes");
      assert.equal(await post.getByRole("button").filter({ hasText: /\w/ }).count(), 0, "nothing to press: nothing goes stale");

      // The chart: drawn, and described for screen readers.
      const chart = post.locator('img[alt^="Chart of each hour in the 24 hours to 8:00am on Tuesday, UK time."]');
      await chart.waitFor();
      assert.match((await chart.getAttribute("alt")) ?? "", /Bars: resets completed, 46 in all, most at 11am \(6\)\. Line: help requests, 13 in all, most at 4pm \(3\)\./);
      assert.ok(await chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 960), "the PNG loaded");

      // Room for the whole card in the picture.
      await chat.page.setViewportSize({ width: 1280, height: 1400 });
      await settle(post);
      await e2e.docsScreenshot("daily-summary");
    });
  },
  { botEnv: { AGENTS_CHANNEL_ID: AGENTS_CHANNEL }, playgroundTeam: AGENTS_TEAM },
);
