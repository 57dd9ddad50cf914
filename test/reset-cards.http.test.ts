import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { Verb } from "../cards/verbs";
import { CAPTCHA_REPLACED } from "../dialogs/captcha-dialog";
import { FakeConnector } from "./proactive/fake-connector";
import type { ReceivedActivity } from "./proactive/fake-connector";
import { TeamsUser, startNotifyBot } from "./proactive/support";
import type { NotifyBot } from "./proactive/support";
import { latestCode } from "./support/outbox";
import { TempDir } from "./support/temp-dir";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";

/** The first text of an activity's card. */
const titleOf = (activity: Partial<Activity>): string =>
  ((activity.attachments?.[0]?.content as { body?: Array<{ text?: string }> } | undefined)?.body ?? []).find((b) => typeof b.text === "string")?.text ?? "";

/**
 * The reset's cards in a Teams-like chat (replies through a connector, card presses answering their card): a card
 * that is answered again is updated in place, so the chat keeps one live card per step and reads as one story.
 */
describe("reset cards stay one live card per step", function () {
  this.timeout(30_000);
  let dir: TempDir;
  let connector: FakeConnector;
  let bot: NotifyBot;
  let jane: TeamsUser;

  const start = async (env: Record<string, string>): Promise<void> => {
    bot = await startNotifyBot({ OUTBOX_FILE: dir.file("outbox.jsonl"), ...env });
    jane = new TeamsUser(await connector.start());
  };
  beforeEach(() => {
    dir = new TempDir();
    connector = new FakeConnector();
  });
  afterEach(async () => {
    await bot.service.close();
    await connector.stop();
    dir.remove();
  });

  const sent = (): ReceivedActivity[] => connector.received.filter((r) => r.conversationId === jane.conversationId);
  const post = async (activity: Partial<Activity>): Promise<ReceivedActivity[]> => {
    const before = sent().length;
    assert.equal(await bot.post(activity), 200);
    await bot.service.drainMessages();
    return sent().slice(before);
  };
  const lastCard = (title: string): ReceivedActivity => {
    const card = sent().filter((r) => !r.update && titleOf(r.activity) === title).at(-1);
    assert.ok(card, `a "${title}" card was posted`);
    return card;
  };
  /** The card as it stands now: its latest update, or as posted. */
  const current = (card: ReceivedActivity): Partial<Activity> => sent().filter((r) => r.id === card.id).at(-1)?.activity ?? card.activity;

  it("New image replaces the captcha in place; a press on a replaced picture says so and counts nothing", async () => {
    await start({ CAPTCHA: "on" });
    await post(jane.message("reset my password"));
    await post(jane.message(JANE));
    const captcha = lastCard("Please type the characters you see");
    const firstId = (captcha.activity.attachments?.[0]?.content as { actions: Array<{ data: { challengeId: string } }> }).actions[0]?.data.challengeId;
    const refreshed = await post(jane.submit({ verb: Verb.RefreshCaptcha, challengeId: firstId }, captcha.id));
    assert.deepEqual(refreshed.map((r) => [r.update, r.id]), [[true, captcha.id]], "one update of the same card, nothing new posted");
    assert.notEqual(JSON.stringify(current(captcha)), JSON.stringify(captcha.activity), "the card shows a new picture");

    const stale = await post(jane.submit({ verb: Verb.SubmitCaptcha, challengeId: firstId, captchaAnswer: "ABCDE" }, "an-older-copy"));
    assert.deepEqual(stale.filter((r) => !r.update).map((r) => r.activity.text), [CAPTCHA_REPLACED]);
  });

  it("a refused password, three times, leaves one new-password card showing the latest problems", async () => {
    await start({ CAPTCHA: "off" });
    await post(jane.message("reset my password"));
    await post(jane.message(JANE));
    await post(jane.submit({ verb: Verb.ChooseMethod, method: "sms" }));
    await post(jane.message("07700 900118"));
    await post(jane.message(latestCode(dir.file("outbox.jsonl"), JANE_MOBILE)));
    const card = lastCard("Choose a new password");
    for (const [password, confirm] of [["short", "short"], ["Password123", "Password123"], ["Violet-Compass-Thunder-8", "Violet-Compass-Thunder-9"]]) {
      const replies = await post(jane.submit({ verb: Verb.SubmitNewPassword, newPassword: password, confirmPassword: confirm }, card.id));
      assert.ok(replies.every((r) => r.update && r.id === card.id), "only the pressed card changes");
    }
    assert.equal(sent().filter((r) => !r.update && titleOf(r.activity) === "Choose a new password").length, 1, "one card in the chat");
    assert.match(JSON.stringify(current(card)), /don't match/, "it shows the latest problem");
    assert.doesNotMatch(JSON.stringify(sent()), /Violet-Compass-Thunder/, "no password on screen or echoed");
  });

  it("a wrong code pressed on the code card updates that card: no second card, no claim of a new code", async () => {
    await start({ CAPTCHA: "off" });
    await post(jane.message("reset my password"));
    await post(jane.message(JANE));
    await post(jane.submit({ verb: Verb.ChooseMethod, method: "sms" }));
    const codeCard = (await post(jane.message("07700 900118"))).find((r) => (r.activity.attachments ?? []).length > 0);
    assert.ok(codeCard);
    const code = latestCode(dir.file("outbox.jsonl"), JANE_MOBILE);
    const replies = await post(jane.submit({ verb: Verb.SubmitCode, code: code === "000000" ? "111111" : "000000" }, codeCard.id));
    assert.ok(replies.every((r) => r.update && r.id === codeCard.id));
    const now = JSON.stringify(current(codeCard));
    assert.match(now, /isn't right/);
    assert.match(now, /4 more times/);
    assert.doesNotMatch(now, /on its way/);
  });
});
