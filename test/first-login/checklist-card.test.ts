import assert from "node:assert/strict";
import type { Attachment } from "botbuilder";
import type { Account } from "../../src/directory/account";
import { checklistCardFor } from "../../src/first-login";
import { cardElements, readableText } from "../support/card-elements";

const SYNC_MINUTES = 120;
/** The AUP accepted at 1:59pm in London (November: UTC), so email sending works from about 3:59pm. */
const ACCEPTED = "2026-11-22T13:59:00.000Z";
const READY = Date.parse(ACCEPTED) + SYNC_MINUTES * 60_000;

/** A new NHS Trust account (MFA required) with the given tasks done. */
function account(done: { password?: boolean; aup?: boolean; profile?: boolean; mfa?: "app" | "sms" }): Account {
  return {
    email: "sam.okafor@nhs.net",
    firstName: "Sam",
    lastName: "Okafor",
    organisationType: "NHS Trust",
    createdAt: "2026-11-01T09:00:00.000Z",
    passwordHash: "$scrypt$ln=10,r=8,p=1$AAAA$AAAA",
    previousPasswordHashes: [],
    passwordChangedAt: "2026-11-22T13:50:00.000Z",
    passwordExpiresAt: "2027-11-22T13:50:00.000Z",
    temporaryPassword: !done.password,
    ...(done.aup ? { aupAcceptedAt: ACCEPTED, aupVersion: "v3.2" } : {}),
    ...(done.profile ? { profileUpdatedAt: "2026-11-22T14:05:00.000Z", accountSecretHash: "$scrypt$ln=10,r=8,p=1$BBBB$BBBB" } : {}),
    ...(done.mfa ? { mfaMethod: done.mfa, mfaEnrolledAt: "2026-11-22T14:10:00.000Z" } : {}),
  };
}

const ALL_DONE = { password: true, aup: true, profile: true, mfa: "app" } as const;
const text = (card: Attachment): string => readableText([{ attachments: [card] }]);
const card = (a: Account, now: number): Attachment => checklistCardFor(a, { syncMinutes: SYNC_MINUTES, now: new Date(now) });

describe("the first-login checklist card says what is true now", () => {
  it("finished while the account is still synchronising: email sending works from about the ready time, not 'ready to use'", () => {
    const shown = text(card(account(ALL_DONE), READY - 30 * 60_000));
    assert.match(shown, /All four tasks are done\. Thank you — email sending works from about 3:59pm, once your account has synchronised\./);
    assert.doesNotMatch(shown, /ready to use/);
    assert.doesNotMatch(shown, /until about/, "no second, older wording of the same time");
    assert.equal(shown.split("3:59pm").length - 1, 1, "the time is said once");
  });

  it("finished once the window has passed: ready to use", () => {
    for (const now of [READY, READY + 3 * 86_400_000]) {
      const shown = text(card(account(ALL_DONE), now));
      assert.match(shown, /All four tasks are done\. Thank you — your NHSmail account is ready to use\./);
      assert.doesNotMatch(shown, /works from about|synchronis/);
    }
  });

  it("finished: no 'MFA is required… until you enrol' nag, but how the codes come", () => {
    const app = text(card(account(ALL_DONE), READY + 60_000));
    assert.doesNotMatch(app, /MFA is required|until you enrol|asked at every login|strongly recommend/);
    assert.match(app, /You're set up for MFA: when NHSmail asks for a code, use the one your authenticator app shows\./);
    const sms = text(card(account({ ...ALL_DONE, mfa: "sms" }), READY + 60_000));
    assert.match(sms, /use the one texted to your mobile/);
  });

  it("enrolled for MFA with the profile still to do: no MFA nag either", () => {
    const shown = text(card(account({ password: true, aup: true, mfa: "app" }), READY - 60_000));
    assert.doesNotMatch(shown, /MFA is required|until you enrol/);
    assert.doesNotMatch(shown, /All four tasks are done|ready to use/);
    assert.match(shown, /Email sending works once your account has synchronised: allow up to 2 hours, until about 3:59pm\./, "the sync note while tasks remain");
  });

  it("before enrolment: says MFA is required and why, and nothing about being done", () => {
    const shown = text(card(account({ password: true, aup: true, profile: true }), READY + 60_000));
    assert.match(shown, /MFA is required for your account: until you enrol, you'll be asked at every login\./);
    assert.doesNotMatch(shown, /All four tasks are done|ready to use/);
    assert.match(shown, /Your account has synchronised: you can send email\./);
  });

  it("a finished card has no task buttons and its closing line is the only 'done' line", () => {
    const elements = cardElements([{ attachments: [card(account(ALL_DONE), READY - 60_000)] }]);
    assert.deepEqual(
      elements.filter((e) => e.type?.startsWith("Action.")).map((e) => e.title),
      ["Open portal.nhs.net", "Talk to the helpdesk"],
    );
    assert.equal(elements.filter((e) => typeof e.text === "string" && e.text.startsWith("All four tasks are done")).length, 1);
  });
});
