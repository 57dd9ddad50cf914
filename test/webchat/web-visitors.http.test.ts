import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { BLOCKED_MESSAGE } from "../../dialogs/reset-services";
import { startTestBot } from "../support/bot-client";
import type { TestBot } from "../support/bot-client";
import { waitFor } from "../support/wait-for";

/** A web visitor: a token from the page's own endpoint, then Direct Line's REST API, as the page's client uses it. */
class Visitor {
  private watermark = "";
  private constructor(
    readonly token: string,
    readonly conversationId: string,
    private readonly domain: string,
  ) {}

  static async arrive(bot: TestBot): Promise<Visitor> {
    const response = await fetch(`${bot.service.url}/api/webchat/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(response.status, 200);
    const { token, conversationId, domain } = (await response.json()) as { token: string; conversationId: string; domain: string };
    return new Visitor(token, conversationId, domain);
  }

  /** Says something and returns what the bot answered (every bot activity that arrives for it). */
  async say(text: string): Promise<string> {
    const posted = await fetch(`${this.domain}/conversations/${this.conversationId}/activities`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "message", from: { id: "anyone" }, text }),
    });
    assert.equal(posted.status, 200);
    let answer: Activity[] = [];
    await waitFor(async () => {
      const response = await fetch(`${this.domain}/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { headers: { authorization: `Bearer ${this.token}` } });
      const body = (await response.json()) as { activities: Activity[]; watermark?: string };
      this.watermark = body.watermark ?? this.watermark;
      answer = [...answer, ...body.activities.filter((a) => a.from.id === "bot")];
      return answer.length > 0;
    }, `the bot's answer to "${text}"`);
    return JSON.stringify(answer);
  }
}

describe("the bot for anonymous web visitors (over the local Direct Line)", function () {
  this.timeout(60_000);
  let bot: TestBot;
  beforeEach(async () => (bot = await startTestBot()));
  afterEach(() => bot.service.close());

  it("counts reset journeys per client address, not per visitor id (a new one comes with every page load)", async () => {
    const answers: string[] = [];
    for (let i = 0; i < 11; i++) {
      const visitor = await Visitor.arrive(bot);
      await visitor.say("reset my password");
      answers.push(await visitor.say("jane.smith@nhs.net"));
    }
    assert.ok(answers.slice(0, 10).every((a) => a.includes("Verify it")), "ten journeys from one address go on");
    assert.match(answers[10] ?? "", new RegExp(BLOCKED_MESSAGE.slice(0, 40)), "the eleventh, from a new visitor id on the same address, is blocked");
  });

  it("offers first-login help with its sign-in card", async () => {
    const visitor = await Visitor.arrive(bot);
    const answer = await visitor.say("I'm a new user");
    assert.match(answer, /Sign in to get started/);
    assert.match(answer, /"style":"password"/);
  });
});
