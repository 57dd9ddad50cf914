import assert from "node:assert/strict";
import { Verb } from "../../cards/verbs";
import { NOT_CHANGED, ORGANISATION_REFUSED } from "../../dialogs/password-check";
import { MAYBE_UNDELIVERED, UNDELIVERED } from "../../src/messaging/undelivered-notices";
import { ACCOUNT_SERVICE_UNAVAILABLE } from "../../src/turn-errors";
import type { TeamsUser } from "../proactive/support";
import { ProductionRig, readable } from "./rig";

const KOFI = { email: "kofi.mensah@nhs.net", firstName: "Kofi", lastName: "Mensah", mobile: "+44 7700 900237" };
const MOBILE = "+447700900237";
const GOOD = "Lantern-Quartz-Meadow-58";
const OTHER = "Saffron-Cobalt-River-93";

/**
 * What a person sees when Entra ID or GOV.UK Notify fails part-way through a reset, over the real server: each case
 * ends with a clear message, the helpdesk offered where they cannot fix it themselves, and nothing half-done.
 */
describe("production services failing part-way, over HTTP", function () {
  this.timeout(60_000);
  let rig: ProductionRig;
  let user: TeamsUser;
  let id: string;
  beforeEach(async () => {
    rig = await new ProductionRig().start();
    ({ user, id } = rig.person(KOFI));
  });
  afterEach(() => rig.stop());

  /** Through the reset by text to the new-password card. */
  const toNewPassword = async (): Promise<void> => {
    await rig.post(user.message("reset my password"));
    await rig.post(user.message(KOFI.email));
    await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }));
    await rig.post(user.message("07700 900237"));
    assert.match(readable(await rig.post(user.message(rig.codeTextedTo(MOBILE)))), /Choose a new password/);
  };
  const submitPassword = async (password: string): Promise<string> => readable(await rig.post(user.submit({ verb: Verb.SubmitNewPassword, newPassword: password, confirmPassword: password })));

  it("the tenant's own password rules refuse it: the card says so, nothing changes, and another password works", async () => {
    await toNewPassword();
    rig.graph.setPasswordPolicy({ bannedWords: ["lantern"] });
    const refused = await submitPassword(GOOD);
    assert.ok(refused.includes(ORGANISATION_REFUSED));
    assert.match(refused, /Choose a new password/, "the card is there to try again");
    assert.equal(rig.graph.passwordOf(id), undefined);
    assert.match(await submitPassword(OTHER), /has been changed/);
    assert.equal(rig.graph.passwordOf(id), OTHER);
  });

  it("Graph refuses the change (403, no User Administrator role): the person is pointed to the helpdesk, the log says what to grant, once", async () => {
    await toNewPassword();
    rig.graph.setDirectoryRole(false);
    for (let i = 0; i < 2; i++) assert.ok((await submitPassword(GOOD)).includes(NOT_CHANGED.permission));
    assert.equal(rig.graph.passwordOf(id), undefined);
    assert.equal(rig.bot.log.lines.filter((line) => line.includes("User Administrator")).length, 1);
    rig.graph.setDirectoryRole(true);
    assert.match(await submitPassword(GOOD), /has been changed/, "once granted, the same card works");
  });

  it("a change Entra applied but whose answer was lost is read back and reported as done; one that was lost is said to be unchanged", async () => {
    await toNewPassword();
    rig.graph.hang("setPassword");
    const replies = await rig.post(user.submit({ verb: Verb.SubmitNewPassword, newPassword: GOOD, confirmPassword: GOOD }));
    assert.deepEqual(replies.map((r) => r.activity.type), ["typing", "message"], "typing while Graph is waited for, then the card again");
    assert.ok(readable(replies).includes(NOT_CHANGED.unreachable));
    assert.equal(rig.graph.passwordOf(id), undefined);
    rig.graph.hang("setPassword", { afterApplying: true });
    assert.match(await submitPassword(GOOD), /has been changed/);
    assert.equal(rig.graph.passwordOf(id), GOOD);
    assert.equal(rig.graph.calls.setPassword, 2, "each press sent the change once");
  });

  it("a 429 storm while reading the account: the person is told, offered the helpdesk, and carries on where they were once it passes", async () => {
    await rig.post(user.message("reset my password"));
    await rig.post(user.message(KOFI.email));
    rig.graph.fail("findUser", { status: 429, code: "TooManyRequests", message: "Too many requests", retryAfter: 0, times: Infinity });
    const before = rig.graph.calls.findUser;
    const busy = readable(await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "sms" })));
    assert.ok(busy.includes(ACCOUNT_SERVICE_UNAVAILABLE));
    assert.match(busy, /Talk to the helpdesk/);
    assert.equal(rig.graph.calls.findUser - before, 3, "three tries, then the person is told");
    rig.graph.recover("findUser");
    assert.match(readable(await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }))), /\*\*\*\*\*37/, "the same press works now");
  });

  for (const [status, error, notice] of [
    [400, "BadRequestError", UNDELIVERED.sms],
    [403, "AuthError", UNDELIVERED.sms],
    [500, "Exception", MAYBE_UNDELIVERED.sms],
  ] as const) {
    it(`Notify answers the code text with ${status} ${error}: the person is told and offered the helpdesk; it is not sent twice`, async () => {
      await rig.post(user.message("reset my password"));
      await rig.post(user.message(KOFI.email));
      await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }));
      rig.notify.failNext(status, error, status === 400 ? "phone_number Not a valid number" : "Something went wrong");
      const told = readable(await rig.post(user.message("07700 900237")));
      assert.ok(told.includes(notice), told);
      assert.match(told, /Talk to the helpdesk/);
      assert.equal(rig.notify.requests.length, 1, "not retried");
      assert.ok(!rig.bot.log.text.includes("900237"), "the number is not logged");
      assert.match(rig.bot.log.text, new RegExp(error));
    });
  }

  it("Notify throttles once: the text goes on the second try and nobody is bothered", async () => {
    await rig.post(user.message("reset my password"));
    await rig.post(user.message(KOFI.email));
    await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }));
    rig.notify.failNext(429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds", 1, { "Retry-After": "0" });
    const replies = readable(await rig.post(user.message("07700 900237")));
    assert.doesNotMatch(replies, /couldn't/);
    assert.equal(rig.notify.sent().length, 1);
    assert.equal(rig.notify.requests.length, 2);
  });

  it("Notify never answers: after the timeout the person hears the text may not come, and it is not sent again", async () => {
    await rig.post(user.message("reset my password"));
    await rig.post(user.message(KOFI.email));
    await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }));
    rig.notify.hangNext();
    assert.ok(readable(await rig.post(user.message("07700 900237"))).includes(MAYBE_UNDELIVERED.sms));
    assert.equal(rig.notify.requests.length, 1);
  });
});
