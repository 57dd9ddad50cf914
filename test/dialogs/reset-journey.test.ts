import assert from "node:assert/strict";
import { ResetHarness } from "../support/reset-harness";
import { latestCode, readOutbox } from "../support/outbox";
import { Verb } from "../../cards/verbs";
import { currentTotp } from "../../src/verification";
import { ASK_EMAIL, SESSION_EXPIRED } from "../../dialogs/reset-password-dialog";
import { TOO_MANY_RESETS_MESSAGE } from "../../dialogs/reset-services";
import { CANCELLED_MESSAGE } from "../../dialogs/base-dialog";
import { NOT_A_MOBILE, WRONG_CODE, EXPIRED_CODE } from "../../dialogs/phone-code-dialog";
import { APP_CODE_WRONG } from "../../dialogs/app-code-dialog";
import { MISMATCH, BOTH_BOXES, DONT_TYPE_PASSWORDS } from "../../dialogs/new-password-dialog";
import { BLOCKED_MESSAGE } from "../../dialogs/reset-services";

const JANE = "jane.smith@nhs.net";
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const JANE_MOBILE = "+447700900118";
const OLIVIA_SECRET = "QNTOZ7IDRCVCHHXDQMEVMKJUS6VE2QCB";
const GOOD = "Violet-Compass-Thunder-8";
const sms = { verb: Verb.ChooseMethod, method: "sms" };
const password = (newPassword: unknown, confirmPassword: unknown = newPassword) => ({ verb: Verb.SubmitNewPassword, newPassword, confirmPassword });

