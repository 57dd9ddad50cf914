import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from "botbuilder";
import type { Activity } from "botbuilder";
import restify from "restify";
import { describePlayground, pollUntil } from "./harness";
import type { BotUnderTest } from "./harness";

/** A tiny bot that answers with what it received, and sends a form card on "form". */
interface StubBot extends BotUnderTest {
  readonly received: Partial<Activity>[];
}

async function startStubBot(): Promise<StubBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const received: Partial<Activity>[] = [];
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post("/api/messages", async (req, res) => {
    await adapter.process(req, res, async (context) => {
      const activity = context.activity;
      received.push(activity);
      if (activity.type !== "message") {
        await context.sendActivity(`stub saw ${activity.type}`);
      } else if (activity.value !== undefined) {
        await context.sendActivity(`stub got ${JSON.stringify(activity.value)}`);
      } else if (activity.text === "form") {
        const card = CardFactory.adaptiveCard({
          type: "AdaptiveCard",
          version: "1.5",
          body: [
            { type: "Input.Text", id: "email", label: "Email address" },
            { type: "Input.Text", id: "password", label: "New password", style: "password", isRequired: true },
            { type: "Input.Text", id: "confirm", label: "Confirm new password", style: "password" },
          ],
          actions: [{ type: "Action.Submit", title: "Change password", data: { verb: "stub.submit" } }],
        });
        await context.sendActivity(MessageFactory.attachment(card));
      } else {
        await context.sendActivity(`stub echo: ${activity.text ?? ""}`);
      }
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, "127.0.0.1", resolve);
  });
  const address: AddressInfo = server.address();
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    messagingEndpoint: `${url}/api/messages`,
    received,
    logLines: () => received.map((activity) => JSON.stringify({ type: activity.type, text: activity.text })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

describePlayground(
  "Playground harness (stub bot)",
  (e2e) => {
    it("fills labelled card inputs, masked ones included, and submits them", async () => {
      const { chat } = e2e;
      await chat.waitForBotText("stub saw conversationUpdate");
      await chat.waitForBotText("Change password", { after: await chat.sendText("form") });
      await chat.fillCardInput("Email address", "jane.smith@nhs.net");
      await chat.fillCardInput("New password", "Correct-Horse-9");
      await chat.fillCardInput("Confirm new password", "Correct-Horse-9");
      const reply = await chat.waitForBotText("stub got", { after: await chat.clickCardAction("Change password") });
      assert.deepEqual(JSON.parse((await reply.innerText()).replace(/^stub got /, "")), {
        verb: "stub.submit",
        email: "jane.smith@nhs.net",
        password: "Correct-Horse-9",
        confirm: "Correct-Horse-9",
      });
    });

    it("sends mocked activities, prefilled or edited", async () => {
      const { chat, bot } = e2e;
      await chat.waitForBotText("stub saw conversationUpdate");
      await chat.waitForBotText("stub saw conversationUpdate", { after: await chat.mockActivity("Add user") });
      const mark = await chat.mockActivity("Custom activity", (prefilled) => ({ ...prefilled, type: "message", text: "from the editor" }));
      await chat.waitForBotText("stub echo: from the editor", { after: mark });
      assert.ok(bot.received.some((activity) => activity.text === "from the editor"));
    });

    it("switches to the group chat, which greets the bot again in a new conversation", async () => {
      const { chat, bot } = e2e;
      await chat.waitForBotText("stub saw conversationUpdate");
      await chat.selectChat("Group Chat");
      const groupChat = await pollUntil(
        () => Promise.resolve(bot.received.find((activity) => activity.conversation?.conversationType === "groupChat")),
        { timeoutMs: 15_000, what: "the bot to hear from the group chat" },
      );
      assert.equal(groupChat.type, "installationUpdate");
      await chat.waitForBotText("stub saw conversationUpdate");
      const kinds = bot.received.map((activity) => activity.conversation?.conversationType);
      assert.deepEqual([...new Set(kinds)], ["personal", "groupChat"]);
    });
  },
  { startBot: startStubBot },
);
