import assert from "node:assert/strict";
import { cardElements as elements, readableText as readable } from "../support/card-elements";
import type { CardElement } from "../support/card-elements";
import { ConversationState, MemoryStorage } from "botbuilder";
import type { Activity, Middleware } from "botbuilder";
import { DialogTestClient } from "botbuilder-testing";
import { DialogTurnStatus } from "botbuilder-dialogs";
import type { Dialog } from "botbuilder-dialogs";
import { ResetHarness } from "../support/reset-harness";
import { Verb } from "../../cards/verbs";
import { AUP_SUMMARY, AUP_URL, AUP_VERSION } from "../../src/first-login";
import { JobKind } from "../../src/jobs/job-kinds";
import type { FirstLoginServices } from "../../dialogs/first-login-services";
import { CANCELLED_MESSAGE } from "../../dialogs/base-dialog";
import { BLOCKED_MESSAGE } from "../../dialogs/reset-services";
import { SignInDialog, SIGN_IN_MISSING, SIGN_IN_NOT_NHSMAIL, SIGN_IN_USE_CARD, SIGN_IN_WRONG } from "../../dialogs/sign-in-dialog";
import { ChangePasswordDialog, CHANGED_SINCE_SIGN_IN, OLD_MISSING, OLD_WRONG } from "../../dialogs/change-password-dialog";
import { FirstLoginDialog } from "../../dialogs/first-login-dialog";
import { BOTH_BOXES, DONT_TYPE_PASSWORDS, MISMATCH } from "../../dialogs/password-check";
import { AcceptAupDialog, AUP_LATER, USE_AUP_BUTTONS } from "../../dialogs/accept-aup-dialog";
import { UpdateProfileDialog, PROFILE_SAVED, USE_PROFILE_CARD } from "../../dialogs/update-profile-dialog";
import {
  BAD_PHONE,
  SECRET_HIDDEN,
  SECRET_IS_PASSWORD,
  SECRET_LENGTH_WRONG,
  SECRET_MISMATCH,
  SECRET_MISSING,
  SECRET_PERSONAL,
} from "../../dialogs/profile-form";

const SAM = "sam.okafor@nhs.net"; // temporary password, NHS Trust, nothing done yet
const SAM_TEMP = "Welcome-Temp-2701";
const KOFI = "kofi.mensah@nhs.net"; // temporary password, Pharmacy (NAS)
const KOFI_TEMP = "Welcome-Temp-3915";
const LENA = "lena.murphy@nhs.net"; // password already changed, AUP not accepted
const LENA_PASSWORD = "Lantern-Quay-4821";
const GOOD = "Violet-Compass-Thunder-8";
/** Card inputs that hold a secret: whatever is typed into them must never come back. */
const SECRET_INPUTS = ["password", "oldPassword", "newPassword", "confirmPassword", "accountSecret", "confirmSecret"];

type Sent = Partial<Activity>;

const signIn = (email: unknown, password: unknown): Record<string, unknown> => ({ verb: Verb.SubmitSignIn, email, password });
const change = (oldPassword: unknown, newPassword: unknown, confirmPassword: unknown = newPassword): Record<string, unknown> => ({
  verb: Verb.SubmitPasswordChange,
  oldPassword,
  newPassword,
  confirmPassword,
});
const escape = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

/**
 * One person's conversation with a task dialog on the harness's real services (memory store, dev accounts, movable
 * clock). Dialog state goes to a storage whose every value the test can read, card updates are recorded, and every
 * secret typed is remembered so the test can prove it never comes back anywhere.
 */
class Session {
  readonly updates: Sent[] = [];
  readonly transcript: Sent[] = [];
  readonly secrets = new Set<string>();
  private readonly memories: Array<Record<string, string>> = [];
  private lastCardId: string | undefined;

  /** A session on a started harness; {@link Session.start} starts one. */
  constructor(readonly h: ResetHarness) {}

  static async start(make: (services: FirstLoginServices) => Dialog, options?: object): Promise<Session> {
    const session = new Session(await new ResetHarness().start({}, (s) => make(s.firstLogin), options));
    session.use(make, options);
    return session;
  }

  /** Runs a dialog (the next one, once the last has ended) for the same person on the same services. */
  use(make: (services: FirstLoginServices) => Dialog, options?: object): void {
    const recorder: Middleware = {
      onTurn: async (context, next) => {
        context.onUpdateActivity(async (_context, activity, nextUpdate) => {
          this.updates.push(activity);
          await nextUpdate();
        });
        await next();
      },
    };
    const memory: Record<string, string> = {};
    this.memories.push(memory);
    const state = new ConversationState(new MemoryStorage(memory));
    this.h.client = new DialogTestClient("msteams", make(this.h.services.firstLogin), options, [recorder], state);
  }