describe("reset journey, branch by branch (DialogTestClient on the real services)", function () {
  this.timeout(30_000);
  let h: ResetHarness;
  beforeEach(async () => (h = await new ResetHarness().start()));
  afterEach(() => h.stop());

  /** Goes as far as the code prompt by text message. */
  async function toCode(email = JANE, number = "07700 900118"): Promise<void> {
    assert.equal(await h.say("hi"), ASK_EMAIL);
    await h.say(email);
    await h.say(sms);
    assert.match(await h.say(number), /on its way/);
  }

  it("text: wrong number shape, a number not ending in the hint, then the right one in each UK form", async () => {
    await h.say("hi");
    await h.say(JANE);
    assert.match(await h.say(sms), /\(\*\*\*\*\*18\)/);
    assert.equal(await h.say("my phone"), NOT_A_MOBILE);
    assert.match(await h.say("07700 900119"), /doesn't match the one registered to your account \(\*\*\*\*\*18\)/);
    assert.match(await h.say("+44 (0) 7700-900-118"), /on its way/);
    assert.equal(readOutbox(h.outbox).filter((m) => m.to === JANE_MOBILE).length, 1);
  });

  it("text: a wrong code, an expired code, try again, then the new code", async () => {
    await toCode();
    const first = latestCode(h.outbox, JANE_MOBILE);
    const wrong = await h.say(first === "000000" ? "111111" : "000000");
    assert.match(wrong, new RegExp(escape(WRONG_CODE)));
    assert.match(wrong, /You can try 4 more times before this account is blocked from resetting for 24 hours/);
    assert.match(wrong, /Type the 6-digit code from the text I sent to \*{5}18/);
    assert.doesNotMatch(wrong, /on its way|up to 20 seconds/, "a wrong code does not read as if a new one were sent");
    h.now += 5 * 60_000 + 1;
    const expired = await h.say(first);
    assert.match(expired, new RegExp(escape(EXPIRED_CODE)));
    assert.match(expired, /You can try 3 more times/);
    assert.match(await h.say("try again"), /Done: If that's the number registered/);
    const second = latestCode(h.outbox, JANE_MOBILE);
    assert.match(await h.say(second), /Choose a new password/);
  });

  it("text: the code is asked for in a masked box; Send a new code, then the code from the box", async () => {
    await toCode();
    const first = latestCode(h.outbox, JANE_MOBILE);
    const resent = await h.send({ verb: Verb.ResendCode });
    assert.match(JSON.stringify(resent), /"style":"password"/, "the code card has a masked box");
    assert.equal(readOutbox(h.outbox).filter((m) => m.to === JANE_MOBILE).length, 2);
    assert.match(await h.say({ verb: Verb.SubmitCode, code: first }), /isn't right|expired/, "the first code was replaced");
    assert.match(await h.say({ verb: Verb.SubmitCode, code: latestCode(h.outbox, JANE_MOBILE) }), /Choose a new password/);
  });

  it("call: the code is read out by a voice call", async () => {
    await h.say("hi");
    await h.say(JANE);
    assert.match(await h.say({ verb: Verb.ChooseMethod, method: "voice" }), /I'll then call it/);
    assert.match(await h.say("07700900118"), /I'm calling \*\*\*\*\*18 now/);
    const call = readOutbox(h.outbox).at(-1);
    assert.equal(call?.channel, "voice");
    assert.match(await h.say(latestCode(h.outbox, JANE_MOBILE)), /Choose a new password/);
  });

  it("app: a wrong code, then the current one; the same code cannot be used twice", async () => {
    await h.say("hi");
    await h.say("olivia.brown@nhs.net");
    await h.say("authenticator app");
    const code = currentTotp(OLIVIA_SECRET, new Date(h.now));
    assert.match(await h.say(code === "123456" ? "654321" : "123456"), new RegExp(escape(APP_CODE_WRONG)));
    assert.match(await h.say(code), /Choose a new password/);
    await h.say("cancel");
    await h.say("hi");
    await h.say("olivia.brown@nhs.net");
    await h.say("app");
    assert.match(await h.say(code), new RegExp(escape(APP_CODE_WRONG)), "a used TOTP code is refused for its whole window");
  });

  it("new password: mismatch, empty, typed in the chat, each policy failure, then success", async () => {
    await toCode();
    await h.say(latestCode(h.outbox, JANE_MOBILE));
    assert.match(await h.say(password(GOOD, GOOD + "x")), new RegExp(MISMATCH));
    assert.match(await h.say(password("", "")), new RegExp(BOTH_BOXES));
    assert.match(await h.say(password(42, { a: 1 })), new RegExp(BOTH_BOXES), "wrong types get a clear message");
    assert.match(await h.say(password("x".repeat(5000))), new RegExp(BOTH_BOXES), "huge strings get a clear message");
    assert.match(await h.say(GOOD), new RegExp(DONT_TYPE_PASSWORDS.slice(0, 40)));
    const cases: Array<[string, RegExp]> = [
      ["short1", /at least 10 characters/],
      ["Lantern £ orbit gravy", /'£' sign/],
      ["Lantern\torbit gravy", /tabs or line breaks/],
      [" Lantern orbit gravy", /start or end/],
      ["Harbour-Lantern-58", /used this password before/],
      ["Willow-Station-31", /used this password before/],
      ["Winter2018", /common word or pattern|passwords people use most often/],
      ["JaneSmith2024", /your own name/],
      ["x".repeat(257), /no more than 256 characters/],
    ];
    for (const [candidate, message] of cases) assert.match(await h.say(password(candidate)), message, candidate);
    assert.match(await h.say(password(GOOD)), /Your password has been changed/);
  });

  it("after 5 completed resets in an hour, a 6th is refused once the person has proved who they are, and nothing changes", async () => {
    const passwords = ["Violet-Compass-Thunder-1", "Amber-Harbour-Meadow-2", "Copper-Lantern-Willow-3", "Silver-Orchard-Falcon-4", "Maple-Station-Quartz-5"];
    for (const next of passwords) {
      await toCode();
      assert.match(await h.say(latestCode(h.outbox, JANE_MOBILE)), /Choose a new password/);
      assert.match(await h.say(password(next)), /Your password has been changed/, next);
    }
    const before = (await h.services.directory.findByEmail(JANE))?.passwordHash;
    await toCode();
    const refused = await h.say(latestCode(h.outbox, JANE_MOBILE));
    assert.match(refused, new RegExp(TOO_MANY_RESETS_MESSAGE.slice(0, 60)));
    assert.match(refused, /Talk to the helpdesk/);
    assert.doesNotMatch(refused, /Choose a new password/);
    assert.equal((await h.services.directory.findByEmail(JANE))?.passwordHash, before, "the last password still stands");
    assert.equal(await h.say("hi"), ASK_EMAIL, "the conversation is usable again");
  });

  it("unknown address: the same steps and words, generic methods, a made-up but stable hint, never a code", async () => {
    const known: string[] = [];
    const unknown: string[] = [];
    for (const [email, out] of [[JANE, known], ["no.such.person@nhs.net", unknown]] as const) {
      const run = await new ResetHarness().start();
      out.push(await run.say("hi"), await run.say(email), await run.say(sms));
      await run.stop();
    }
    assert.deepEqual(unknown.slice(0, 2), known.slice(0, 2));
    const hint = /\(\*\*\*\*\*(\d\d)\)/.exec(unknown[2])?.[1];
    assert.ok(hint, "a hint is shown");
    await h.say("hi");
    await h.say("no.such.person@nhs.net");
    assert.match(await h.say(sms), new RegExp(`\\*{5}${hint}`), "the same hint every time");
    assert.match(await h.say(`07700 9001${hint}`), /on its way/);
    assert.equal(readOutbox(h.outbox).length, 0, "nothing was sent");
    assert.match(await h.say("123456"), new RegExp(escape(WRONG_CODE)));
  });

  it("an account with no registered method is offered every method and never succeeds", async () => {
    await h.say("hi");
    const card = (await h.say("tom.evans@nhs.net")) + (await h.say(sms));
    assert.match(card, /Send a text.*\n.*Call my mobile.*\n.*authenticator app/s);
    await h.say("07700 900100");
    assert.equal(readOutbox(h.outbox).length, 0);
  });

  it("locks the account after 5 failed proofs, with the helpdesk's details, and stays locked", async () => {
    await toCode();
    for (let i = 0; i < 4; i++) assert.match(await h.say("999999"), new RegExp(escape(WRONG_CODE)));
    const blocked = await h.say("999999");
    assert.match(blocked, new RegExp(BLOCKED_MESSAGE.slice(0, 50)));
    assert.match(blocked, /0333 200 1133/);
    await h.say("hi");
    assert.match(await h.say(JANE), new RegExp(BLOCKED_MESSAGE.slice(0, 50)), "a new journey stops before any method is offered");
  });

  it("cancel works at every step, by word or by the card's Cancel button", async () => {
    for (const steps of [[], [JANE], [JANE, sms], [JANE, sms, "07700900118"]] as Array<Array<string | Record<string, unknown>>>) {
      await h.say("hi");
      for (const s of steps) await h.say(s);
      assert.equal(await h.say(steps.length % 2 ? { verb: Verb.CancelJourney } : "cancel"), CANCELLED_MESSAGE);
      assert.equal(await h.say("hello again"), ASK_EMAIL, "a new journey starts cleanly");
      await h.say("cancel");
    }
  });

  it("ends the session after 15 minutes without activity", async () => {
    await toCode();
    h.now += 15 * 60_000 + 1;
    assert.equal(await h.say(latestCode(h.outbox, JANE_MOBILE)), SESSION_EXPIRED);
  });

  it("asks for the captcha when it is on, with a new image on request or after a wrong answer", async () => {
    const withCaptcha = await new ResetHarness().start({ CAPTCHA: "on" });
    try {
      /** The picture id the newest captcha card's buttons carry. */
      const pictureOf = (replies: Array<{ attachments?: Array<{ content?: unknown }> }>): string =>
        /"challengeId":"([^"]+)"/.exec(JSON.stringify(replies.at(-1)?.attachments ?? []))?.[1] ?? "";
      await withCaptcha.say("hi");
      const first = await withCaptcha.send(JANE);
      assert.match(JSON.stringify(first), /type the characters you see/i);
      const picture = /data:image\/[a-z+]+;base64,[A-Za-z0-9+/=]{40}/.exec(JSON.stringify(first))?.[0] ?? "no picture";
      const kept = JSON.stringify(withCaptcha.client.dialogContext.stack);
      assert.equal(kept.split(picture).length - 1, 1, "the picture is kept once in the dialog state, not once per prompt");
      const wrong = await withCaptcha.send({ verb: Verb.SubmitCaptcha, captchaAnswer: "wrong", challengeId: pictureOf(first) });
      assert.match(JSON.stringify(wrong), /didn't match the picture/);
      assert.notEqual(pictureOf(wrong), pictureOf(first), "a new picture");
      assert.match(await withCaptcha.say({ verb: Verb.SubmitCaptcha, captchaAnswer: "wrong", challengeId: pictureOf(first) }), /replaced by a newer one/, "the old picture's card is recognised");
      assert.match(await withCaptcha.say({ verb: Verb.RefreshCaptcha, challengeId: pictureOf(wrong) }), /type the characters you see/i);
      assert.match(await withCaptcha.say("abcde"), /into the box on the card/);
    } finally {
      await withCaptcha.stop();
    }
  });
});
