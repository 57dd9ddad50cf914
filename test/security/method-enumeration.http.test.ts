import assert from "node:assert/strict";
import fs from "node:fs";
import { Verb } from "../../cards/verbs";
import { startTestBot, Conversation, visibleText } from "../support/bot-client";
import type { TestBot } from "../support/bot-client";
import { TempDir } from "../support/temp-dir";

type Method = "sms" | "voice" | "app";
const METHODS: readonly Method[] = ["sms", "voice", "app"];
/** What an account can have registered: every combination of a mobile and an authenticator app. */
const KINDS = [
  { kind: "a mobile and an app", mobile: true, app: true },
  { kind: "only a mobile", mobile: true, app: false },
  { kind: "only an app", mobile: false, app: true },
  { kind: "nothing", mobile: false, app: false },
] as const;

const addressOf = (kind: string, method: Method): string => `${kind.replace(/[^a-z]+/g, ".")}.${method}@nhs.net`.replace(/^\.+/, "");

/**
 * Every reply a person sees on the way through a method, as text, with the address and the two digits of the mobile
 * hint (the only thing that may differ, and which an attacker cannot tell from a made-up one) normalised.
 */
async function transcript(bot: TestBot, email: string, method: Method): Promise<string[]> {
  const chat = new Conversation(bot.endpoint);
  const seen: string[] = [];
  const step = async (input: string | Record<string, unknown>): Promise<void> => {
    const replies = typeof input === "string" ? await chat.say(input) : await chat.submit(input);
    seen.push(visibleText(replies));
  };
  await step("reset my password");
  await step(email);
  await step({ verb: Verb.ChooseMethod, method });
  if (method !== "app") {
    const hint = /\*{5}(\d\d)/.exec(seen.at(-1) ?? "")?.[1] ?? "00";
    await step(`07700 9001${hint}`);
  }
  for (const input of ["123456", method === "app" ? "654321" : "try again", "654321"]) await step(input);
  return seen.map((text) => text.split(email).join("<email>").replace(/\*{5}\d\d/g, "*****NN").replace(/07700 9001\d\d/g, "07700 9001NN"));
}

describe("the method card and every step after it read the same for every address", function () {
  this.timeout(60_000);
  const dir = new TempDir();
  let bot: TestBot;

  before(async () => {
    // A fresh account per kind and method, so that no throttle carries over from one walk to the next.
    const accounts = KINDS.flatMap(({ kind, mobile, app }) =>
      METHODS.map((method) => ({
        email: addressOf(kind, method),
        password: "Ordinary-Current-Pass-42",
        ...(mobile ? { mobile: "07700 900342" } : {}),
        ...(app ? { totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" } : {}),
        createdAt: "2022-01-10T09:00:00Z",
      })),
    );
    fs.writeFileSync(dir.file("accounts.json"), JSON.stringify(accounts));
    bot = await startTestBot({ ACCOUNTS_FILE: dir.file("accounts.json") });
  });
  after(async () => {
    await bot.service.close();
    dir.remove();
  });

  it("offers the guide's three methods to an unknown address", async () => {
    const chat = new Conversation(bot.endpoint);
    await chat.say("reset my password");
    const card = visibleText(await chat.say("nobody.here@nhs.net"));
    for (const method of [/Send a text/, /Call my mobile/, /authenticator app/]) assert.match(card, method);
  });

  for (const method of METHODS) {
    for (const { kind } of KINDS) {
      it(`${method}: an account with ${kind} reads exactly as an unknown address`, async () => {
        const known = await transcript(bot, addressOf(kind, method), method);
        const unknown = await transcript(bot, `unknown.${addressOf(kind, method)}`, method);
        assert.deepEqual(known, unknown);
      });
    }
  }
});
