import assert from "node:assert/strict";
import { cardElements as elements, readableText as readable } from "../support/card-elements";
import { ConversationState, MemoryStorage } from "botbuilder";
import type { Activity, Middleware } from "botbuilder";
import { DialogTestClient } from "botbuilder-testing";
import { DialogTurnStatus } from "botbuilder-dialogs";
import { PNG } from "pngjs";
import { ResetHarness } from "../support/reset-harness";
import { latestCode, readOutbox } from "../support/outbox";
import { Verb } from "../../cards/verbs";
import { currentTotp, otpauthUri } from "../../src/verification/totp";
import { mfaRequirement } from "../../src/first-login/mfa-rule";
import { EnrolMfaDialog, ALREADY_ENROLLED, CHOOSE_MFA_METHOD } from "../../dialogs/enrol-mfa-dialog";
import { APP_CODE_WRONG, APP_ENROLLED, NOT_AN_APP_CODE, TYPED_CODE_WRONG } from "../../dialogs/mfa-app-dialog";
import { ASK_MOBILE, LANDLINE, NOT_A_UK_MOBILE, SMS_CODE_EXPIRED, SMS_CODE_WRONG, USE_ANOTHER, USE_REGISTERED } from "../../dialogs/mfa-sms-dialog";
import { AppCodeDialog, APP_CODE_WRONG as RESET_APP_CODE_WRONG } from "../../dialogs/app-code-dialog";
import { BLOCKED_MESSAGE } from "../../dialogs/reset-services";
import { CANCELLED_MESSAGE } from "../../dialogs/base-dialog";

const SAM = "sam.okafor@nhs.net"; // new, NHS Trust: required; mobile 07700 900789
const SAM_MOBILE = "+447700900789";
const KOFI = "kofi.mensah@nhs.net"; // new, Pharmacy managed by the NAS: optional
const TOM = "tom.evans@nhs.net"; // 2020, Social Care, no mobile, not enrolled: optional
const LENA = "lena.murphy@nhs.net"; // new, NHS Trust: required
const JANE = "jane.smith@nhs.net"; // enrolled with an app
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const app = { verb: Verb.ChooseMfaMethod, method: "app" };
const sms = { verb: Verb.ChooseMfaMethod, method: "sms" };
const code = (value: string): Record<string, unknown> => ({ verb: Verb.SubmitCode, code: value });

/** A reply as the person's client gets it. */
type Sent = Partial<Activity>;

/**
 * The enrolment on the harness's real services, with the dialog state in a storage whose every value the test can
 * read, and every card update recorded (the test adapter applies updates only to replies not yet read).
 */
class Enrolment {
  readonly memory: Record<string, string> = {};
  readonly updates: Sent[] = [];
  /** Everything the bot sent, in order. */
  readonly transcript: Sent[] = [];

  /** The Teams client every activity says it came from (a `clientInfo` entity); none when undefined. */
  platform: string | undefined;

  private constructor(readonly h: ResetHarness) {}

  static async start(email: string, platform?: string): Promise<Enrolment> {
    const h = await new ResetHarness().start({}, (s) => new EnrolMfaDialog(s.firstLogin), { email });
    const enrolment = new Enrolment(h);
    enrolment.platform = platform;
    const recorder: Middleware = {
      onTurn: async (context, next) => {
        context.onUpdateActivity(async (_context, activity, nextUpdate) => {
          enrolment.updates.push(activity);
          await nextUpdate();
        });
        await next();
      },
    };
    const state = new ConversationState(new MemoryStorage(enrolment.memory));
    h.client = new DialogTestClient("msteams", new EnrolMfaDialog(h.services.firstLogin), { email }, [recorder], state);
    return enrolment;
  }

  /** Sends text, or a card submission from the card with id `replyToId`; returns the replies. */
  async send(input: string | Record<string, unknown>, replyToId?: string): Promise<Sent[]> {
    const activity: Sent = typeof input === "string" ? { type: "message", text: input } : { type: "message", value: input, replyToId };
    if (this.platform) activity.entities = [{ type: "clientInfo", locale: "en-GB", platform: this.platform }];
    const replies: Sent[] = [];
    for (let reply = (await this.h.client.sendActivity(activity)) as Sent | undefined; reply; reply = this.h.client.getNextReply() as Sent | undefined) {
      replies.push(reply);
    }
    await this.h.services.drainMessages();
    this.transcript.push(...replies);
    return replies;
  }