  /** Sends text, or a press on the last card shown (with its inputs); returns the replies. */
  async send(input: string | Record<string, unknown>, { secret = false } = {}): Promise<Sent[]> {
    if (typeof input === "string" && secret) this.secrets.add(input);
    if (typeof input !== "string") {
      for (const field of SECRET_INPUTS) {
        const value = input[field];
        // Short ones are left out: they could be found in ordinary words by chance.
        if (typeof value === "string" && value.trim().length >= 6) this.secrets.add(value.trim());
      }
    }
    const activity: Sent = typeof input === "string" ? { type: "message", text: input } : { type: "message", value: input, replyToId: this.lastCardId };
    const replies: Sent[] = [];
    for (let reply = (await this.h.client.sendActivity(activity)) as Sent | undefined; reply; reply = this.h.client.getNextReply() as Sent | undefined) {
      replies.push(reply);
      if (reply.attachments?.length) this.lastCardId = reply.id;
    }
    this.transcript.push(...replies);
    return replies;
  }

  /** What a person reads in the replies to `input`. */
  async say(input: string | Record<string, unknown>, options?: { secret?: boolean }): Promise<string> {
    return readable(await this.send(input, options));
  }

  /** The dialog's result, once it has ended. */
  get result(): unknown {
    const turn = this.h.client.dialogTurnResult;
    assert.equal(turn.status, DialogTurnStatus.complete, "the dialog has ended");
    return turn.result as unknown;
  }

  /** Where any secret typed so far can be read back: replies, card updates, dialog state, directory, audit, log. */
  async leaks(): Promise<string[]> {
    const places: Record<string, string> = {
      replies: JSON.stringify(this.transcript),
      "card updates": JSON.stringify(this.updates),
      "dialog state": JSON.stringify(this.memories),
      directory: JSON.stringify(await this.h.services.listAccounts()),
      "audit log": JSON.stringify(await this.h.services.reset.audit.list()),
      log: this.h.log.text,
    };
    return [...this.secrets].flatMap((secret) => Object.entries(places).filter(([, text]) => text.includes(secret)).map(([where]) => `${secret.slice(0, 3)}… in ${where}`));
  }
}


const inputs = (replies: Sent[]): CardElement[] => elements(replies).filter((e) => e.type === "Input.Text");

