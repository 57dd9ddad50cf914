import assert from "node:assert/strict";
import { DialogTestClient } from "botbuilder-testing";
import { ResetPasswordDialog, ASK_EMAIL, NOT_AN_ADDRESS, NOT_NHSMAIL } from "../../dialogs/reset-password-dialog";
import { CANCELLED_MESSAGE } from "../../dialogs/base-dialog";

/** Each row: what the person types → what the bot's replies must contain (in order). */
const emailTable: Array<{ name: string; turns: Array<[string, string[]]> }> = [
  { name: "accepts an @nhs.net address", turns: [["hi", [ASK_EMAIL]], ["Jane.Smith@NHS.net", ["Self-Service Password Reset Portal"]]] },
  { name: "refuses another domain, then accepts", turns: [["hi", [ASK_EMAIL]], ["jane@gmail.com", [NOT_NHSMAIL]], [" jane.smith@nhs.net ", ["Thank you"]]] },
  { name: "refuses text that is not an address", turns: [["hi", [ASK_EMAIL]], ["my email", [NOT_AN_ADDRESS]]] },
  { name: "stops on cancel", turns: [["hi", [ASK_EMAIL]], ["cancel", [CANCELLED_MESSAGE]]] },
];

type Reply = { text?: string; attachments?: unknown[] };

/** Sends one utterance and returns every reply to it (DialogTestClient hands back the first one itself). */
async function say(client: DialogTestClient, utterance: string): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let reply = (await client.sendActivity(utterance)) as Reply | undefined; reply; reply = client.getNextReply() as Reply | undefined) {
    replies.push(reply);
  }
  return replies;
}

describe("ResetPasswordDialog", () => {
  for (const row of emailTable) {
    it(row.name, async () => {
      const client = new DialogTestClient("msteams", new ResetPasswordDialog());
      for (const [utterance, expected] of row.turns) {
        const replies = await say(client, utterance);
        assert.equal(replies.length, expected.length, `replies to "${utterance}": ${JSON.stringify(replies.map((r) => r.text))}`);
        expected.forEach((text, i) => assert.ok((replies[i].text ?? "").includes(text), `"${replies[i].text}" should contain "${text}"`));
      }
    });
  }

  it("shows help for the step and asks again", async () => {
    const client = new DialogTestClient("msteams", new ResetPasswordDialog());
    await say(client, "hi");
    const [help, again] = await say(client, "help");
    assert.match(help.text ?? "", /resetting your NHSmail password/);
    assert.equal(help.attachments?.length, 1);
    assert.equal(again.text, ASK_EMAIL);
  });
});