  /** What a person reads in the replies to `input`. */
  async say(input: string | Record<string, unknown>, replyToId?: string): Promise<string> {
    return readable(await this.send(input, replyToId));
  }

  /** The dialog's result, once it has ended. */
  get result(): unknown {
    const turn = this.h.client.dialogTurnResult;
    assert.equal(turn.status, DialogTurnStatus.complete, "the dialog has ended");
    return turn.result as unknown;
  }

  /** Every value in stored dialog state, as text. */
  storedState(): string {
    return JSON.stringify(this.memory);
  }
}


/** The authenticator card in the replies: its activity id, QR image and key. */
function appCard(replies: Sent[]): { id: string; image: string; key: string } {
  const reply = replies.find((r) => elements([r]).some((e) => e.type === "Image"));
  assert.ok(reply?.id, "an authenticator card was sent");
  const image = elements([reply]).find((e) => e.type === "Image")?.url ?? "";
  const key = elements([reply]).find((e) => e.type === "TextBlock" && e.fontType === "Monospace")?.text ?? "";
  return { id: reply.id, image, key };
}

/** A 6-digit code the app does not show now, nor 30 seconds either side. */
function wrongCode(key: string, at: number): string {
  const near = new Set([-30_000, 0, 30_000].map((d) => currentTotp(key, new Date(at + d))));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, "0");
    if (!near.has(candidate)) return candidate;
  }
}

const escape = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