describe("first-login task dialogs (on the real services)", function () {
  this.timeout(30_000);
  let s: Session | undefined;
  afterEach(async () => {
    if (!s) return;
    try {
      assert.deepEqual(await s.leaks(), [], "no secret typed may be read back anywhere");
    } finally {
      await s.h.stop();
      s = undefined;
    }
  });

  it("the leak check finds a typed secret that comes back (so it can fail)", async () => {
    s = await Session.start((f) => new SignInDialog(f));
    await s.send("hi");
    const probe = new Session(s.h);
    probe.transcript.push({ text: "your password is Welcome-Temp-2701" });
    probe.secrets.add(SAM_TEMP);
    assert.deepEqual(await probe.leaks(), ["Wel… in replies"]);
  });

  describe("SignInDialog", () => {
    it("asks for the address in a plain box and the password in a masked one", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      const boxes = inputs(await s.send("hi"));
      assert.deepEqual(
        boxes.map((b) => [b.id, b.style]),
        [
          ["email", "email"],
          ["password", "password"],
        ],
      );
      assert.ok(boxes.every((b) => b.value === undefined), "nothing prefilled");
    });

    it("signs in with the temporary password: links this Teams user, audits, clears the card, ends with the address", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      const replies = await s.send(signIn(" Sam.Okafor@NHS.net ", SAM_TEMP));
      assert.deepEqual(replies, [], "the journey carries on from the checklist");
      assert.deepEqual(s.result, { email: SAM });

      const user = await s.h.services.links.userOf(SAM);
      assert.ok(user, "the Teams user is linked to the address");
      assert.equal(await s.h.services.links.emailOf(user), SAM);
      const audit = await s.h.services.reset.audit.list({ email: SAM });
      assert.ok(audit.some((a) => a.type === "firstLogin.signIn" && a.outcome === "passed" && a.actor && a.actor !== user));

      const update = s.updates.at(-1);
      assert.ok(update, "the submitted card was replaced");
      assert.match(readable([update]), /Sign-in details submitted/);
      assert.equal(inputs([update]).length, 0, "the replacement has no boxes");
    });

    it("signs in with the current password once it has been changed, and for a Pharmacy account", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      await s.send(signIn(LENA, LENA_PASSWORD));
      assert.deepEqual(s.result, { email: LENA });
      s.use((f) => new SignInDialog(f));
      await s.send("hi");
      await s.send(signIn(KOFI, KOFI_TEMP));
      assert.deepEqual(s.result, { email: KOFI });
    });

    it("gives a wrong password and an unknown address exactly the same words, and links neither", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      const known = await s.send(signIn(SAM, "Welcome-Temp-2702"));
      const unknown = await s.send(signIn("sam.okafor2@nhs.net", "Welcome-Temp-2702"));
      assert.match(readable(known), escape(SIGN_IN_WRONG));
      assert.equal(readable(unknown), readable(known));
      // The card comes back with the address each person typed (item 14), and is otherwise the same.
      const typed = (replies: Sent[], address: string): string => JSON.stringify(replies.map((r) => [r.text, r.attachments])).split(address).join("<typed address>");
      assert.equal(typed(unknown, "sam.okafor2@nhs.net"), typed(known, SAM), "the same card too");
      assert.equal(await s.h.services.links.userOf(SAM), undefined);
      assert.equal(await s.h.services.links.userOf("sam.okafor2@nhs.net"), undefined);
    });

    for (const [kind, email] of [
      ["a known address", SAM],
      ["an unknown address", "no.such.person@nhs.net"],
    ] as const) {
      it(`blocks ${kind} after 5 wrong passwords, with the helpdesk's details; the right password then cannot get in`, async () => {
        s = await Session.start((f) => new SignInDialog(f));
        await s.send("hi");
        for (let attempt = 1; attempt <= 4; attempt++) assert.match(await s.say(signIn(email, `Wrong-Guess-${attempt}0`)), escape(SIGN_IN_WRONG));
        const fifth = await s.send(signIn(email, "Wrong-Guess-50"));
        assert.match(readable(fifth), escape(BLOCKED_MESSAGE));
        assert.match(JSON.stringify(fifth), /helpdesk/i);
        assert.deepEqual(s.result, {});

        s.use((f) => new SignInDialog(f));
        await s.send("hi");
        assert.match(await s.say(signIn(email, email === SAM ? SAM_TEMP : "Anything-at-all-1")), escape(BLOCKED_MESSAGE));
        assert.deepEqual(s.result, {});
        assert.equal(await s.h.services.links.userOf(email), undefined);
      });
    }

    it("blocks the Teams user after 10 wrong attempts across addresses, and then asks nothing more", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      for (let n = 1; n <= 9; n++) assert.match(await s.say(signIn(`person.${n}@nhs.net`, "Wrong-Guess-00")), escape(SIGN_IN_WRONG), `attempt ${n}`);
      assert.match(await s.say(signIn("person.10@nhs.net", "Wrong-Guess-00")), escape(BLOCKED_MESSAGE));
      assert.deepEqual(s.result, {});
      s.use((f) => new SignInDialog(f));
      const again = await s.send("hi");
      assert.match(readable(again), escape(BLOCKED_MESSAGE));
      assert.equal(inputs(again).length, 0, "no sign-in card");
      assert.deepEqual(s.result, {});
    });

    it("says not to type a password in the chat, keeps nothing of it, and the card still works", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      const replies = await s.send(SAM_TEMP, { secret: true });
      assert.equal(replies[0]?.text, SIGN_IN_USE_CARD);
      assert.equal(inputs(replies).length, 2, "the card again");
      await s.send(signIn(SAM, SAM_TEMP));
      assert.deepEqual(s.result, { email: SAM });
    });

    it("asks again, kindly, for empty boxes, odd values and a non-NHSmail address, without counting them", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      const rows: Array<[Record<string, unknown>, string]> = [
        [signIn("", ""), SIGN_IN_MISSING],
        [signIn(42, { a: 1 }), SIGN_IN_MISSING],
        [signIn("x".repeat(5000), SAM_TEMP), SIGN_IN_MISSING],
        [signIn(SAM, "y".repeat(5000)), SIGN_IN_MISSING],
        [signIn("sam.okafor@gmail.com", SAM_TEMP), SIGN_IN_NOT_NHSMAIL],
        [signIn("sam okafor", SAM_TEMP), SIGN_IN_NOT_NHSMAIL],
      ];
      for (let round = 0; round < 2; round++) {
        for (const [submission, message] of rows) assert.match(await s.say(submission), escape(message), JSON.stringify(submission).slice(0, 60));
      }
      assert.equal((await s.h.services.reset.throttles.check("identityFailed", SAM)).allowed, true);
      await s.send(signIn(SAM, SAM_TEMP));
      assert.deepEqual(s.result, { email: SAM });
    });

    it("stops on Cancel and links nothing", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      assert.equal(await s.say({ verb: Verb.CancelJourney }), CANCELLED_MESSAGE);
      assert.equal(await s.h.services.links.userOf(SAM), undefined);
    });

    it("a wrong password shows the card again with the typed address kept and the password box empty", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      const replies = await s.send(signIn(" Sam.Okafor@NHS.net ", "Welcome-Temp-2702"));
      assert.match(readable(replies), escape(SIGN_IN_WRONG));
      const boxes = inputs(replies);
      assert.deepEqual(
        boxes.map((b) => [b.id, b.style, b.value]),
        [
          ["email", "email", SAM],
          ["password", "password", undefined],
        ],
        "the address as read, the password box empty",
      );
      assert.ok(!JSON.stringify(replies).includes("Welcome-Temp-2702"), "the password is never echoed");
      await s.send(signIn(SAM, SAM_TEMP));
      assert.deepEqual(s.result, { email: SAM }, "only the password needed typing again");
    });

    it("keeps what isn't secret on every refusal: an address is kept, a password typed in the address box is not", async () => {
      s = await Session.start((f) => new SignInDialog(f));
      await s.send("hi");
      const rows: Array<[Record<string, unknown>, string, unknown]> = [
        [signIn(SAM, ""), SIGN_IN_MISSING, SAM],
        [signIn("sam.okafor@gmail.com", SAM_TEMP), SIGN_IN_NOT_NHSMAIL, "sam.okafor@gmail.com"],
        [signIn("Harbour-Quill-Meadow-5", SAM_TEMP), SIGN_IN_NOT_NHSMAIL, undefined],
        [signIn("x".repeat(5000), SAM_TEMP), SIGN_IN_MISSING, undefined],
      ];
      for (const [submission, message, kept] of rows) {
        const replies = await s.send(submission);
        assert.match(readable(replies), escape(message));
        assert.equal(inputs(replies).find((b) => b.id === "email")?.value, kept, JSON.stringify(submission).slice(0, 60));
        assert.equal(inputs(replies).find((b) => b.id === "password")?.value, undefined, "the password box is always empty");
      }
      assert.ok(!JSON.stringify(s.transcript).includes("Harbour-Quill-Meadow-5"), "text that isn't an address is not echoed");
    });
  });

  describe("ChangePasswordDialog", () => {
    const temporary = (f: FirstLoginServices): Dialog => new ChangePasswordDialog(f);

    it("shows three masked boxes and the policy checklist", async () => {
      s = await Session.start(temporary, { email: SAM, reason: "temporary" });
      const replies = await s.send("hi");
      assert.deepEqual(
        inputs(replies).map((b) => [b.id, b.style]),
        [
          ["oldPassword", "password"],
          ["newPassword", "password"],
          ["confirmPassword", "password"],
        ],
      );
      const text = readable(replies);
      assert.match(text, /Change your temporary password/);
      assert.match(text, /• At least 10 characters/);
      assert.match(text, /• Not based on your name, email address or organisation/);
      assert.match(text, /• No '£' sign/);
      assert.match(text, /• Not a password that has appeared in a data breach/);
    });

    it("temporary: changes it, the temporary password stops working, and says what to do next", async () => {
      s = await Session.start(temporary, { email: SAM, reason: "temporary" });
      await s.send("hi");
      const text = await s.say(change(SAM_TEMP, GOOD));
      assert.match(text, /your temporary password no longer works/);
      assert.match(text, /Sign in at \*\*portal\.nhs\.net\*\* with your new password/);
      assert.match(text, /It lasts until Monday 22 November 2027 at 10:00am\./);
      assert.deepEqual(s.result, { changed: true, expiresAt: "2027-11-22T10:00:00.000Z" });
      assert.match(readable(s.updates.slice(-1)), /Password change submitted/);

      const account = await s.h.services.directory.findByEmail(SAM);
      assert.ok(account);
      assert.equal(account.temporaryPassword, false);
      assert.equal(await s.h.services.reset.hasher.verify(GOOD, account.passwordHash), true);
      assert.equal(await s.h.services.reset.hasher.verify(SAM_TEMP, account.passwordHash), false);
      const audit = await s.h.services.reset.audit.list({ email: SAM });
      assert.ok(audit.some((a) => a.type === "password.change" && a.outcome === "passed" && a.detail === "temporary"));

      s.use((f) => new SignInDialog(f));
      await s.send("hi");
      assert.match(await s.say(signIn(SAM, SAM_TEMP)), escape(SIGN_IN_WRONG), "the temporary password no longer signs in");
      await s.send(signIn(SAM, GOOD));
      assert.deepEqual(s.result, { email: SAM }, "the new one does");
    });

    it("refuses each problem with a clear message, marks the failed rule, and then accepts a good password", async () => {
      s = await Session.start(temporary, { email: SAM, reason: "temporary" });
      await s.send("hi");
      const boxes: Array<[Record<string, unknown>, string[]]> = [
        [change("", GOOD), [OLD_MISSING]],
        [change(SAM_TEMP, GOOD, `${GOOD}x`), [MISMATCH]],
        [change(SAM_TEMP, "", ""), [BOTH_BOXES]],
        [change(42, { a: 1 }, null), [OLD_MISSING, BOTH_BOXES]],
        [change("z".repeat(5000), "z".repeat(5000)), [OLD_MISSING, BOTH_BOXES]],
      ];
      for (const [submission, messages] of boxes) {
        const text = await s.say(submission);
        for (const message of messages) assert.match(text, escape(message));
      }
      assert.equal(await s.say(GOOD, { secret: true }).then((t) => t.split("\n")[0]), DONT_TYPE_PASSWORDS);

      const policy: Array<[string, RegExp, string]> = [
        ["Short-1", /Use at least 10 characters: add 3 more/, "At least 10 characters"],
        ["Lantern £ orbit gravy", /Don't use the '£' sign/, "No '£' sign"],
        ["Summer2019", /common word or pattern/, "Not a common password"],
        ["Qwerty12345", /appeared in a data breach/, "Not a password that has appeared in a data breach"],
        [SAM_TEMP, /You've used this password before/, "Not your current password"],
        ["SamOkafor2026", /your own name/, "Not based on your name, email address or organisation"],
      ];
      for (const [candidate, message, rule] of policy) {
        const replies = await s.send(change(SAM_TEMP, candidate));
        assert.match(readable(replies), message, candidate);
        assert.ok(
          elements(replies).some((e) => e.type === "TextBlock" && e.text?.startsWith(`✗ ${rule}`)),
          `${candidate}: the checklist marks "${rule}" failed`,
        );
      }
      // A password built on the person's name: the ✗ and the message name the same rule; the common-password line keeps its ✓.
      const personal = await s.send(change(SAM_TEMP, "SamOkafor2026"));
      const marks = elements(personal).filter((e) => e.type === "TextBlock" && /^[✓✗•] /.test(e.text ?? "")).map((e) => e.text ?? "");
      assert.deepEqual(marks.filter((line) => line.startsWith("✗")), ["✗ Not based on your name, email address or organisation"]);
      assert.ok(marks.some((line) => line.startsWith("✓ Not a common password")), marks.join(" | "));
      assert.match(readable(personal), /Don't use your own name, email address or organisation/);
      assert.match(await s.say(change(SAM_TEMP, GOOD)), /no longer works/);
      assert.equal((await s.h.services.directory.findByEmail(SAM))?.temporaryPassword, false);
    });

    it("counts a wrong current password against the account: the fifth blocks, and nothing changes", async () => {
      s = await Session.start(temporary, { email: SAM, reason: "temporary" });
      await s.send("hi");
      for (let attempt = 1; attempt <= 4; attempt++) assert.match(await s.say(change(`Wrong-Temp-${attempt}00`, GOOD)), escape(OLD_WRONG));
      const fifth = await s.send(change("Wrong-Temp-500", GOOD));
      assert.match(readable(fifth), escape(BLOCKED_MESSAGE));
      assert.deepEqual(s.result, { changed: false });
      const account = await s.h.services.directory.findByEmail(SAM);
      assert.ok(account?.temporaryPassword);
      assert.equal(await s.h.services.reset.hasher.verify(SAM_TEMP, account.passwordHash), true);

      s.use(temporary, { email: SAM, reason: "temporary" });
      assert.match(await s.say("hi"), escape(BLOCKED_MESSAGE), "still blocked when asked again");
      assert.deepEqual(s.result, { changed: false });
    });

    it("expiring: says to sign in again and update every device; the previous password cannot come back", async () => {
      s = await Session.start(temporary, { email: LENA, reason: "expiring" });
      assert.match(await s.say("hi"), /Change your password/);
      const text = await s.say(change(LENA_PASSWORD, GOOD));
      assert.match(text, /Your password has been changed\. It lasts until Monday 22 November 2027 at 10:00am\./);
      assert.match(text, /update it on every device where you use NHSmail: mail apps on your phone, Teams/);
      assert.doesNotMatch(text, /temporary/);

      s.use(temporary, { email: LENA, reason: "expiring" });
      await s.send("hi");
      assert.match(await s.say(change(GOOD, LENA_PASSWORD)), /You've used this password before/);
      assert.match(await s.say(change(GOOD, "Harbour-Quill-Meadow-5")), /It lasts until/);
    });
  });

  describe("the temporary password, typed once per journey (ChangePasswordDialog with a sign-in)", () => {
    /** The change card for Sam as the journey starts it after a sign-in: with the flag, never the password. */
    const afterSignIn = async (flag?: { passwordChangedAt: string }): Promise<Session> => {
      const session = await Session.start((f) => new ChangePasswordDialog(f), { email: SAM, reason: "temporary" });
      const account = await session.h.services.directory.findByEmail(SAM);
      assert.ok(account);
      session.use((f) => new ChangePasswordDialog(f), { email: SAM, reason: "temporary", signedIn: flag ?? { passwordChangedAt: account.passwordChangedAt } });
      return session;
    };

    it("after a sign-in in this journey: only the new password, twice, and it changes", async () => {
      s = await afterSignIn();
      const replies = await s.send("hi");
      assert.deepEqual(
        inputs(replies).map((b) => [b.id, b.style]),
        [
          ["newPassword", "password"],
          ["confirmPassword", "password"],
        ],
        "no current-password box",
      );
      assert.match(readable(replies), /already signed in with your temporary password here, so there's no need to type it again/);
      assert.doesNotMatch(readable(replies), /Current password/);

      const failed = await s.send(change(undefined, "Short-1"));
      assert.deepEqual(inputs(failed).map((b) => b.id), ["newPassword", "confirmPassword"], "not asked for after a policy failure either");
      assert.doesNotMatch(readable(failed), escape(OLD_MISSING));

      assert.match(await s.say(change(undefined, GOOD)), /your temporary password no longer works/);
      assert.deepEqual(s.result, { changed: true, expiresAt: "2027-11-22T10:00:00.000Z" });
      const account = await s.h.services.directory.findByEmail(SAM);
      assert.equal(account?.temporaryPassword, false);
      assert.equal(await s.h.services.reset.hasher.verify(GOOD, account?.passwordHash ?? ""), true);
    });

    it("a current password sent anyway is neither read nor counted", async () => {
      s = await afterSignIn();
      await s.send("hi");
      assert.match(await s.say(change("Wrong-Temp-100", GOOD)), /no longer works/);
      const audit = await s.h.services.reset.audit.list({ email: SAM });
      assert.ok(!audit.some((a) => a.type === "password.change" && a.outcome === "failed"), "no failed proof recorded");
    });

    it("if the password changed after the sign-in, the sign-in no longer counts: the current password is asked for", async () => {
      s = await afterSignIn({ passwordChangedAt: "2026-01-01T00:00:00.000Z" });
      await s.send("hi");
      const replies = await s.send(change(undefined, GOOD));
      assert.match(readable(replies), escape(CHANGED_SINCE_SIGN_IN));
      assert.deepEqual(inputs(replies).map((b) => b.id), ["oldPassword", "newPassword", "confirmPassword"], "the current-password box is back");
      assert.equal((await s.h.services.directory.findByEmail(SAM))?.temporaryPassword, true, "nothing changed");
      assert.match(await s.say(change("Wrong-Temp-100", GOOD)), escape(OLD_WRONG), "and it is checked again");
      assert.match(await s.say(change(SAM_TEMP, GOOD)), /no longer works/);
    });
  });

  describe("FirstLoginDialog: the temporary password is typed once per journey", () => {
    const journey = (f: FirstLoginServices): Dialog => new FirstLoginDialog(f);

    it("signed in with it in this journey: the change card asks only for the new password, and nothing of it is kept", async () => {
      s = await Session.start(journey);
      assert.deepEqual(inputs(await s.send("I'm a new user")).map((b) => b.id), ["email", "password"]);
      const replies = await s.send(signIn(SAM, SAM_TEMP));
      assert.match(readable(replies), /Your first NHSmail login/, "the checklist");
      assert.deepEqual(inputs(replies).map((b) => b.id), ["newPassword", "confirmPassword"], "the temporary password is not asked for again");

      const failed = await s.send(change(undefined, "Summer2019"));
      assert.match(readable(failed), /common word or pattern/);
      assert.deepEqual(inputs(failed).map((b) => b.id), ["newPassword", "confirmPassword"], "nor after a policy failure");

      const done = await s.send(change(undefined, GOOD));
      assert.match(readable(done), /your temporary password no longer works/);
      assert.match(readable(done), /Acceptable Use Policy/, "on to the next task");
      assert.equal((await s.h.services.directory.findByEmail(SAM))?.temporaryPassword, false);
      // The leak check after each test proves the temporary password is not in dialog state, the log or anywhere else.
    });

    it("linked but not signed in in this journey (a proactive checklist, an expiry reminder): the current password is asked for", async () => {
      s = await Session.start(journey);
      await s.send("I'm a new user");
      await s.send(signIn(LENA, LENA_PASSWORD));
      await s.send({ verb: Verb.CancelJourney });

      s.use(journey, { changePassword: true });
      const expiring = await s.send("hi");
      assert.deepEqual(inputs(expiring).map((b) => b.id), ["oldPassword", "newPassword", "confirmPassword"], "a new journey: the sign-in before doesn't count");
      assert.match(readable(expiring), /Type your current password, then choose a new one/);
      await s.send({ verb: Verb.CancelJourney });

      s.use(journey, { task: "aup" });
      assert.doesNotMatch(await s.say("hi"), /Sign in to get started/, "known by the link, no sign-in");
    });

    it("a person already linked, pressing the checklist's button in a later journey, is asked for the temporary password", async () => {
      s = await Session.start(journey);
      await s.send("I'm a new user");
      await s.send(signIn(SAM, SAM_TEMP));
      await s.send({ verb: Verb.CancelJourney });

      s.use(journey, { task: "password" });
      const replies = await s.send("hi");
      assert.deepEqual(inputs(replies).map((b) => b.id), ["oldPassword", "newPassword", "confirmPassword"]);
      assert.match(readable(replies), /Type the temporary password your local administrator gave you/);
      assert.match(await s.say(change("Wrong-Temp-100", GOOD)), escape(OLD_WRONG), "and it is checked");
      assert.match(await s.say(change(SAM_TEMP, GOOD)), /no longer works/);
    });
  });

  describe("AcceptAupDialog", () => {
    const aup = (f: FirstLoginServices): Dialog => new AcceptAupDialog(f);

    it("shows the summary, a link to the full policy and its version, with Accept and Not now", async () => {
      s = await Session.start(aup, { email: LENA });
      const replies = await s.send("hi");
      const text = readable(replies);
      for (const line of AUP_SUMMARY) assert.match(text, escape(line));
      assert.match(text, escape(AUP_VERSION));
      const actions = elements(replies).filter((e) => e.type?.startsWith("Action."));
      assert.deepEqual(
        actions.map((a) => [a.type, a.title, a.url ?? a.data?.verb]),
        [
          ["Action.OpenUrl", "Read the full policy", AUP_URL],
          ["Action.Submit", "Accept", Verb.AcceptAup],
          ["Action.Submit", "Not now", Verb.DeferAup],
        ],
      );
    });

    it("Accept records the time and version, and says when email will work", async () => {
      s = await Session.start(aup, { email: LENA });
      s.h.now = Date.parse("2026-11-22T12:35:00Z"); // 12:35pm in London in November
      await s.send("hi");
      const replies = await s.send({ verb: Verb.AcceptAup });
      const text = readable(replies);
      assert.match(
        text,
        escape("You can't send email until your account has synchronised: allow up to 2 hours (until about 2:35pm). Please don't contact the helpdesk about sending email before then."),
      );
      assert.deepEqual(s.result, { done: true });

      const account = await s.h.services.directory.findByEmail(LENA);
      assert.equal(account?.aupAcceptedAt, "2026-11-22T12:35:00.000Z");
      assert.equal(account.aupVersion, AUP_VERSION);
      const audit = await s.h.services.reset.audit.list({ email: LENA });
      assert.ok(audit.some((a) => a.type === "firstLogin.aup" && a.outcome === "passed"));
      assert.match(readable(s.updates.slice(-1)), /Acceptable Use Policy accepted/);
      assert.match(readable(s.updates.slice(-1)), /accepted on Sunday 22 November 2026 at 12:35pm/);
    });

    it("schedules the follow-up for when synchronisation should be done", async () => {
      s = await Session.start(aup, { email: LENA });
      const ran: unknown[] = [];
      s.h.services.jobs.handle(JobKind.SyncFollowUp, (payload: unknown) => {
        ran.push(payload);
        return Promise.resolve();
      });
      const acceptedAt = s.h.now;
      await s.send("hi");
      await s.send({ verb: Verb.AcceptAup });
      s.h.now = acceptedAt + 119 * 60_000;
      assert.equal((await s.h.services.jobs.runDue()).ran, 0, "not before the window ends");
      s.h.now = acceptedAt + 120 * 60_000;
      assert.equal((await s.h.services.jobs.runDue()).ran, 1);
      assert.deepEqual(ran, [{ email: LENA }]);
    });

    it("Not now leaves it for later, kindly, and records nothing", async () => {
      s = await Session.start(aup, { email: LENA });
      await s.send("hi");
      assert.equal(await s.say({ verb: Verb.DeferAup }), AUP_LATER);
      assert.deepEqual(s.result, { done: false });
      assert.equal((await s.h.services.directory.findByEmail(LENA))?.aupAcceptedAt, undefined);
    });

    it("points to the buttons when something is typed, and accepts nothing typed", async () => {
      s = await Session.start(aup, { email: LENA });
      await s.send("hi");
      const replies = await s.send("I accept");
      assert.equal(replies[0]?.text, USE_AUP_BUTTONS);
      assert.ok(elements(replies).some((e) => e.title === "Accept"), "the card again");
      assert.equal((await s.h.services.directory.findByEmail(LENA))?.aupAcceptedAt, undefined);
    });
  });

  describe("UpdateProfileDialog", () => {
    const profile = (f: FirstLoginServices): Dialog => new UpdateProfileDialog(f);
    const SECRET = "Copper kettle 42";
    const form = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
      verb: Verb.SubmitProfile,
      displayName: "Sam Okafor",
      jobTitle: "Staff Nurse",
      department: "Ward 14",
      organisation: "Leeds Teaching Hospitals NHS Trust",
      workPhone: "0113 243 3144",
      accountSecret: SECRET,
      confirmSecret: SECRET,
      ...changes,
    });
    const valueOf = (replies: Sent[], id: string): unknown => inputs(replies).find((b) => b.id === id)?.value;

    it("shows the form prefilled from the account, with the account secret in two masked, empty boxes", async () => {
      s = await Session.start(profile, { email: SAM });
      const replies = await s.send("hi");
      assert.equal(valueOf(replies, "displayName"), "Sam Okafor");
      assert.equal(valueOf(replies, "organisation"), "Leeds Teaching Hospitals NHS Trust");
      assert.equal(valueOf(replies, "jobTitle"), "");
      const secrets = inputs(replies).filter((b) => b.id === "accountSecret" || b.id === "confirmSecret");
      assert.deepEqual(
        secrets.map((b) => [b.style, b.value]),
        [
          ["password", undefined],
          ["password", undefined],
        ],
      );
      assert.match(readable(replies), /the helpdesk will ask for to check it's you/);
    });

    it("saves the profile, trimmed, and keeps the account secret only as a hash", async () => {
      s = await Session.start(profile, { email: SAM });
      await s.send("hi");
      const text = await s.say(form({ displayName: "  Sam Okafor ", jobTitle: " Staff Nurse", accountSecret: ` ${SECRET}`, confirmSecret: SECRET }));
      assert.equal(text, PROFILE_SAVED);
      assert.deepEqual(s.result, { done: true });
      assert.match(readable(s.updates.slice(-1)), /Profile submitted/);
      assert.equal(inputs(s.updates.slice(-1)).length, 0);

      const account = await s.h.services.directory.findByEmail(SAM);
      assert.ok(account?.accountSecretHash);
      assert.equal(account.displayName, "Sam Okafor");
      assert.equal(account.jobTitle, "Staff Nurse");
      assert.equal(account.department, "Ward 14");
      assert.equal(account.workPhone, "0113 243 3144");
      assert.equal(account.profileUpdatedAt, new Date(s.h.now).toISOString());
      assert.match(account.accountSecretHash, /^\$scrypt\$/);
      assert.equal(await s.h.services.reset.hasher.verify(SECRET, account.accountSecretHash), true);
      const stored = await s.h.store.storage.read([`directory/${SAM}`]);
      assert.ok(!JSON.stringify(stored).includes(SECRET), "the stored account holds no secret in clear");
      const audit = await s.h.services.reset.audit.list({ email: SAM });
      assert.ok(audit.some((a) => a.type === "firstLogin.profile" && a.outcome === "passed"));
    });

    it("takes an empty work phone as none", async () => {
      s = await Session.start(profile, { email: KOFI });
      await s.send("hi");
      assert.equal(await s.say(form({ displayName: "Kofi Mensah", organisation: "Castle Street Pharmacy", workPhone: "", jobTitle: "Pharmacist" })), PROFILE_SAVED);
      const account = await s.h.services.directory.findByEmail(KOFI);
      assert.ok(account);
      assert.equal(account.workPhone, undefined);
      assert.equal(account.jobTitle, "Pharmacist");
    });

    it("lists every problem at once, keeps what was typed, and never refills the secret boxes", async () => {
      s = await Session.start(profile, { email: SAM });
      await s.send("hi");
      const replies = await s.send(
        form({ displayName: "", jobTitle: "N", department: "D".repeat(101), organisation: "Leeds\u0007Trust", workPhone: "12345", accountSecret: "Bluebell-Sky-7", confirmSecret: "Bluebell-Sky-8" }),
      );
      const text = readable(replies);
      for (const message of [
        "Type your name.",
        "Your job title needs at least 2 characters.",
        "Your department can be at most 100 characters.",
        "Your organisation can't contain tabs, line breaks or other hidden characters.",
        BAD_PHONE,
        SECRET_MISMATCH,
      ]) {
        assert.match(text, escape(message));
      }
      assert.equal(valueOf(replies, "jobTitle"), "N");
      assert.equal(valueOf(replies, "workPhone"), "12345");
      assert.equal(valueOf(replies, "accountSecret"), undefined);
      assert.equal(valueOf(replies, "confirmSecret"), undefined);
      assert.equal((await s.h.services.directory.findByEmail(SAM))?.profileUpdatedAt, undefined, "nothing saved");
    });

    it("says what is wrong with each field, one at a time, and then saves", async () => {
      s = await Session.start(profile, { email: SAM });
      await s.send("hi");
      const rows: Array<[Record<string, unknown>, string]> = [
        [{ displayName: "   " }, "Type your name."],
        [{ jobTitle: 42 }, "Type your job title."],
        [{ department: "D" }, "Your department needs at least 2 characters."],
        [{ organisation: "O".repeat(151) }, "Your organisation can be at most 150 characters."],
        [{ displayName: "Sam\nOkafor" }, "Your name can't contain tabs, line breaks or other hidden characters."],
        [{ jobTitle: "Nurse \u202Eesrun" }, "Your job title can't contain tabs, line breaks or other hidden characters."],
        [{ workPhone: "0113 243" }, BAD_PHONE],
        [{ workPhone: "+1 212 555 0100" }, BAD_PHONE],
        [{ workPhone: "call my mobile" }, BAD_PHONE],
        [{ accountSecret: "", confirmSecret: "" }, SECRET_MISSING],
        [{ accountSecret: undefined, confirmSecret: undefined }, SECRET_MISSING],
        [{ accountSecret: "Heron", confirmSecret: "Heron" }, SECRET_LENGTH_WRONG],
        [{ accountSecret: "q".repeat(65), confirmSecret: "q".repeat(65) }, SECRET_LENGTH_WRONG],
        [{ accountSecret: "Copper\tkettle", confirmSecret: "Copper\tkettle" }, SECRET_HIDDEN],
        [{ confirmSecret: "Copper kettle 43" }, SECRET_MISMATCH],
        [{ accountSecret: "Okafor-rocks", confirmSecret: "Okafor-rocks" }, SECRET_PERSONAL],
        [{ accountSecret: "my S-A-M secret", confirmSecret: "my S-A-M secret" }, SECRET_PERSONAL],
        [{ accountSecret: `mail ${SAM}`, confirmSecret: `mail ${SAM}` }, SECRET_PERSONAL],
        [{ accountSecret: SAM_TEMP, confirmSecret: SAM_TEMP }, SECRET_IS_PASSWORD],
      ];
      for (const [changes, message] of rows) {
        const replies = await s.send(form(changes));
        const problems = elements(replies).filter((e) => e.type === "TextBlock" && e.text?.startsWith("• "));
        assert.deepEqual(
          problems.map((p) => p.text),
          [`• ${message}`],
          JSON.stringify(changes).slice(0, 60),
        );
      }
      assert.equal((await s.h.services.directory.findByEmail(SAM))?.profileUpdatedAt, undefined, "nothing saved");
      assert.equal(await s.say(form()), PROFILE_SAVED);
    });

    it("asks for the card rather than the chat, keeps nothing typed, and stops on Cancel", async () => {
      s = await Session.start(profile, { email: SAM });
      await s.send("hi");
      const replies = await s.send("Copper kettle 99", { secret: true });
      assert.equal(replies[0]?.text, USE_PROFILE_CARD);
      assert.equal(valueOf(replies, "displayName"), "Sam Okafor", "the form again");
      assert.equal(await s.say({ verb: Verb.CancelJourney }), CANCELLED_MESSAGE);
      assert.equal((await s.h.services.directory.findByEmail(SAM))?.accountSecretHash, undefined);
    });
  });
});
