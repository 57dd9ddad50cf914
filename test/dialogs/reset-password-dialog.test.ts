import assert from "node:assert/strict";
import { ResetHarness } from "../support/reset-harness";
import { ASK_EMAIL, NOT_AN_ADDRESS, NOT_NHSMAIL } from "../../dialogs/reset-password-dialog";
import { CANCELLED_MESSAGE } from "../../dialogs/base-dialog";

/** Each row: what the person types → what the bot's replies must contain. */
const emailTable: Array<{ name: string; turns: Array<[string, RegExp]> }> = [
  { name: "accepts an @nhs.net address in any case, with spaces", turns: [["hi", /@nhs\.net/], [" Jane.Smith@NHS.net ", /Verify it's you/]] },
  { name: "refuses another domain, then accepts", turns: [["hi", /@nhs\.net/], ["jane@gmail.com", new RegExp(escape(NOT_NHSMAIL))], ["jane.smith@nhs.net", /Verify it's you/]] },
  { name: "refuses text that is not an address", turns: [["hi", /@nhs\.net/], ["my email", new RegExp(escape(NOT_AN_ADDRESS))]] },
  { name: "stops on cancel", turns: [["hi", /@nhs\.net/], ["cancel", new RegExp(escape(CANCELLED_MESSAGE))]] },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("ResetPasswordDialog: the address", () => {
  let h: ResetHarness;
  beforeEach(async () => (h = await new ResetHarness().start()));
  afterEach(() => h.stop());

  for (const row of emailTable) {
    it(row.name, async () => {
      for (const [utterance, expected] of row.turns) assert.match(await h.say(utterance), expected, utterance);
    });
  }

  it("shows help for the step and asks again", async () => {
    await h.say("hi");
    const replies = await h.send("help");
    assert.equal(replies.length, 2);
    assert.match(replies[0].text ?? "", /email address so I can find the account to reset\..*To stop, type \*\*cancel\*\*.*asked again below/);
    assert.equal(replies[0].attachments?.length, 1, "the help card");
    assert.equal(replies[1].text, ASK_EMAIL);
  });
});