describe("MFA enrolment (EnrolMfaDialog on the real services)", function () {
  this.timeout(30_000);
  let e: Enrolment;
  afterEach(() => e?.h.stop());

  describe("the choice", () => {
    const kinds = [
      { email: SAM, required: true, why: /MFA is required for your account: until you enrol, you'll be asked at every login\./ },
      { email: LENA, required: true, why: /MFA is required for your account/ },
      { email: KOFI, required: false, why: /MFA is optional for Pharmacy users managed by the National Administration Service/ },
      { email: TOM, required: false, why: /MFA is optional for your account \(created before 5 October 2023\)/ },
    ];
    for (const kind of kinds) {
      it(`says MFA is ${kind.required ? "required" : "optional"} for ${kind.email}, and why`, async () => {
        e = await Enrolment.start(kind.email);
        const replies = await e.send("hi");
        const text = readable(replies);
        assert.match(text, kind.required ? /Required for your account/ : /Optional for your account/);
        assert.doesNotMatch(text, kind.required ? /Optional for your account/ : /Required for your account/);
        assert.match(text, kind.why);
        const account = await e.h.services.directory.findByEmail(kind.email);
        assert.ok(account);
        assert.equal(mfaRequirement(account).required, kind.required);
      });
    }

    it("offers the app (recommended), text messages and Cancel, each with its verb", async () => {
      e = await Enrolment.start(SAM);
      const buttons = elements(await e.send("hi")).filter((x) => x.type === "Action.Submit");
      assert.deepEqual(
        buttons.map((b) => [b.title, b.data]),
        [
          ["Authenticator app (recommended)", app],
          ["Text message to my mobile", sms],
          ["Cancel", { verb: Verb.CancelJourney }],
        ],
      );
    });

    it("says so when the account is already enrolled, and the task is done", async () => {
      e = await Enrolment.start(JANE);
      assert.equal(await e.say("hi"), ALREADY_ENROLLED);
      assert.deepEqual(e.result, { done: true });
    });

    it("asks again kindly for something that is not a choice, and reads a typed one", async () => {
      e = await Enrolment.start(SAM);
      await e.say("hi");
      assert.equal(await e.say("what?"), CHOOSE_MFA_METHOD);
      assert.match(await e.say("by text please"), /Which mobile should I text your codes to\?/);
    });

    it("stops on Cancel and changes nothing", async () => {
      e = await Enrolment.start(SAM);
      await e.say("hi");
      assert.equal(await e.say({ verb: Verb.CancelJourney }), CANCELLED_MESSAGE);
      assert.equal((await e.h.services.directory.findByEmail(SAM))?.mfaEnrolledAt, undefined);
    });
  });

  describe("authenticator app", () => {
    /** Goes as far as the QR code card. */
    async function toAppCard(email = SAM): Promise<{ id: string; image: string; key: string }> {
      e = await Enrolment.start(email);
      await e.say("hi");
      return appCard(await e.send(app));
    }

    it("enrols with the first code from the app, then replaces the card so the key does not stay in the chat", async () => {
      const card = await toAppCard();
      assert.match(card.key, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, "the key, in groups of four");
      const reply = await e.say(code(currentTotp(card.key, new Date(e.h.now))), card.id);
      assert.match(reply, escape(APP_ENROLLED));
      assert.deepEqual(e.result, { done: true });

      const account = await e.h.services.directory.findByEmail(SAM);
      assert.ok(account?.totpSecretEncrypted);
      assert.equal(account.mfaMethod, "app");
      assert.equal(account.mfaEnrolledAt, new Date(e.h.now).toISOString());
      assert.equal(e.h.services.directory.totpSecretOf(account), card.key.replace(/ /g, ""), "the key shown is the one enrolled");
      const audit = await e.h.services.reset.audit.list({ email: SAM });
      assert.ok(audit.some((a) => a.type === "mfa.enrolled" && a.outcome === "passed" && a.detail === "app"));

      const last = e.updates.filter((u) => u.id === card.id).at(-1);
      assert.ok(last, "the QR code card was replaced");
      const shown = JSON.stringify(last);
      assert.match(readable([last]), /Authenticator app set up/);
      assert.ok(!shown.includes("data:image/png") && !shown.includes(card.key) && !shown.includes(card.key.replace(/ /g, "")), "neither QR code nor key");
    });

    it("shows a QR code of the otpauth URI as a PNG data URI, and the URI only as the button's link, never as text", async () => {
      const card = await toAppCard();
      assert.match(card.image, /^data:image\/png;base64,/);
      const png = Buffer.from(card.image.slice(card.image.indexOf(",") + 1), "base64");
      assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
      const decoded = PNG.sync.read(png);
      assert.ok(decoded.width >= 100 && decoded.width === decoded.height, "a square image big enough to scan");
      const uri = otpauthUri(card.key, SAM);
      assert.equal(card.image, await e.h.services.firstLogin.qrCode(uri), "the image is the QR code of the otpauth URI for the key shown");
      assert.match(uri, /^otpauth:\/\/totp\/NHSmail:sam\.okafor%40nhs\.net\?/);

      await e.say(code(currentTotp(card.key, new Date(e.h.now))), card.id);
      const everything = JSON.stringify([...e.transcript, ...e.updates]);
      const raw = card.key.replace(/ /g, "");
      const links = [...e.transcript, ...e.updates].flatMap((r) => elements([r])).filter((x) => x.type === "Action.OpenUrl" && x.url?.startsWith("otpauth:"));
      assert.deepEqual(links.map((l) => l.url), [uri], "the URI is the link of one button, the one that opens the app");
      assert.equal(everything.split("otpauth").length - 1, 1, "and is sent nowhere else: no text, no message");
      assert.ok(!everything.split(uri).join("").includes(raw), "the key is never sent unspaced, but in the button's link");
      assert.equal(everything.split(card.key).length - 1, 1, "the key is shown once, on the card");
    });

    it("never keeps the key in clear: not in dialog state, the directory, the audit log, the log or the outbox", async () => {
      const card = await toAppCard();
      const raw = card.key.replace(/ /g, "");
      const secrets = [raw, card.key, "otpauth", "data:image/png"];
      const before = e.storedState();
      assert.ok(before.length > 100, "the dialog state is stored");
      for (const s of secrets) assert.ok(!before.includes(s), `dialog state while waiting holds no ${s.slice(0, 8)}…`);

      await e.say(code(wrongCode(card.key, e.h.now)), card.id);
      await e.say(code(currentTotp(card.key, new Date(e.h.now))), appCard(e.transcript.slice(-1)).id);
      const account = await e.h.services.directory.findByEmail(SAM);
      const audit = await e.h.services.reset.audit.list();
      const stored = [e.storedState(), JSON.stringify(account), JSON.stringify(audit), e.h.log.text, JSON.stringify(readOutbox(e.h.outbox))];
      for (const text of stored) for (const s of secrets) assert.ok(!text.includes(s), `no ${s.slice(0, 8)}… in ${text.slice(0, 40)}`);
    });

    it("a wrong code: says so, clears the submitted card, shows the same key again, then a right code works", async () => {
      const card = await toAppCard();
      const replies = await e.send(code(wrongCode(card.key, e.h.now)), card.id);
      assert.match(readable(replies), escape(APP_CODE_WRONG));
      const again = appCard(replies);
      assert.equal(again.key, card.key, "the same key, in case the app already has it");
      assert.match(readable(e.updates.filter((u) => u.id === card.id)), /Code submitted/);
      assert.ok(!JSON.stringify(e.updates).includes(card.key), "the submitted card no longer shows the key");
      assert.equal((await e.h.services.directory.findByEmail(SAM))?.mfaEnrolledAt, undefined, "not enrolled on a wrong code");
      const audit = await e.h.services.reset.audit.list({ email: SAM });
      assert.ok(audit.some((a) => a.type === "mfa.code" && a.outcome === "failed"));

      assert.match(await e.say(code(currentTotp(card.key, new Date(e.h.now))), again.id), escape(APP_ENROLLED));
      assert.ok(e.updates.some((u) => u.id === again.id && readable([u]).includes("Authenticator app set up")));
    });

    it("something that is not a code: a kind message, and it does not count as an attempt", async () => {
      let card = await toAppCard();
      for (let i = 0; i < 6; i += 1) {
        const replies = await e.send(code("12ab"), card.id);
        assert.match(readable(replies), escape(NOT_AN_APP_CODE));
        card = appCard(replies);
      }
      assert.match(await e.say(code(currentTotp(card.key, new Date(e.h.now))), card.id), escape(APP_ENROLLED));
    });

    it("accepts the code typed in the chat, and still removes the card with the key", async () => {
      const card = await toAppCard();
      assert.equal(await e.say(wrongCode(card.key, e.h.now)), TYPED_CODE_WRONG);
      assert.match(await e.say(currentTotp(card.key, new Date(e.h.now))), escape(APP_ENROLLED));
      assert.ok(e.updates.some((u) => u.id === card.id && readable([u]).includes("Authenticator app set up")));
    });

    it("blocks after five wrong codes, even when the sixth is right, and does not enrol", async () => {
      let card = await toAppCard();
      for (let i = 0; i < 5; i += 1) card = appCard(await e.send(code(wrongCode(card.key, e.h.now)), card.id));
      assert.match(await e.say(code(currentTotp(card.key, new Date(e.h.now))), card.id), escape(BLOCKED_MESSAGE));
      assert.deepEqual(e.result, { done: false });
      assert.equal((await e.h.services.directory.findByEmail(SAM))?.mfaEnrolledAt, undefined);
    });

    /** The card's paths in order, the button's link, the QR image and the key, as the person sees them. */
    const layout = (replies: Sent[]): { order: string[]; link?: string; image: number; button: number; key: string; masked: boolean } => {
      const found = elements(replies);
      const index = (test: (x: (typeof found)[number]) => boolean): number => found.findIndex(test);
      return {
        order: found.filter((x) => x.type === "TextBlock" && /^I'm (on my phone|at a computer)$/.test(x.text ?? "")).map((x) => x.text ?? ""),
        link: found.find((x) => x.type === "Action.OpenUrl")?.url,
        image: index((x) => x.type === "Image"),
        button: index((x) => x.type === "Action.OpenUrl"),
        key: found.find((x) => x.type === "TextBlock" && x.fontType === "Monospace")?.text ?? "",
        masked: found.some((x) => x.type === "Input.Text" && x.id === "code" && x.style === "password"),
      };
    };

    for (const platform of ["android", "ios"]) {
      it(`on a phone (Teams for ${platform}): "I'm on my phone" comes first, with a button that opens the authenticator app, then the QR code`, async () => {
        e = await Enrolment.start(SAM, platform);
        await e.say("hi");
        const replies = await e.send(app);
        const card = layout(replies);
        assert.deepEqual(card.order, ["I'm on my phone", "I'm at a computer"]);
        assert.ok(card.button >= 0 && card.image > card.button, "the button before the QR code");
        assert.match(card.key, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, "the key, in groups of four");
        assert.equal(card.link, otpauthUri(card.key.replace(/ /g, ""), SAM), "the button opens the otpauth link of the key shown");
        assert.ok(card.masked, "the first code still goes in a masked box");
        assert.match(readable(replies), /Tap the button: it opens your authenticator app/);
        assert.ok(!e.storedState().includes("otpauth") && !e.storedState().includes(card.key.replace(/ /g, "")), "the secret stays sealed in dialog state");

        const id = appCard(replies).id;
        assert.match(await e.say(code(currentTotp(card.key, new Date(e.h.now))), id), escape(APP_ENROLLED));
        const last = e.updates.filter((u) => u.id === id).at(-1);
        assert.ok(last && !JSON.stringify(last).includes("otpauth"), "the button goes with the key once the app is set up");
        assert.ok(!e.h.log.text.includes("otpauth") && !e.h.log.text.includes(card.key.replace(/ /g, "")), "nothing of it is logged");
      });
    }

    for (const platform of ["web", "windows", "mac", undefined]) {
      it(`at a computer (${platform ?? "no client info"}): the QR code comes first, and the phone's way is still offered`, async () => {
        e = await Enrolment.start(SAM, platform);
        await e.say("hi");
        const card = layout(await e.send(app));
        assert.deepEqual(card.order, ["I'm at a computer", "I'm on my phone"]);
        assert.ok(card.image >= 0 && card.button > card.image, "the QR code before the button");
        assert.equal(card.link, otpauthUri(card.key.replace(/ /g, ""), SAM));
        assert.ok(card.masked);
      });
    }

    it("a wrong code on a phone draws the card again the phone's way", async () => {
      e = await Enrolment.start(SAM, "android");
      await e.say("hi");
      const first = appCard(await e.send(app));
      const again = await e.send(code(wrongCode(first.key, e.h.now)), first.id);
      assert.match(readable(again), escape(APP_CODE_WRONG));
      assert.deepEqual(layout(again).order, ["I'm on my phone", "I'm at a computer"]);
      assert.equal(layout(again).key, first.key, "the same key");
    });

    it("the code that enrolled cannot be replayed to prove who you are; the app's next code can", async () => {
      const card = await toAppCard();
      const first = currentTotp(card.key, new Date(e.h.now));
      await e.say(code(first), card.id);
      assert.deepEqual(e.result, { done: true });

      const reset = new DialogTestClient("msteams", new AppCodeDialog(e.h.services.reset), { email: SAM });
      const ask = async (text: string): Promise<string> => {
        const replies: Sent[] = [];
        for (let r = (await reset.sendActivity({ type: "message", text })) as Sent | undefined; r; r = reset.getNextReply() as Sent | undefined) replies.push(r);
        return readable(replies);
      };
      await ask("hi");
      assert.match(await ask(first), escape(RESET_APP_CODE_WRONG), "the same code, seconds later, is refused");
      e.h.now += 30_000;
      await ask(currentTotp(card.key, new Date(e.h.now)));
      assert.equal(reset.dialogTurnResult.status, DialogTurnStatus.complete);
      assert.equal(reset.dialogTurnResult.result, true, "the newly enrolled app proves who you are");
    });
  });

  describe("text message", () => {
    it("to the registered mobile, offered by its masked hint", async () => {
      e = await Enrolment.start(SAM);
      await e.say("hi");
      const [offer] = await e.send(sms);
      assert.match(offer.text ?? "", /\*\*\*\*\*89 registered/);
      assert.deepEqual(offer.suggestedActions?.actions.map((a) => a.title), ["Use *****89", USE_ANOTHER]);
      assert.doesNotMatch(JSON.stringify(offer), /900789/, "the number itself is not shown");

      const sent = await e.send(USE_REGISTERED);
      assert.match(readable(sent), /on its way to \*\*\*\*\*89/);
      assert.ok(elements(sent).some((x) => x.type === "Input.Text" && x.style === "password"), "the code goes in a masked box");
      const texts = readOutbox(e.h.outbox);
      assert.equal(texts.length, 1);
      assert.equal(texts[0].to, SAM_MOBILE);
      assert.equal(texts[0].channel, "sms");

      assert.match(await e.say(code(latestCode(e.h.outbox, SAM_MOBILE))), /set up for MFA by text message.*\*\*\*\*\*89/);
      assert.deepEqual(e.result, { done: true });
      const account = await e.h.services.directory.findByEmail(SAM);
      assert.equal(account?.mfaMethod, "sms");
      assert.equal(account?.mobile, SAM_MOBILE);
      const audit = await e.h.services.reset.audit.list({ email: SAM });
      assert.ok(audit.some((a) => a.type === "mfa.enrolled" && a.detail === "sms"));
      assert.ok(!JSON.stringify(audit).includes("900789"), "no phone digits in the audit log");
    });

    it("to another number typed in any UK form, refusing a landline and nonsense kindly", async () => {
      e = await Enrolment.start(KOFI);
      await e.say("hi");
      await e.say(sms);
      assert.equal(await e.say(USE_ANOTHER), ASK_MOBILE);
      assert.equal(await e.say("0113 496 0000"), LANDLINE);
      assert.equal(await e.say("+44 20 7946 0000"), LANDLINE);
      assert.match(await e.say("my work phone"), escape(NOT_A_UK_MOBILE));
      assert.match(await e.say("+33 6 12 34 56 78"), escape(NOT_A_UK_MOBILE));
      assert.equal(readOutbox(e.h.outbox).length, 0, "nothing sent yet");
      assert.match(await e.say("+440 7700 900 123"), /on its way to \*\*\*\*\*23/);
      const to = "+447700900123";
      assert.match(await e.say(code(latestCode(e.h.outbox, to))), /set up for MFA by text message/);
      const account = await e.h.services.directory.findByEmail(KOFI);
      assert.equal(account?.mobile, to);
      assert.equal(account?.mfaMethod, "sms");
    });

    for (const typed of ["07700 900123", "+447700900123", "+44 (0)7700-900-123", "0044 7700 900123"]) {
      it(`reads "${typed}" as +447700900123 when the account has no mobile`, async () => {
        e = await Enrolment.start(TOM);
        await e.say("hi");
        assert.equal(await e.say(sms), ASK_MOBILE);
        await e.say(typed);
        assert.deepEqual(readOutbox(e.h.outbox).map((m) => m.to), ["+447700900123"]);
      });
    }

    it("a wrong code, then the right one", async () => {
      e = await Enrolment.start(SAM);
      await e.say("hi");
      await e.say(sms);
      await e.say(USE_REGISTERED);
      const right = latestCode(e.h.outbox, SAM_MOBILE);
      assert.match(await e.say(code(right === "000000" ? "111111" : "000000")), escape(SMS_CODE_WRONG));
      assert.equal((await e.h.services.directory.findByEmail(SAM))?.mfaEnrolledAt, undefined);
      assert.match(await e.say(right), /set up for MFA by text message/);
    });

    it("an expired code: says so and offers a new one; Send a new code; the old code no longer works, the new one does", async () => {
      e = await Enrolment.start(SAM);
      await e.say("hi");
      await e.say(sms);
      await e.say(USE_REGISTERED);
      const first = latestCode(e.h.outbox, SAM_MOBILE);
      e.h.now += 6 * 60_000;
      const expired = await e.send(code(first));
      assert.match(readable(expired), escape(SMS_CODE_EXPIRED));
      assert.ok(elements(expired).some((x) => x.title === "Send a new code"), "a new code is offered");

      assert.match(await e.say({ verb: Verb.ResendCode }), /Done: a new text with a 6-digit code is on its way to \*\*\*\*\*89/);
      assert.equal(readOutbox(e.h.outbox).length, 2);
      const second = latestCode(e.h.outbox, SAM_MOBILE);
      if (second !== first) assert.match(await e.say(code(first)), escape(SMS_CODE_WRONG));
      assert.match(await e.say(code(second)), /set up for MFA by text message/);
      assert.deepEqual(e.result, { done: true });
    });

    it("\"try again\" typed in the chat sends a new code too; too many codes blocks kindly", async () => {
      e = await Enrolment.start(SAM);
      await e.say("hi");
      await e.say(sms);
      await e.say(USE_REGISTERED);
      for (let sent = 2; sent <= 5; sent += 1) {
        assert.match(await e.say(sent % 2 ? "try again" : { verb: Verb.ResendCode }), /Done: a new text/);
        assert.equal(readOutbox(e.h.outbox).length, sent);
      }
      assert.match(await e.say("try again"), escape(BLOCKED_MESSAGE));
      assert.equal(readOutbox(e.h.outbox).length, 5, "no sixth text");
      assert.deepEqual(e.result, { done: false });
    });
  });
});
